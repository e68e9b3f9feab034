"""Finding the role guide a URL names."""
import sqlalchemy as sa
from flask import abort

from ..extensions import db
from ..models import Role

# Run on every role page and thread action, so the statement is built once: building it
# and its cache key cost more than running it.
ROLE_BY_SLUG = sa.select(Role).where(Role.slug == sa.bindparam("slug"))


def role_or_404(slug: str) -> Role:
    return db.session.scalar(ROLE_BY_SLUG, {"slug": slug}) or abort(404)
