"""The catalogue's pieces (tracker/pieces.py): a role's guide (GUIDE), the same for every
reader in a locale, and a visitor's whole role page (ROLE_PAGE), which holds the guide
and what the areas above put on the page (parts.py), drawn for a visitor."""
from flask import url_for

from .. import pieces
from ..extensions import db
from ..models import Role
from . import parts

GUIDE = pieces.Piece("guide", "catalogue/_guide.html", context=lambda reader, role_id, updated: {
    "role": db.session.get(Role, role_id)
})


def _shared_part_context(reader, template: str, role_id: int, thread: int) -> dict:
    return {"template": template, "role": db.session.get(Role, role_id), **parts.shared_part(template).shared_context(role_id)}


# What a part the same for every reader draws below a role's guide (parts.Part.shared_context).
SHARED_PART = pieces.Piece("part", "catalogue/_shared_part.html", context=_shared_part_context)


def _role_page_context(reader, role_id: int, offer: str, updated, thread, locked, **owned) -> dict:
    """The page drawn for a visitor: what its key names, and its parts' arguments `owned`."""
    role = db.session.get(Role, role_id)
    here = url_for("catalogue.role", slug=role.slug, **owned)
    as_written = {name: None if value is None else str(value) for name, value in owned.items()}
    return {
        "role": role,
        **parts.role_page_context(role, reader, as_written),
        "here": here,
        "login_next": here,
        "language_offer": offer or None,
        "flashes": (),
    }


ROLE_PAGE = pieces.Piece("role-page", "catalogue/role.html", context=_role_page_context)


def page_arguments(versions, owned_args: dict, offer: str | None) -> dict:
    """ROLE_PAGE's arguments: the role's id and the versions of what its page shows
    (`versions`), at the URL its parts' arguments `owned_args` name, offering `offer`."""
    return {
        "role_id": versions.id,
        "updated": versions.updated_at.timestamp(),
        "thread": versions.thread_version,
        "locked": versions.thread_locked_at is not None,
        "offer": offer or "",
        **owned_args,
    }


def visitor_role_page(versions, owned_args: dict, offer: str | None):
    """The response with a role's page for visitors."""
    return pieces.whole_page(ROLE_PAGE, **page_arguments(versions, owned_args, offer))
