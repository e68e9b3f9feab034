"""What the catalogue's templates call: a role guide's body, drawn once for every reader,
and the parts other areas put on its pages."""
from flask_babel import gettext as _
from markupsafe import Markup

from .. import pieces
from ..formatting import taka_range
from ..models import Role
from . import bp, parts
from .pieces import GUIDE, SHARED_PART

# The templates areas above put at a place on the catalogue's pages (parts.py).
bp.add_app_template_global(parts.at, "catalogue_parts")


@bp.app_template_global()
def role_guide(role: Role) -> Markup:
    """The summary, at-a-glance box and sections, the same for everyone reading in a locale
    (drawn as for a visitor, who sees least)."""
    return pieces.draw(GUIDE, pieces.VISITOR, role_id=role.id, updated=role.updated_at.timestamp())


@bp.app_template_global()
def shared_part(part: parts.Part, role: Role) -> Markup:
    """A part the same for every reader, kept until the role's thread version moves."""
    return pieces.draw(SHARED_PART, pieces.VISITOR, template=part.template, role_id=role.id, thread=role.thread_version)


DESCRIPTION_LENGTH = 200  # about what a search result or a shared link's card shows


@bp.app_template_global()
def role_description(role: Role) -> str:
    """What a search result or a shared link says of a role: its pay, then its summary."""
    text = role.summary or _("What the job is, the skills it asks for, its pay, and questions from others.")
    pay = taka_range(role.salary_min_bdt, role.salary_max_bdt)
    if pay:
        text = _("Pay per month: %(pay)s.", pay=pay) + " " + text
    if len(text) > DESCRIPTION_LENGTH:
        text = text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0] + "…"
    return text
