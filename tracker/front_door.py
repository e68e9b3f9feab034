"""A visitor's role page, served before the app's stack when it was drawn already.

A visitor's page is the same for every visitor (tracker/pieces.py), so once the app has
answered one, its response (headers and compressed body, as sent) is kept, and the next
visitor asking for it is answered here, after the Host check and the proxy's headers but
before Flask makes a request, a session and a context: one version lookup and one read
of the store. Discourse serves its anonymous readers the same way. Only a bare visitor is
answered here: a GET of a role's first page with no arguments, without a session or a
remember-me cookie and without htmx; anything else, and anything not kept, goes to the
app, which draws and keeps it. The key is the page's piece key, read from the request
as the app reads it (the chosen language's cookie, the language a first visit is offered,
the encoding), and names every version the page shows, so a write is seen at once.
"""
import re
import uuid

from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import LanguageAccept, MultiDict
from werkzeug.http import parse_accept_header, parse_cookie, parse_etags, unquote_etag

from .catalogue import parts
from .catalogue.pieces import ROLE_PAGE, page_arguments
from .catalogue.roles import READ_VERSIONS, VERSIONS_BY_SLUG
from .extensions import cache, compress, db
from .language import COOKIE, first_visit_offer
from .operations import REQUEST_ID
from .pieces import KEPT_AS, VISITOR, piece_key

ROLE_PATH = re.compile(r"/roles/([A-Za-z0-9_-]{1,120})")
# Made for one request: never replayed.
NOT_KEPT = {"x-request-id", "date"}


class FrontDoor:
    def __init__(self, flask_app, wsgi_app):
        self.wsgi_app = wsgi_app
        config = flask_app.config
        self.languages = list(config["LANGUAGES"])
        self.default_language = config["BABEL_DEFAULT_LOCALE"]
        self.personal_cookies = {config["SESSION_COOKIE_NAME"], config.get("REMEMBER_COOKIE_NAME", "remember_token")}
        with flask_app.app_context():
            self.engine = db.engine
            self.store = cache.cache

    def __call__(self, environ, start_response):
        key = self._key_of(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        try:
            kept = self.store.get(key)
        except RedisError:
            kept = None
        request_id = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = request_id if REQUEST_ID.fullmatch(request_id) else uuid.uuid4().hex
        if kept is None:
            return self._keep(key, environ, start_response)
        status, headers, body = kept
        etag = dict((name.lower(), value) for name, value in headers).get("etag")
        if etag and parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains(unquote_etag(etag)[0]):
            unchanged = [(name, value) for name, value in headers if name.lower() not in ("content-length", "content-type", "content-encoding")]
            start_response("304 NOT MODIFIED", unchanged + [("X-Request-ID", request_id)])
            return [b""]
        start_response(status, headers + [("X-Request-ID", request_id)])
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]

    def _key_of(self, environ) -> str | None:
        """The key of the response a bare visitor is asking for, or None if they are not one."""
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or environ.get("QUERY_STRING") or environ.get("HTTP_HX_REQUEST"):
            return None
        found = ROLE_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if not found:
            return None
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        if self.personal_cookies & set(cookies):
            return None
        chosen = cookies.get(COOKIE) if cookies.get(COOKIE) in self.languages else None
        locale = chosen or self.default_language
        offer = None
        if chosen is None:  # as language.offered_language, from the headers alone
            accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
            offer = first_visit_offer(accepted, self.languages, locale)
        # As the app chooses it (pieces.whole_page).
        encoding = parse_accept_header(environ.get("HTTP_ACCEPT_ENCODING")).best_match(compress.enabled_algorithms)
        try:
            with self.engine.connect() as connection:
                versions = connection.execute(VERSIONS_BY_SLUG, {"slug": found.group(1)}).first()
        except SQLAlchemyError as error:  # the app answers, as it does for every page then
            environ[READ_VERSIONS] = (found.group(1), error)
            return None
        if versions is None:
            return None
        environ[READ_VERSIONS] = (found.group(1), versions)  # the app need not read them again
        arguments = page_arguments(versions, parts.canonical_args(versions, MultiDict()), offer)
        page = piece_key(ROLE_PAGE, VISITOR, arguments, locale)
        return f"front:{environ['wsgi.url_scheme']}:{encoding or 'identity'}:{page}"

    def _keep(self, key: str, environ, start_response):
        """The app's answer, kept when the app says it is the visitor's page of this key."""
        answered = {}

        def noting(status, headers, exc_info=None):
            answered.update(status=status, headers=headers)
            return start_response(status, headers, exc_info)

        body_parts = self.wsgi_app(environ, noting)
        try:
            body = b"".join(body_parts)
        finally:
            if hasattr(body_parts, "close"):
                body_parts.close()
        drawn_as = environ.get(KEPT_AS)
        headers = answered.get("headers", [])
        kept_here = drawn_as and key.endswith(":" + drawn_as) and environ["REQUEST_METHOD"] == "GET"
        if kept_here and answered["status"].startswith("200") and "set-cookie" not in {name.lower() for name, _ in headers}:
            kept = [(name, value) for name, value in headers if name.lower() not in NOT_KEPT]
            try:
                self.store.set(key, (answered["status"], kept, body))
            except RedisError:
                pass
        return [body]


def serve_kept_pages(app) -> None:
    """Put the front door right in front of the app (inside the Host check and ProxyFix)."""
    app.wsgi_app = FrontDoor(app, app.wsgi_app)
