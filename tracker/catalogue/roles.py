"""Finding the role guide a URL names, and what it is called."""
import sqlalchemy as sa
from flask import abort, request
from flask_babel import get_locale

from ..extensions import db
from ..models import Role

# Run on every role page and thread action, so the statement is built once: building it
# and its cache key cost more than running it.
ROLE_BY_SLUG = sa.select(Role).where(Role.slug == sa.bindparam("slug"))
# What a kept page of a role is keyed by (caching.thread_key): read alone, as plain
# columns, when the page is likely kept, and the whole role only to draw it.
VERSIONS_BY_SLUG = sa.select(Role.id, Role.updated_at, Role.thread_version, Role.thread_locked_at).where(
    Role.slug == sa.bindparam("slug")
)


def role_or_404(slug: str) -> Role:
    return db.session.scalar(ROLE_BY_SLUG, {"slug": slug}) or abort(404)


# Where the front door (tracker/front_door.py) leaves the versions it read for a request.
READ_VERSIONS = "tracker.role_versions"


def role_versions_or_404(slug: str) -> sa.Row:
    """A role's id and the versions of what its page shows, without loading the role (read
    once a request: the front door may have read them already)."""
    read_slug, versions = request.environ.get(READ_VERSIONS, (None, None))
    if read_slug == slug:
        if isinstance(versions, Exception):  # the database did not answer it: not asked twice
            raise versions
        return versions
    return db.session.connection().execute(VERSIONS_BY_SLUG, {"slug": slug}).first() or abort(404)


def listed_roles() -> list[sa.Row]:
    """Every role's address and when its guide last changed, for the sitemap."""
    return db.session.execute(sa.select(Role.slug, Role.updated_at).order_by(Role.slug)).all()


def role_title(role) -> str:
    """What a page in the reader's language calls `role`: its English title on an English
    page when the catalogue has one, else its own (Bengali) title."""
    if role.title_en and get_locale().language == "en":
        return role.title_en
    return role.title
