"""Telling htmx's requests for a fragment from requests for a whole page."""
from flask import request


def is_htmx() -> bool:
    """Whether htmx asked for a fragment to swap in. On a history miss htmx asks for the
    whole page (HX-History-Restore-Request), with HX-Request set as well."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")
