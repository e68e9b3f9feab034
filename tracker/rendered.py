"""Rendered HTML kept between requests, per process, for what many readers see alike.

Each cache is a small least-recently-used map. Keys must name everything the HTML
depends on (a version column, the locale, ...), so an entry is never stale; entries also
expire after max_age seconds for what a key cannot name, such as "5 minutes ago" or an
author's new display name.
"""
import itertools
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from markupsafe import Markup

from .compression import PrecompressedPage, wants_gzip

# Drawn where the reader's CSRF token goes in a shared page; random, so no text a user
# writes onto a page can contain it.
_TOKEN_STAND_IN = secrets.token_hex(16)


class RenderedCache:
    def __init__(self, max_entries: int, max_age: float):
        self._entries: OrderedDict[tuple, tuple[float, object]] = OrderedDict()
        # Threaded servers (flask run) share the map between requests.
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self.max_age = max_age

    def get(self, key: tuple):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or time.monotonic() - entry[0] >= self.max_age:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple, value) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


# What a key cannot name ("5 minutes ago", an author's new name or badge) is at most half
# a minute old in any drawing; a role page drawn around a cached thread listing, at most
# a minute.
MAX_AGE_SECONDS = 30


def rendered_cache(app, name: str, max_entries: int = 512, max_age: float = MAX_AGE_SECONDS) -> RenderedCache:
    """The app's cache called `name` (each app, e.g. each test's, has its own database)."""
    caches = app.extensions.setdefault("rendered", {})
    if name not in caches:
        caches[name] = RenderedCache(max_entries, max_age)
    return caches[name]


def drawn_for_any_session(render) -> str:
    """`render(**context)` drawn with a stand-in where the reader's CSRF token goes, so the
    drawing serves every session; with_session_token puts the reader's own in."""
    return refuse_session_token(render(csrf_token=lambda: _TOKEN_STAND_IN))


def refuse_session_token(html: str) -> str:
    """`html`, checked before it is shared between sessions: holding the drawer's CSRF
    token (a form field that drew its own), it would let others post in their name."""
    # The signed token changes every second; its first part, the session's own token, does not.
    if generate_csrf().split(".", 1)[0] in html:
        raise RuntimeError("a drawing shared between sessions holds the drawer's own CSRF token")
    return html


def with_session_token(html: str) -> Markup:
    return Markup(html.replace(_TOKEN_STAND_IN, generate_csrf()))  # nosec B704: an autoescaped drawing


def drawn_once(cache_name: str, key: tuple, render, max_entries: int = 256) -> Markup:
    """`render(**context)` drawn once per process for `key` and the locale, then served to
    every session with its own CSRF token put in. The key must name everything the
    drawing shows: what differs between the readers it serves, and the versions of what
    it draws."""
    cache = rendered_cache(current_app, cache_name, max_entries)
    full_key = (*key, str(get_locale()))
    html = cache.get(full_key)
    if html is None:
        html = drawn_for_any_session(render)
        cache.put(full_key, html)
    return with_session_token(html)


def _part_stand_in(template_name: str) -> str:
    return f"<!--{_TOKEN_STAND_IN}:{template_name}-->"


@dataclass
class _SharedDrawing:
    """What a page drawn for every member leaves to fill in per reader."""

    parts: list[str] = field(default_factory=list)
    fixes: list = field(default_factory=list)


def drawing_for_every_member() -> _SharedDrawing | None:
    """The page being drawn now for every member, if one is."""
    return g.get("shared_drawing")


@pass_context
def reader_part(context, template_name: str) -> Markup:
    """Include a template that is the reader's own (their name and counts in the
    navigation, a role's save button). In a page drawn for every member it is a stand-in,
    drawn per request by shared_page with the page's context."""
    drawing = drawing_for_every_member()
    if drawing is not None:
        drawing.parts.append(template_name)
        return Markup(_part_stand_in(template_name))  # nosec B704: a fixed comment
    return Markup(context.environment.get_template(template_name).render(context.get_all()))  # nosec B704


_drawing_numbers = itertools.count()


@dataclass(frozen=True)
class _SharedPage:
    page: PrecompressedPage
    number: int  # names the drawing, so no variant of it outlives it
    holes: tuple[str, ...]
    parts: tuple[str, ...]
    # Each fix has variant(user_id): what the reader's page depends on (() for nothing,
    # None when they need a page of their own), and apply(html, variant).
    fixes: tuple


def shared_page(
    key: tuple, template: str, params: tuple[str, ...] = (), drawing_context=None, cache: str = "pages", **context
):
    """A whole page drawn and compressed once per process for everyone its key covers
    (every anonymous reader, every member, or one member when the key names them); each
    reader's CSRF token and own parts (reader_part) are put in per request. Members who
    wrote some of it get a copy with their own comments' links put in, made once per
    such variant.

    `key` names what the page shows, versions included. `context` is what the page and
    its parts are drawn with; `drawing_context()` adds what only drawing the whole page
    needs, so it runs only then. Moderators and suspended members (who see other
    controls), a reader with a message waiting (a flash), and URLs with query parameters
    other than `params` get a page of their own.
    """
    member = current_user.is_authenticated

    def drawn_whole(**extra):
        return render_template(template, **context, **(drawing_context() if drawing_context else {}), **extra)

    if (
        session.get("_flashes")
        or not set(request.args) <= set(params)
        or (member and (current_user.is_moderator or current_user.is_suspended()))
    ):
        return drawn_whole()
    pages = rendered_cache(current_app, cache, max_entries=128)
    full_key = (*key, str(get_locale()), request.full_path, member)
    shared = pages.get(full_key)
    if shared is None:
        shared = _draw_shared_page(drawn_whole, member)
        pages.put(full_key, shared)
    page = shared.page
    if shared.fixes:
        variants = tuple(fix.variant(current_user.id) for fix in shared.fixes)
        if None in variants:
            return drawn_whole()
        if any(variants):
            page = _page_variant(shared, full_key, variants)
    fillers = {_TOKEN_STAND_IN: generate_csrf()}
    for name in shared.parts:
        fillers[_part_stand_in(name)] = render_template(name, **context)
    gzipped = wants_gzip()
    response = current_app.response_class(page.body(fillers, gzipped), mimetype="text/html")
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    return response


def _page_variant(shared: _SharedPage, key: tuple, variants: tuple) -> PrecompressedPage:
    """The shared page with the fixes applied for `variants`, drawn once per variant."""
    cache = rendered_cache(current_app, "page variants", max_entries=256)
    variant_key = (*key, shared.number, variants)
    page = cache.get(variant_key)
    if page is None:
        html = shared.page.body({hole: hole for hole in shared.holes}, gzipped=False).decode()  # as drawn
        for fix, variant in zip(shared.fixes, variants):
            html = fix.apply(html, variant)
        page = PrecompressedPage(html, shared.holes)
        cache.put(variant_key, page)
    return page


def _draw_shared_page(drawn_whole, member: bool) -> _SharedPage:
    drawing = _SharedDrawing()
    if member:
        g.shared_drawing = drawing
    try:
        html = drawn_for_any_session(drawn_whole)
    finally:
        g.pop("shared_drawing", None)
    parts = tuple(dict.fromkeys(drawing.parts))
    holes = (_TOKEN_STAND_IN, *map(_part_stand_in, parts))
    return _SharedPage(PrecompressedPage(html, holes), next(_drawing_numbers), holes, parts, tuple(drawing.fixes))
