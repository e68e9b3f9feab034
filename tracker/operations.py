"""What running the app in production needs: a refusal to start unsafely, the reader's
real address behind a proxy, Secure cookies over HTTPS, a bound on every wait for the
database, a request id in every log line, and health checks.

Production is `TRACKER_ENV=production` (gunicorn.conf.py sets it). There the app will
not start with a SECRET_KEY anyone could guess or none of its own (every machine must
sign sessions alike), without SITE_URL, on SQLite unless that is meant, with rate limits
off or counted in one process's memory (each worker would count apart), or with the cache
in the limits' redis-server (its entries could push the counts out).
"""
import logging
import os
import re
import socket
import threading
import time
import uuid
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, g, has_request_context, jsonify, request
from flask.logging import default_handler
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import cache, db, limiter

# What a proxy's or client's request id may look like: it goes into every log line.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class UnsafeConfiguration(RuntimeError):
    """The app would run, but not safely: it refuses to start."""


# Words a key is made of when someone typed one instead of generating it; the longest first,
# so that "changeme" goes whole. What is left of a key without them and without separators
# must hold at least MIXED_CHARACTERS different characters (a random key holds 16 or more).
KEY_WORDS = sorted(
    ("development", "dev", "secret", "key", "changeme", "change", "me", "test", "testing", "password",
     "default", "example", "insecure", "flask", "tracker", "production", "your", "here", "replace"),
    key=len, reverse=True,
)
MIXED_CHARACTERS = 10
SECRET_KEY_BYTES = 32
# Published as the output of `secrets.token_hex()` in Flask's documentation, and copied.
PUBLISHED_KEYS = {"192b9bdd22ab9ed4d12e236c78afcb9a393ec15f71bbf5dc987d54727823bcbf"}
MAKE_A_KEY = "python -c 'import secrets; print(secrets.token_hex(32))'"


def guessable_secret_key(key: str) -> bool:
    """Whether `key` is short, a well-known word or a few of them however often repeated,
    or a key published in documentation: anyone could sign sessions with it."""
    if len(key.encode()) < SECRET_KEY_BYTES or key.strip().lower() in PUBLISHED_KEYS:
        return True
    rest = key.lower()
    for word in KEY_WORDS:
        rest = rest.replace(word, "")
    return len({character for character in rest if character.isalnum()}) < MIXED_CHARACTERS


def check_production_settings(config, secret_key: str | None) -> None:
    """Refuse to start in production with a setting that would make it unsafe, saying what to set."""
    if config["ENVIRONMENT"] != "production":
        return
    if not secret_key:
        raise UnsafeConfiguration(
            "SECRET_KEY is not set: in production every instance must be given the same key "
            f"(a key generated per machine would refuse the others' sessions). Make one with {MAKE_A_KEY}."
        )
    if guessable_secret_key(secret_key):
        raise UnsafeConfiguration(
            f"SECRET_KEY is shorter than {SECRET_KEY_BYTES} bytes or made of well-known words: anyone could "
            f"sign sessions and reset links with it. Set it to {SECRET_KEY_BYTES} random bytes or more, e.g. "
            f"the output of {MAKE_A_KEY}, the same on every instance."
        )
    if not config.get("SITE_URL"):
        raise UnsafeConfiguration(
            "SITE_URL is not set: in production every link mailed or shared is built on the "
            "site's own address (e.g. https://jobs.example.com), never on a request's Host."
        )
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and not config["ALLOW_SQLITE_IN_PRODUCTION"]:
        raise UnsafeConfiguration(
            "The database is a SQLite file (DATABASE_URL is not set, or names one): set DATABASE_URL to "
            "PostgreSQL (postgresql://user@host/name), or ALLOW_SQLITE_IN_PRODUCTION=1 if one machine "
            "with a SQLite file is meant."
        )
    if not config["RATELIMIT_ENABLED"]:
        raise UnsafeConfiguration(
            "Rate limits are off (RATELIMIT_ENABLED): logins, registrations and comments could be tried "
            "without end. Unset RATELIMIT_ENABLED, or set it to 1."
        )
    if config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        raise UnsafeConfiguration(
            "Rate limits would be counted in each worker's memory: set REDIS_URL (or "
            "RATELIMIT_STORAGE_URI) so that every worker and machine counts together."
        )
    _check_cache_apart_from_limits(config)


def _check_cache_apart_from_limits(config) -> None:
    """The cache's Redis lets old entries go when its memory is full (allkeys-lru): sharing
    it, the limits' counts would go too, and anyone able to make entries could reset them."""
    in_redis = config["CACHE_TYPE"].rsplit(".", 1)[-1].lower() in {"rediscache", "redis"}
    if not (config["RATELIMIT_ENABLED"] and in_redis):
        return
    # Without a URL, Flask-Caching goes to CACHE_REDIS_HOST and CACHE_REDIS_PORT.
    cache_url = config.get("CACHE_REDIS_URL") or "redis://{}:{}".format(
        config.get("CACHE_REDIS_HOST", "localhost"), config.get("CACHE_REDIS_PORT", 6379)
    )
    shared = _redis_server(cache_url) & _redis_server(config["RATELIMIT_STORAGE_URI"])
    if shared:
        host, port = min(shared)
        raise UnsafeConfiguration(
            f"The cache and the rate limits would share one redis-server ({host}:{port}): cache "
            "entries pushed out when its memory is full would take the limits' counts with them. "
            "Run two (deploy/redis-cache.conf and deploy/redis-limits.conf): CACHE_REDIS_URL on "
            "the cache's, REDIS_URL (or RATELIMIT_STORAGE_URI) on the limits'."
        )


def _redis_server(url: str) -> set[tuple[str, int | str]]:
    """The addresses (host and port, or a socket's path) the redis-server `url` names is
    reached at, all of them, so that `localhost` and `127.0.0.1` meet; empty if not Redis."""
    parts = urlsplit(url)
    if parts.scheme in {"unix", "redis+unix"}:
        return {("unix", os.path.realpath(parts.path))}
    if parts.scheme not in {"redis", "rediss"}:
        return set()
    host, port = parts.hostname or "localhost", parts.port or 6379
    try:
        return {(found[4][0], port) for found in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except OSError:  # a name not resolved now: compared as written
        return {(host, port)}


def postgres_connect_args(config) -> dict:
    """What psycopg is given to connect: how long to wait for the server, and the statement
    timeout PostgreSQL applies to every statement of the connection."""
    arguments = {"connect_timeout": config["DATABASE_CONNECT_TIMEOUT"]}
    if config["DATABASE_STATEMENT_TIMEOUT"]:
        arguments["options"] = f"-c statement_timeout={round(config['DATABASE_STATEMENT_TIMEOUT'] * 1000)}"
    return arguments


LOG_FORMAT = logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def init_app(app: Flask) -> None:
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config[name] is None:
            app.config[name] = app.config["ENVIRONMENT"] == "production"
    # Inside ProxyFix, so that it sees the scheme the reader used.
    app.wsgi_app = SecureCookiesOverHttps(app.wsgi_app)
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Each trusted proxy adds one address to X-Forwarded-For and sets the scheme it was
        # asked for; more than that number could be forged by the client. The host is not
        # taken from X-Forwarded-Host: links are built on SITE_URL (tracker/origin.py).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    app.logger.addFilter(_RequestIdFilter())
    default_handler.setFormatter(LOG_FORMAT)
    # Records of the app's own loggers below it (tracker.mail) reach this handler too.
    if not any(isinstance(each, _RequestIdFilter) for each in default_handler.filters):
        default_handler.addFilter(_RequestIdFilter())

    @app.before_request
    def name_the_request():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex

    @app.after_request
    def pass_the_request_id_on(response):
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response

    with app.app_context():
        _bound_waits_for_answers(db.engine, app.config["DATABASE_STATEMENT_TIMEOUT"])
    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/readyz", "readyz", readyz)


# A Set-Cookie value that already says Secure (Flask's, when SESSION_COOKIE_SECURE is on).
SECURE_ATTRIBUTE = re.compile(r";\s*secure\s*(;|$)", re.IGNORECASE)


class SecureCookiesOverHttps:
    """Mark every cookie set in an answer to an HTTPS request Secure, so a browser never
    sends it over plain HTTP, whatever SESSION_COOKIE_SECURE says. Flask's setting is one
    value for every request, and the session cookie is written after the app's last
    after_request hook, so this is done where the headers leave."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def start_secure_response(status, headers, exc_info=None):
            headers = [
                (name, f"{value}; Secure")
                if name.lower() == "set-cookie" and not SECURE_ATTRIBUTE.search(value) else (name, value)
                for name, value in headers
            ]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_secure_response)


class _AnswerDeadlines:
    """Statements of requests waiting for PostgreSQL's answer, each with the time it may
    take. A watcher thread shuts the socket of one past its time, so the driver's wait ends
    at once as a lost connection (which SQLAlchemy throws away). PostgreSQL's own
    statement_timeout cannot help when the server, or the way to it, is what hangs.

    Waits are known by their thread: one thread runs one statement at a time."""

    TICK = 0.1  # seconds between the watcher's looks

    def __init__(self):
        self._lock = threading.Lock()
        self._waiting: dict[int, tuple[int, float]] = {}  # thread -> (socket, deadline)
        self._watcher = None
        os.register_at_fork(after_in_child=self._forget_the_watcher)

    def begin(self, fileno: int, seconds: float) -> None:
        if self._watcher is None:
            self._start_the_watcher()
        self._waiting[threading.get_ident()] = (fileno, time.monotonic() + seconds)

    def end(self) -> None:
        # Under the lock: once this returns, the watcher no longer touches the socket,
        # which goes back to the pool for another request.
        with self._lock:
            self._waiting.pop(threading.get_ident(), None)

    def _start_the_watcher(self) -> None:
        with self._lock:
            if self._watcher is None:
                self._watcher = threading.Thread(target=self._watch, name="database-deadlines", daemon=True)
                self._watcher.start()

    def _forget_the_watcher(self) -> None:
        # A forked worker has no thread of its parent's: it starts its own when it needs one.
        self._lock = threading.Lock()
        self._waiting.clear()
        self._watcher = None

    def _watch(self) -> None:
        while True:
            time.sleep(self.TICK)
            now = time.monotonic()
            with self._lock:
                for thread, (fileno, deadline) in list(self._waiting.items()):
                    if deadline <= now:
                        del self._waiting[thread]
                        _shut(fileno)


def _shut(fileno: int) -> None:
    try:
        with socket.socket(fileno=os.dup(fileno)) as connection:  # a copy: the driver keeps its own
            connection.shutdown(socket.SHUT_RDWR)
    except OSError:  # closed meanwhile: nothing left to wait on
        pass


_deadlines = _AnswerDeadlines()


def _bound_waits_for_answers(engine: sa.Engine, seconds: float) -> None:
    """In a request, wait at most `seconds` for each statement's answer (g.answer_within
    says otherwise for one request); commands and jobs wait as long as it takes."""
    if engine.dialect.name != "postgresql" or not seconds:
        return

    def begin(connection, cursor, statement, parameters, context, executemany):
        if has_request_context():
            _deadlines.begin(cursor.connection.fileno(), g.get("answer_within", seconds))

    sa.event.listen(engine, "before_cursor_execute", begin)
    sa.event.listen(engine, "after_cursor_execute", lambda *arguments: _deadlines.end())
    sa.event.listen(engine, "handle_error", lambda context: _deadlines.end())


def healthz():
    """Say the process answers (for a supervisor that restarts a stuck one)."""
    return jsonify(status="ok")


# How long /readyz waits for the database's answer (connecting takes DATABASE_CONNECT_TIMEOUT).
READINESS_SECONDS = 1


def readyz():
    """Say whether this instance can serve: its database and Redis answer; else a 503, so
    a load balancer sends readers elsewhere."""
    problems = {}
    # Sooner than a page: a load balancer asks often and must hear of a hung database quickly.
    g.answer_within = READINESS_SECONDS
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        problems["database"] = type(error).__name__
    for name, reachable in (("cache", _cache_answers), ("rate limits", _limits_answer)):
        if not reachable():
            problems[name] = "unreachable"
    if problems:
        return jsonify(status="unavailable", problems=problems), 503
    return jsonify(status="ok")


def _cache_answers() -> bool:
    client = getattr(cache.cache, "_write_client", None)  # Redis; an in-process cache always answers
    if client is None:
        return True
    try:
        return bool(client.ping())
    except Exception:  # noqa: BLE001  any failure to reach Redis means not ready
        return False


def _limits_answer() -> bool:
    if not limiter.enabled:
        return True
    try:
        return bool(limiter.storage.check())
    except Exception:  # noqa: BLE001
        return False
