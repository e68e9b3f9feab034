"""Telling htmx's requests for a fragment from requests for a whole page, and answering each."""
from flask import render_template, request


def is_htmx() -> bool:
    """Whether htmx asked for a fragment to swap in. On a history miss htmx asks for the
    whole page (HX-History-Restore-Request), with HX-Request set as well."""
    # htmx sends "true"; anything else (a proxy or a script sending "false") wants the page.
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


def fragment_or_page(fragment: str, page: str, status: int = 200, **context):
    """Render the fragment for htmx, else the full page that holds it; both with `status`.

    The page is given the fragment's name too, for a page that includes whichever fragment
    it is handed (discussion/page.html). A 422 is fine for htmx: base.html's htmx-config
    swaps 422 and 429 responses in, so a form with errors replaces the one posted.
    """
    if is_htmx():
        return render_template(fragment, **context), status
    return render_template(page, fragment=fragment, **context), status
