"""The one cache layer: Flask-Caching's store, the keys of every entry, and drawing what
an entry shares between readers so that it cannot hold anything of one reader.

The store is in-process on a laptop and Redis, shared by every worker and machine, when
CACHE_REDIS_URL or REDIS_URL (or CACHE_TYPE) is set (tracker/config.py); in production
a redis-server apart from the limits' (operations.py). Entries are never deleted: each key
names the versions of what it shows (tracker/versions.py moves them on every write) and
the locale, so a write makes the next reader ask for a new key on every worker, and old
entries age out (a timeout, and a bounded store). Nothing a request says makes a key of
its own: keys name the URLs the app links to and the logins it made, never a URL as a
request spells it or a session a replayed cookie makes up. When Redis cannot be reached,
every read is a miss and every write is dropped: pages are drawn afresh, none fails, and
the shared entries come back with Redis (keys name versions, so none is stale then).

A shared entry is drawn for a kind of reader (anonymous or member), never for a person:
while it is drawn, `current_user` is a stand-in that knows only the kind and raises on
anything else (a name, an email), and a CSRF token cannot be written. What is a reader's
own (their name and unread count, their links on their own comments, forms with tokens)
is drawn per request around the shared pieces, or cached under a key only they can hit.
Moderators see controls on every comment, so what they read is drawn for them alone.
"""
import functools
import hashlib
import logging
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from redis.exceptions import RedisError

from flask import current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from .extensions import cache, compress
from .language import offered_language

ANONYMOUS = "anonymous"
MEMBER = "member"
# A member reading their own comment: the card with their Edit and Delete links.
AUTHOR = "author"


class PerReaderContent(RuntimeError):
    """Something of one reader was about to go into an entry shared between readers."""


class SharedReader:
    """Whom a shared entry is drawn for: a kind of reader, never a person. An entry kept
    for one member alone (its key names them) knows their id, to tell their own comments."""

    is_moderator = False
    is_active = True
    may_write = True  # a suspended member is served nothing shared (reader_kind)

    def __init__(self, kind: str, reader_id: int | None = None):
        self.kind = kind
        self.is_authenticated = kind != ANONYMOUS
        self.is_anonymous = not self.is_authenticated
        self.id = reader_id  # None: the author of nothing, so nothing reads as theirs

    def __getattr__(self, name):
        raise PerReaderContent(f"current_user.{name} in an entry shared by every {self.kind} reader")


def reader_kind() -> str | None:
    """The kind of reader whose shared entries the current reader may be served, or None
    for a moderator, who sees controls of their own on everything, and for a suspended
    member, who is offered no Reply or Report links."""
    if not current_user.is_authenticated:
        return ANONYMOUS
    return None if current_user.is_moderator or not current_user.may_write else MEMBER


def _no_token(*args, **kwargs):
    raise PerReaderContent("a CSRF token in an entry shared between readers")


@contextmanager
def drawn_as(reader: SharedReader):
    """Within it, `current_user` is `reader`."""
    actual = current_user._get_current_object()
    g._login_user = reader  # where Flask-Login keeps the request's user
    try:
        yield
    finally:
        g._login_user = actual


def render_shared(reader: str | SharedReader, template: str, **context) -> str:
    """`template` drawn for every reader of a kind (or a SharedReader): raises
    PerReaderContent if it reads anything of the current reader."""
    if isinstance(reader, str):
        reader = SharedReader(reader)
    with drawn_as(reader):
        html = render_template(template, csrf_token=_no_token, **context)
    # Macros imported without context reach the real csrf_token(): look for the session's
    # token (its signed form changes every second; the part before the first dot does not).
    if session.get("csrf_token") and generate_csrf().split(".", 1)[0] in html:
        raise PerReaderContent("the session's CSRF token in an entry shared between readers")
    return html


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


def _kept(key: str):
    """The entry `key`, or None when it is missing or the store cannot be reached."""
    with _unless_unreachable("drawing afresh"):
        return cache.get(key)
    return None


def keep(key: str, value) -> None:
    with _unless_unreachable("not kept"):
        cache.set(key, value)


def remembered(key: str, make):
    """The entry `key`, made by `make()` and kept when missing."""
    value = _kept(key)
    if value is None:
        value = make()
        keep(key, value)
    return value


def shared(key: str, kind: str, template: str, **context) -> Markup:
    """The entry `key`, drawn from `template` for every reader of `kind` when missing."""
    return Markup(remembered(key, lambda: render_shared(kind, template, **context)))  # nosec B704: autoescaped


def prefetched(keys: list[str]) -> dict:
    """The entries of `keys` that are kept, fetched at once (one round trip to Redis)."""
    with _unless_unreachable("drawing afresh"):
        values = cache.get_many(*keys)
        return {key: value for key, value in zip(keys, values) if value is not None}
    return {}


# Keys. Each names what its entry is, the versions of what it shows, and the locale.


def _key(*parts) -> str:
    return ":".join(map(str, (*parts, get_locale())))


def guide_key(role) -> str:
    return _key("guide", role.id, role.updated_at.timestamp())


def thread_key(role) -> tuple:
    """What every listing of a role's thread depends on besides its comments' cards."""
    return (role.id, role.updated_at.timestamp(), role.thread_version, role.thread_locked_at is not None)


def listing_key(role, page: int, order: str, kind: str, *reader) -> str:
    """A page of a role's thread for every reader of `kind`, or for the one `reader`."""
    return _key("listing", *thread_key(role), page, order, kind, *reader)


def one_thread_key(role, root_id: int, subtree_version: int, kind: str, *reader) -> str:
    """One thread of a role's listing (a top-level comment and its replies), for every
    reader of `kind` or for the one `reader`."""
    return _key("thread", root_id, subtree_version, role.thread_locked_at is not None, kind, *reader)


def card_key(node, role, kind: str, editable: bool) -> str:
    comment = node.comment
    answering = node.answering
    return _key(
        "card",
        comment.id,
        comment.version,
        comment.author.profile_version,
        answering.id if answering else "",
        answering.profile_version if answering else "",
        node.is_placeholder,
        role.thread_locked_at is not None,
        kind,
        editable,
    )


def page_key(url: str, *versions) -> str:
    """A whole page for anonymous readers at `url`, as the app's own links write it (a
    request may spell one URL many ways: `?%70age=2`, `?page=2&&`), offering the language
    a first visit's browser asks for (base.html)."""
    return _key("page", url, offered_language() or "", *versions)


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
    kept = _kept(entry)
    if kept is not None and kept[0] == token:
        return kept[1]
    drawn = draw()
    keep(entry, (token, drawn))  # another session of this login: its page replaces the one kept
    return drawn


def serves_whole_pages() -> bool:
    """Whether the reader can be served a whole page shared by every anonymous reader:
    logged out, with no message waiting for them."""
    return not current_user.is_authenticated and not session.get("_flashes")


def whole_page(key: str, template: str, context: Callable[[], dict]):
    """A response with the page `key` shared by every anonymous reader, drawn from
    `template` with `context()` when missing. Flask-Compress keeps its compressed body
    beside it (CompressedBodies); a browser taking that encoding is sent it alone, and the
    page itself is not read (with Redis, 7 KB fetched instead of about 100).

    A browser that has the page already names it by its ETag and is answered 304, with no
    body and nothing read from the store: on a slow line a repeat view costs its headers."""
    encoding = request.accept_encodings.best_match(compress.enabled_algorithms)
    etag = page_etag(key)
    # Flask-Compress names the encoding after a strong ETag on a body it compresses.
    sent_etag = f"{etag}:{encoding}" if encoding else etag
    if request.if_none_match.contains(sent_etag):
        response = current_app.response_class(status=304)
        response.set_etag(sent_etag)
    else:
        response = _whole_page_body(key, encoding, template, context)
        response.set_etag(sent_etag if "Content-Encoding" in response.headers else etag)
    # Kept by the browser, and asked again each time: a new comment shows at once.
    response.cache_control.no_cache = True
    return response


def _whole_page_body(key: str, encoding: str | None, template: str, context: Callable[[], dict]):
    compressed = _kept(_compressed_key(encoding, key)) if encoding else None
    if compressed is not None:  # Flask-Compress leaves a response with an encoding as it is
        return current_app.response_class(compressed, mimetype="text/html", headers={"Content-Encoding": encoding})
    # Kept as the bytes sent: no decoding and encoding again on every request.
    body = remembered(key, lambda: render_shared(ANONYMOUS, template, **context()).encode())
    g.whole_page_key = key
    return current_app.response_class(body, mimetype="text/html")


def page_etag(key: str) -> str:
    """The strong validator of the whole page `key`, before its encoding: the key names every
    version the page shows, its locale and offered language, and the store's prefix the
    release that draws it, so whatever changes the page changes its ETag."""
    return hashlib.sha256((current_app.config["CACHE_KEY_PREFIX"] + key).encode()).hexdigest()[:32]


def compressed_body_key(request_) -> str:
    """Flask-Compress's key for a response's compressed body: the whole page's, else ""."""
    return g.get("whole_page_key", "")


def _compressed_key(encoding: str, page_key: str) -> str:
    # Flask-Compress asks its store for "<encoding>;<compressed_body_key>".
    return f"compressed:{encoding};{page_key}"


class CompressedBodies:
    """Where Flask-Compress keeps compressed bodies: the app's cache, for whole pages only
    (their key is not empty)."""

    def get(self, key: str):
        encoding, _, page_key = key.partition(";")
        if not page_key:
            return None
        body = _kept(_compressed_key(encoding, page_key))
        g.compressed_body_found = body is not None
        return body

    def set(self, key: str, value: bytes) -> None:
        encoding, _, page_key = key.partition(";")
        # Flask-Compress sets what it got, too.
        if page_key and not g.get("compressed_body_found"):
            keep(_compressed_key(encoding, page_key), value)
