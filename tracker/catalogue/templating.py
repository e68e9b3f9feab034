"""What the catalogue's templates call: a role guide's body, drawn once for every reader,
and the parts other areas put on its pages."""
from markupsafe import Markup

from .. import caching
from ..models import Role
from . import bp, parts

# The templates areas above put at a place on the catalogue's pages (parts.py).
bp.add_app_template_global(parts.templates_at, "catalogue_parts")


@bp.app_template_global()
def role_guide(role: Role) -> Markup:
    """The summary, at-a-glance box and sections, the same for everyone reading in a locale
    (drawn as for a visitor, who sees least)."""
    return caching.shared(caching.guide_key(role), caching.ANONYMOUS, "catalogue/_guide.html", role=role)
