"""What the catalogue's templates call: a role guide's body, drawn once for every reader."""
from markupsafe import Markup

from .. import caching
from ..models import Role
from . import bp


@bp.app_template_global()
def role_guide(role: Role) -> Markup:
    """The summary, at-a-glance box and sections, the same for everyone reading in a locale
    (drawn as for a visitor, who sees least)."""
    return caching.shared(caching.guide_key(role), caching.ANONYMOUS, "catalogue/_guide.html", role=role)
