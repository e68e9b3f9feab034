"""Numbers typed into URLs and forms, read within what every database can hold.

A number too large for an id column (or an OFFSET) would otherwise reach the database
and fail there, so anything outside the range reads as "no number".
"""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the largest value an id column holds on every database


def parse_id(value: str | None) -> int | None:
    """A row id typed into a URL or a form, or None when it cannot be one."""
    if value and value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


def parse_page(value: str | None) -> int:
    """A page number from a URL: the first page when it is not one, bounded so that its
    OFFSET still fits every database."""
    return min(parse_id(value) or 1, MAX_ID // 1000)


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number larger than any id is no match (a 404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
