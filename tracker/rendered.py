"""Rendered HTML kept between requests, per process, for what many readers see alike.

Each cache is a small least-recently-used map. Keys must name everything the HTML
depends on (a version column, the locale, ...), so an entry is never stale; entries also
expire after max_age seconds for what a key cannot name, such as "5 minutes ago" or an
author's new display name.
"""
import secrets
import threading
import time
from collections import OrderedDict

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
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


# A shared page is drawn from shared thread listings, so each keeps half a minute:
# together nothing a reader sees is older than a minute ("5 minutes ago", renamed authors).
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
    return render(csrf_token=lambda: _TOKEN_STAND_IN)


def with_session_token(html: str) -> Markup:
    return Markup(html.replace(_TOKEN_STAND_IN, generate_csrf()))  # nosec B704: an autoescaped drawing


def page_for_anyone(key: tuple, render, params: tuple[str, ...] = ()):
    """A whole page as every anonymous reader sees it, drawn (and compressed) once per
    process, with this reader's own CSRF token (for the language form) put in.

    `render(**context)` renders the page; `key` names what it shows, versions included.
    Logged-in readers, a reader with a message waiting (a flash), and URLs with query
    parameters other than `params` get a page of their own.
    """
    if current_user.is_authenticated or session.get("_flashes") or not set(request.args) <= set(params):
        return render()
    cache = rendered_cache(current_app, "pages", max_entries=128)
    full_key = (*key, str(get_locale()), request.full_path)
    page = cache.get(full_key)
    if page is None:
        page = PrecompressedPage(drawn_for_any_session(render), _TOKEN_STAND_IN)
        cache.put(full_key, page)
    gzipped = wants_gzip()
    response = current_app.response_class(page.body(generate_csrf(), gzipped), mimetype="text/html")
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    return response
