"""Job application tracker: role guides, a personal tracker and discussion threads."""
import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, abort, current_app, g, render_template, request, session
from flask_babel import lazy_gettext as _l
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE

from . import caching, mail, operations, origin, pieces
from .arguments import IdConverter
from .config import Config, load_secret_key
from .extensions import babel, cache, compress, csrf, db, limiter, login_manager, migrate
from .formatting import LocalisedDomain
from .language import keep_url_language, language_alternates, language_argument, offered_language, select_locale

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Sent with every response: pages, and static files (which WhiteNoise serves outside Flask).
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(config_class=Config) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.config.from_object(config_class)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "tracker.sqlite")
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    operations.check_production_settings(app.config, app.config.get("SECRET_KEY") or os.environ.get("SECRET_KEY"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.instance_path)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Wait for a writer instead of failing at once with "database is locked".
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 30}})
    else:
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": operations.postgres_connect_args(app.config)})

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    babel.init_app(app, locale_selector=select_locale)
    # Every message's numbers in the reader's digits (formatting.LocalisedDomain).
    babel.domain_instance = LocalisedDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    # Entries drawn by one release are never served by another, whose templates and static
    # file names may differ (two instances upgraded one after the other share one Redis).
    app.config["CACHE_KEY_PREFIX"] += (app.config["RELEASE"] or caching.code_release()) + ":"
    cache.init_app(app)
    mail.init_app(app)

    from . import models, versions  # noqa: F401  (the tables, and the writes that move cache keys)
    from .applications import bp as applications_bp
    from .auth import bp as auth_bp
    from .catalogue import bp as catalogue_bp
    from .discussion import bp as discussion_bp
    from .moderation import bp as moderation_bp

    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(applications_bp, url_prefix="/tracker")
    app.register_blueprint(discussion_bp)
    app.register_blueprint(moderation_bp, url_prefix="/moderation")

    from .cli import register_commands
    from .formatting import register_template_helpers
    from .front_door import serve_kept_pages
    from .static_files import serve_static_files

    register_commands(app)
    serve_kept_pages(app)  # first: the innermost of the app's WSGI layers
    serve_static_files(app, SECURITY_HEADERS)
    operations.init_app(app)  # after static files: ProxyFix must see every request first
    origin.init_app(app)  # and before ProxyFix, an unknown Host is refused
    register_template_helpers(app)
    app.add_template_global(language_argument)
    app.add_template_global(language_alternates)
    app.url_defaults(keep_url_language)
    pieces.init_app(app)  # last of the template helpers: pieces are drawn with some of them
    _register_error_pages(app)
    app.before_request(_refuse_nul_characters)
    app.after_request(_set_response_headers)
    compress.init_app(app)  # after the headers, so it runs first and they see its Vary
    return app


def _normalise_database_url(url: str) -> str:
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver name.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@sa.event.listens_for(sa.engine.Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    # PostgreSQL knows the byte-order collation "C"; give SQLite the same name so
    # ORDER BY ... COLLATE "C" runs unchanged on both.
    dbapi_connection.create_collation("C", lambda a, b: (a > b) - (a < b))


def _refuse_nul_characters():
    """Refuse (400) a request with a NUL character in its path, query or form: PostgreSQL
    cannot hold one in text, so it would fail there, and no person types one."""
    sent = [request.path]
    for fields in (request.args, request.form):
        sent += [text for pair in fields.items(multi=True) for text in pair]
    if any("\x00" in text for text in sent):
        abort(400)


def _set_response_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if _for_one_reader():
        # Neither a browser (the back button on a shared computer) nor a proxy may keep it.
        response.headers["Cache-Control"] = "no-store"
    # Pages and their HTMX fragments share URLs, and a logged-in reader's page is theirs,
    # so caches must keep them apart.
    response.vary.add("HX-Request")
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")  # a first visit is offered the browser's language
    return response


def _for_one_reader() -> bool:
    """Whether this answer may be one reader's: the request comes with a login (a session
    naming a user, or a remember-me cookie, whether or not the view loaded the user), or a
    CSRF token was made for it, which a page then holds."""
    config = current_app.config
    return (
        "_user_id" in session  # Flask-Login's key
        or config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE) in request.cookies
        or config["WTF_CSRF_FIELD_NAME"] in g
    )


def _register_error_pages(app: Flask) -> None:
    def render_error(error):
        if getattr(error, "response", None) is not None:  # made by whoever refused, e.g. a form again
            return error.response
        code = getattr(error, "code", 500)
        if code >= 500:
            db.session.rollback()
        return render_template("errors/error.html", code=code, error=error), code

    def database_unavailable(error):
        """The database did not answer in time, or refused: say so at once, drawing the page
        as for a visitor (loading the reader, or their unread count, would ask it again)."""
        # The driver's words, not SQLAlchemy's, which name the statement's parameters.
        app.logger.warning("the database did not answer: %r", getattr(error, "orig", error))
        db.session.rollback()
        g._login_user = login_manager.anonymous_user()  # where Flask-Login keeps the request's user
        return render_template("errors/error.html", code=503, error=error), 503

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, render_error)
    # OperationalError: a connection refused, timed out or lost, a statement cancelled by its
    # timeout; TimeoutError: no connection free in the pool.
    for unavailable in (sa.exc.OperationalError, sa.exc.TimeoutError):
        app.register_error_handler(unavailable, database_unavailable)
