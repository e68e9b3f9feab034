"""The cache's store, and what is kept in it besides the pieces (tracker/pieces.py) and a
visitor's whole page (tracker/front_door.py): a member's tracker overview, once per login.

The store is in-process on a laptop and Redis, shared by every worker and machine, when
CACHE_REDIS_URL or REDIS_URL (or CACHE_TYPE) is set (tracker/config.py); in production
a redis-server apart from the limits' (operations.py). Entries are never deleted: each key
names the versions of what it shows (tracker/versions.py moves them on every write) and
the locale, so a write makes the next reader ask for a new key on every worker, and old
entries age out (a timeout, and a bounded store). Nothing a request says makes a key of
its own: keys name the URLs the app links to and the logins it made, never a URL as a
request spells it or a session a replayed cookie makes up. When Redis cannot be reached,
every read is a miss and every write is dropped: pages are drawn afresh, none fails, and
the entries come back with Redis (keys name versions, so none is stale then).
"""
import functools
import hashlib
import logging
from contextlib import contextmanager
from pathlib import Path

from redis.exceptions import RedisError

from flask import current_app, session
from flask_babel import get_locale
from flask_login import current_user

from .extensions import cache


log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent
DRAWING_FILES = {".py", ".html", ".mo", ".css", ".js", ".svg"}


@functools.cache
def code_release() -> str:
    """The release that cache keys name when no RELEASE is given: a digest of this code."""
    return code_digest(PACKAGE)


def code_digest(folder: Path) -> str:
    """A digest of the code in `folder` that draws what is kept: Python, templates,
    translations and the static files pages name."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.suffix in DRAWING_FILES and path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def _unless_unreachable(consequence: str):
    """Within it, a store that cannot be reached is logged, with `consequence`, and passed
    over: a read is a miss and a write is dropped."""
    try:
        yield
    except RedisError as error:
        log.warning("cache unreachable, %s: %s", consequence, error)


def kept(key: str):
    """The entry `key`, or None when it is missing or the store cannot be reached."""
    with _unless_unreachable("drawing afresh"):
        return cache.get(key)
    return None


def keep(key: str, value) -> None:
    with _unless_unreachable("not kept"):
        cache.set(key, value)


def kept_many(keys: list[str]) -> dict:
    """The entries of `keys` that are kept, fetched at once (one round trip to Redis)."""
    with _unless_unreachable("drawing afresh"):
        values = cache.get_many(*keys)
        return {key: value for key, value in zip(keys, values) if value is not None}
    return {}


def _key(*parts) -> str:
    return ":".join(map(str, (*parts, get_locale())))


def tracker_key(user, today, *arguments) -> str:
    return _key("tracker", user.id, user.tracker_version, today, *arguments)


def for_this_session(key: str, draw):
    """What `draw()` makes (its forms carry the session's token), kept for this login.

    One entry per login (a row the app made at a login, named by a digest of its token),
    holding the CSRF token it was drawn with: a request cannot make entries by making
    sessions. A session that came without its token (a replayed cookie from before the
    first page after a login, a remember-me cookie alone) is given a new one on each
    request, so what is drawn for it is not kept.
    """
    if "csrf_token" not in session:
        return draw()
    login = hashlib.sha256(current_user.session_token.encode()).hexdigest()[:16]
    token = hashlib.sha256(session["csrf_token"].encode()).hexdigest()[:16]
    entry = f"{key}:login:{login}"
    found = kept(entry)
    if found is not None and found[0] == token:
        return found[1]
    drawn = draw()
    keep(entry, (token, drawn))  # another session of this login: its page replaces the one kept
    return drawn


def page_etag(key: str) -> str:
    """The strong validator of the whole page `key`, before its encoding: the key names every
    version the page shows, its locale and offered language, and the store's prefix the
    release that draws it, so whatever changes the page changes its ETag."""
    return hashlib.sha256((current_app.config["CACHE_KEY_PREFIX"] + key).encode()).hexdigest()[:32]
