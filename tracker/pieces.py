"""Pieces: what is drawn once and shared between readers, and the closed Jinja environment
that draws them, so that a piece cannot hold anything of the reader by construction.

A piece is declared once, in its area (`catalogue/pieces.py`, `discussion/pieces.py`), as
a `Piece`: its template, and a function building the template's context from the piece's
arguments alone. Arguments are plain values (ids, versions, a page number), so a caller
cannot hand a piece anything else; together with the kind of reader, the locale and the
release (the store's prefix) they are its key. The context reloads what the ids name.

The closed environment shares the app's templates but none of its per-request globals: no
`request`, `session`, `g`, `current_user`, flashes or CSRF helpers, only SHARED_GLOBALS,
and its undefined names raise (StrictUndefined). A template drawn in it gets `reader`, a
`SharedReader` that knows only the kind of reader and raises on anything else. Templates
drawn both ways read `reader` (the open environment's `reader` is `current_user`) and the
few per-request values `page_values` gives the open environment and pieces give
themselves from their key (`here`, `login_next`, `language_offer`, `flashes`). Macros a piece imports come
from the same closed environment.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import jinja2
from flask import current_app, get_flashed_messages, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from .caching import keep, kept, kept_many, page_etag
from .extensions import compress
from .language import offered_language, url_language

ANONYMOUS = "anonymous"
MEMBER = "member"
# A member who wrote on what the piece shows: theirs, with their own links.
AUTHOR = "author"

# What a shared template may use besides its context: nothing that knows the reader.
SHARED_GLOBALS = frozenset({
    "range", "dict", "lipsum", "cycler", "joiner", "namespace",  # Jinja's own
    "gettext", "ngettext", "pgettext", "npgettext", "_",
    "url_for", "site_url", "config", "get_locale", "favicon_url",
    "taka_range", "years_range", "local_moment", "local_date", "local_percent", "stage_label",
    "role_description", "role_title", "language_argument", "language_alternates",
    "catalogue_parts", "discussion_parts", "is_withdrawn",
    "role_guide", "thread_listing", "shared_part", "may_edit_comment",  # nesting, and the reader's own links
})
SHARED_FILTERS = frozenset({"format_number", "person", "in_own_lang", "time_ago", "exact_time"})


class PerReaderContent(RuntimeError):
    """Something of one reader was about to go into a piece shared between readers."""


class SharedReader:
    """Whom a piece is drawn for: a kind of reader, never a person. A piece kept for one
    member alone (AUTHOR: its key names them) knows their id, to tell their own comments."""

    is_moderator = False
    is_active = True
    may_write = True  # a suspended member is served nothing shared (reader_kind)

    def __init__(self, kind: str, reader_id: int | None = None):
        self.kind = kind
        self.is_authenticated = kind != ANONYMOUS
        self.is_anonymous = not self.is_authenticated
        self.id = reader_id  # None: the author of nothing, so nothing reads as theirs

    def __getattr__(self, name):
        if name.startswith("__"):  # Python's own questions (copying, printing) are no reader's data
            raise AttributeError(name)
        raise PerReaderContent(f"reader.{name} in a piece shared by every {self.__dict__.get('kind')} reader")


VISITOR = SharedReader(ANONYMOUS)


def reader_kind(user=current_user) -> str | None:
    """The kind of reader whose pieces `user` may be served, or None for a moderator, who
    sees controls of their own on everything, and for a suspended member, who is offered
    no Reply or Report links."""
    if not user.is_authenticated:
        return ANONYMOUS
    return None if user.is_moderator or not user.may_write else MEMBER


def serves_whole_pages() -> bool:
    """Whether the reader can be served a whole page shared by every visitor: logged out,
    with no message waiting for them."""
    return not current_user.is_authenticated and not session.get("_flashes")


@dataclass(frozen=True)
class Piece:
    name: str
    template: str
    # The template's context from the piece's arguments (and the reader it is drawn for).
    context: Callable[..., dict]
    # The contexts of several pieces from theirs at once (one query for all), when drawing
    # them one by one would cost a query each.
    contexts: Callable[[list[dict], SharedReader], list[dict]] | None = None


PLAIN = (int, str, float, bool, type(None))
# Where a visitor's whole page says, in its request's environ, the key it was drawn under
# (front_door.py keeps the response under it).
KEPT_AS = "tracker.kept_as"


def piece_key(piece: Piece, reader: SharedReader, arguments: dict, locale=None, url_lang: str = "") -> str:
    """The piece's key: its name, the kind of reader, its arguments, the locale and the
    language the URL names (url_for keeps it in the piece's links); the locale and URL
    language read from the request unless given (front_door.py, before there is one)."""
    for name, value in arguments.items():
        if not isinstance(value, PLAIN):
            raise TypeError(f"{piece.name}: {name} must be a plain value (an id or a version), not {type(value).__name__}")
    named = ":".join(f"{name}={arguments[name]}" for name in sorted(arguments))
    if locale is None:
        locale, url_lang = get_locale(), url_language() or ""
    return f"{piece.name}:{reader.kind}:{reader.id or ''}:{named}:{locale}:{url_lang}"


def _draw(piece: Piece, reader: SharedReader, context: dict) -> str:
    environment = current_app.extensions["closed_jinja_env"]
    return environment.get_template(piece.template).render(**context, reader=reader)


def draw(piece: Piece, reader: SharedReader, **arguments) -> Markup:
    """The piece for `arguments`, kept, or drawn in the closed environment and kept."""
    key = piece_key(piece, reader, arguments)
    html = kept(key)
    if html is None:
        html = _draw(piece, reader, piece.context(reader=reader, **arguments))
        keep(key, html)
    return Markup(html)  # nosec B704: an autoescaped Jinja rendering


def draw_many(piece: Piece, reader: SharedReader, arguments: list[dict]) -> list[Markup]:
    """The pieces for each of `arguments`: the kept ones fetched at once, the others drawn
    from contexts built together."""
    keys = [piece_key(piece, reader, each) for each in arguments]
    found = kept_many(keys)
    missing = [index for index, key in enumerate(keys) if key not in found]
    if missing:
        wanted = [arguments[index] for index in missing]
        if piece.contexts:
            contexts = piece.contexts(wanted, reader)
        else:
            contexts = [piece.context(reader=reader, **each) for each in wanted]
        for index, context in zip(missing, contexts):
            found[keys[index]] = _draw(piece, reader, context)
            keep(keys[index], found[keys[index]])
    return [Markup(found[key]) for key in keys]  # nosec B704: autoescaped Jinja renderings


def drawn_for(context: jinja2.runtime.Context) -> SharedReader | None:
    """The reader a piece being drawn is for, or None outside pieces (a template drawn per
    request, whose `reader` is the real one)."""
    reader = context.get("reader")
    return reader if isinstance(reader, SharedReader) else None


def _shared_url_for(endpoint: str, **values) -> str:
    """url_for as a piece may call it: relative links only (an absolute one would take the
    reader's Host; site_url gives those) and no endpoint relative to the request's blueprint."""
    if endpoint.startswith(".") or "_external" in values or "_scheme" in values:
        raise PerReaderContent(f"url_for({endpoint!r}, ...) depends on the request; pieces use full names and site_url")
    return current_app.url_for(endpoint, **values)


class _LoaderOf(jinja2.BaseLoader):
    """Whatever loader `environment` has: the app's templates, as the open environment finds them."""

    def __init__(self, environment: jinja2.Environment):
        self.environment = environment

    def get_source(self, environment, template):
        return self.environment.loader.get_source(environment, template)


def closed_environment(app) -> jinja2.Environment:
    """An environment on the app's templates that offers only what cannot know the reader."""
    opened = app.jinja_env
    environment = jinja2.Environment(  # nosec B701: autoescape is the app's own choice, HTML escaped
        loader=_LoaderOf(opened),
        autoescape=opened.autoescape,
        auto_reload=opened.auto_reload,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    environment.newstyle_gettext = opened.newstyle_gettext
    environment.globals = {name: opened.globals[name] for name in SHARED_GLOBALS if name in opened.globals}
    environment.globals["url_for"] = _shared_url_for
    environment.globals["config"] = app.config
    environment.filters.update({name: opened.filters[name] for name in SHARED_FILTERS})
    return environment


class _WaitingMessages:
    """The reader's flashed messages, taken from the session only when a page shows them
    (a fragment drawn for htmx leaves them for the next page)."""

    def __iter__(self):
        return iter(get_flashed_messages(with_categories=True))


def page_values() -> dict:
    """What templates drawn both ways read of the request, in the open environment: the
    reader, this page's address (to come back to after a login) and the language a first
    visit's browser asks for. A piece gives itself these from its key."""
    if not has_request_context():
        return {}
    member_chose = current_user.is_authenticated and current_user.preferred_language
    here = request.full_path.rstrip("?")
    return {
        "reader": current_user,
        "here": here,
        "login_next": None if request.endpoint == "auth.login" else here,
        "language_offer": None if member_chose else offered_language(),
        "flashes": _WaitingMessages(),
    }


def init_app(app) -> None:
    """After every area has registered its template helpers."""
    app.context_processor(page_values)
    app.extensions["closed_jinja_env"] = closed_environment(app)


def whole_page(piece: Piece, **arguments):
    """A response with the page `piece` draws for every visitor, kept as the bytes sent.
    The front door (front_door.py) keeps the response, compressed, and answers the next
    visitor itself.

    A browser that has the page already names it by its ETag and is answered 304, with no
    body and nothing read from the store: on a slow line a repeat view costs its headers."""
    key = piece_key(piece, VISITOR, arguments)
    request.environ[KEPT_AS] = key
    encoding = request.accept_encodings.best_match(compress.enabled_algorithms)
    etag = page_etag(key)
    # Flask-Compress names the encoding after a strong ETag on a body it compresses.
    sent_etag = f"{etag}:{encoding}" if encoding else etag
    if request.if_none_match.contains(sent_etag):
        response = current_app.response_class(status=304)
        response.set_etag(sent_etag)
    else:
        body = kept(key)
        if body is None:
            body = _draw(piece, VISITOR, piece.context(reader=VISITOR, **arguments)).encode()
            keep(key, body)
        response = current_app.response_class(body, mimetype="text/html")
        response.set_etag(etag)  # Flask-Compress adds the encoding to it when it compresses
    # Kept by the browser, and asked again each time: a new comment shows at once.
    response.cache_control.no_cache = True
    return response
