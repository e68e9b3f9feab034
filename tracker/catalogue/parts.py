"""Places on the catalogue's pages where the areas above it put parts of their own (the
save button beside a role's title and in each row of the list of roles, the thread below
a role's guide). The catalogue draws whatever is there and names none of them.

A part on a role page may need what its own area works out for the reader and the page's
URL arguments (`context`, given to the page's template under names of the part's own; a
visitor's page is drawn once for every visitor, tracker/pieces.py, so it is then called
with a stand-in reader that knows only that it is a visitor), and may own some of the page's URL
arguments (`canonical_args`: the thread's page and order, as its links write them): the
page redirects any other spelling there, so each page has one URL and is kept once
(tracker/pieces.py, front_door.py).
"""
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from ..models import Role

BESIDE_TITLE = "beside_title"  # beside a role page's title
BELOW_GUIDE = "below_guide"  # below a role page's guide
RESULT_ROW = "result_row"  # in each row of the list of roles


@dataclass(frozen=True)
class Part:
    template: str
    place: str
    context: Callable[[Role, object, Mapping], dict] | None = None
    canonical_args: Callable[[Role, MultiDict], dict] | None = None
    # A part the same for every reader (counts, answers) gives its context from the role's
    # id alone instead: it is then a piece (catalogue/pieces.py), kept until the role's
    # thread version moves, so no reader's page runs its queries again.
    shared_context: Callable[[int], dict] | None = None


_parts: dict[str, list[Part]] = {BESIDE_TITLE: [], BELOW_GUIDE: [], RESULT_ROW: []}


def add(part: Part) -> None:
    """Draw `part` at its place on every page that has it, after what is there already."""
    _parts[part.place].append(part)


def at(place: str) -> list[Part]:
    return _parts[place]


def shared_part(template: str) -> Part:
    return next(part for parts in _parts.values() for part in parts if part.template == template and part.shared_context)


def _on_role_page() -> list[Part]:
    return _parts[BESIDE_TITLE] + _parts[BELOW_GUIDE]


def role_page_context(role: Role, reader, args: Mapping) -> dict:
    """What the role page's parts need for `reader` at the URL arguments `args`."""
    context = {}
    for part in _on_role_page():
        if part.context:
            context.update(part.context(role, reader, args))
    return context


def canonical_args(role: Role, args: MultiDict) -> dict:
    """The role page's URL arguments its parts own, as its links write them (None: left out)."""
    owned = {}
    for part in _on_role_page():
        if part.canonical_args:
            owned.update(part.canonical_args(role, args))
    return owned
