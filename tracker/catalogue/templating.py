"""What the catalogue's templates call: a role guide's body, drawn once for every reader."""
from flask import current_app, render_template
from flask_babel import get_locale
from markupsafe import Markup

from ..models import Role
from ..rendered import rendered_cache
from . import bp


@bp.app_template_global()
def role_guide(role: Role) -> Markup:
    """The summary, at-a-glance box and sections, the same for everyone reading in a locale.

    Role.updated_at is in the key: an import that changes the guide moves it on.
    """
    cache = rendered_cache(current_app, "guides", max_age=3600)
    key = (role.id, role.updated_at, str(get_locale()))
    html = cache.get(key)
    if html is None:
        html = Markup(render_template("catalogue/_guide.html", role=role))  # nosec B704: autoescaped Jinja
        cache.put(key, html)
    return html
