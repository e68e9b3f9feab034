"""Configuration read from the environment, with safe defaults for a laptop."""
import os
import secrets
from datetime import timedelta
from pathlib import Path


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_secret_key(instance_path: str) -> str:
    """Return SECRET_KEY from the environment, or one generated once into the instance folder.

    Generating it on first run keeps sessions valid across restarts without ever
    committing a secret.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _cache_type() -> str:
    if os.environ.get("CACHE_TYPE"):
        return os.environ["CACHE_TYPE"]
    return "RedisCache" if os.environ.get("CACHE_REDIS_URL") or os.environ.get("REDIS_URL") else "SimpleCache"


class Config:
    # None means "SQLite file in the instance folder"; resolved in create_app.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # The one cache (tracker/caching.py): in this process on a laptop; Redis, shared by
    # every worker and machine, when CACHE_REDIS_URL (else REDIS_URL) is set. In production
    # it must be a redis-server of its own, apart from the limits' (operations.py): its
    # maxmemory with allkeys-lru lets old entries go, and would let counts go with them.
    CACHE_TYPE = _cache_type()
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or os.environ.get("REDIS_URL")
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "tracker:")
    # Names the code in every cache key (e.g. a git commit); by default a digest of it.
    RELEASE = os.environ.get("RELEASE", "")
    # Keys name the versions of what they show; the timeout bounds what a key cannot name
    # ("5 minutes ago" in a card) and lets unused entries go.
    CACHE_DEFAULT_TIMEOUT = int(os.environ.get("CACHE_DEFAULT_TIMEOUT", "60"))
    CACHE_THRESHOLD = 4000  # entries kept by the in-process cache
    # A Redis that stops answering costs a request at most a second, then is a miss.
    CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1} if CACHE_TYPE == "RedisCache" else None
    # Flask-Compress: level 3 writes within a tenth of level 6's size in 40% of its time
    # (an 84 KB role page: 7.2 KB in 0.37 ms, against 6.5 KB in 0.96 ms at 6).
    COMPRESS_LEVEL = 3
    COMPRESS_BR_LEVEL = 3
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIMETYPES = [
        "text/html", "text/css", "text/csv", "text/plain", "application/json",
        "application/javascript", "text/javascript", "image/svg+xml",
    ]
    COMPRESS_MIN_SIZE = 1024  # below about a kilobyte compression saves less than its framing
    COMPRESS_STREAMS = False  # files go as they are (static_files.py serves them compressed)
    # "production" refuses to start with unsafe settings (operations.py).
    ENVIRONMENT = os.environ.get("TRACKER_ENV", "development")
    # How many proxies in front of the app set X-Forwarded-For/-Proto/-Host (nginx: 1).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL") or "memory://"
    # A larger body is refused (413) before any of it is read. The longest form (a comment,
    # notes) fits many times over; the CSV import of a later issue may need more, through
    # MAX_CONTENT_LENGTH in the environment (in bytes).
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))
    RATELIMIT_ENABLED = _env_flag("RATELIMIT_ENABLED", True)
    # While Redis is down, limits are counted in each process (tracker/limits.py too), and
    # Flask-Limiter looks for Redis again now and then: writes go on, limited.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # None: on in production (operations.py); a request over HTTPS gets Secure cookies anyway.
    SESSION_COOKIE_SECURE = _env_flag("SESSION_COOKIE_SECURE", None)
    # A login ends when unused for SESSION_IDLE_DAYS, and SESSION_MAX_DAYS after it began
    # whatever its use (tracker/auth/sessions.py); a remember-me cookie lives no longer.
    SESSION_IDLE_DAYS = int(os.environ.get("SESSION_IDLE_DAYS", "30"))
    SESSION_MAX_DAYS = int(os.environ.get("SESSION_MAX_DAYS", "90"))
    REMEMBER_COOKIE_DURATION = timedelta(days=SESSION_MAX_DAYS)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None  # a form left open on a phone all day must still post
    # WTForms ships no Bengali catalogue and English is its source language, so its own
    # catalogue would change nothing; loading it costs about a millisecond per request.
    # Our messages go through Flask-Babel (tracker/translations).
    WTF_I18N_ENABLED = False
    # Bengali unless the reader chose English (tracker/language.py).
    BABEL_DEFAULT_LOCALE = "bn"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("BABEL_DEFAULT_TIMEZONE", "Asia/Dhaka")
    # The interface languages, each named in itself as the language menu shows it.
    LANGUAGES = {"en": "English", "bn": "বাংলা"}
    ROLES_PER_PAGE = 20
    COMMENTS_PER_PAGE = 20
    MAX_COMMENT_DEPTH = 5
    # A comment longer than this is folded to its first lines, with "Read more": on a phone
    # a 5,000-character one was a 5,200 px block.
    FOLD_COMMENT_CHARACTERS = 1200
    COMMENT_EDIT_MINUTES = 15
    GONE_QUIET_DAYS = 21
    HOLD_LINK_THRESHOLD = 2
    HOLD_NEW_ACCOUNT_HOURS = 24
    COMMENT_RATE_LIMIT = os.environ.get("COMMENT_RATE_LIMIT", "5 per minute")
    REPORT_RATE_LIMIT = os.environ.get("REPORT_RATE_LIMIT", "10 per hour")
    # Comment floods (issue 24). One member is held to COMMENT_RATE_LIMIT, so a flood comes
    # from many accounts behind one address (IP); but a mobile carrier puts many people
    # behind one address too. So an address may send a busy day of the whole site's
    # comments, and comments from accounts younger than HOLD_NEW_ACCOUNT_HOURS (a flood's
    # throwaway accounts) are counted per hour: enough for a class at a job centre, each
    # asking a question on its Wi-Fi. Moderators are not counted. Edits saved per member:
    # a few corrections a minute, not a script saving a comment again and again.
    COMMENT_ADDRESS_RATE_LIMIT = os.environ.get("COMMENT_ADDRESS_RATE_LIMIT", "200 per day")
    NEW_ACCOUNT_COMMENT_ADDRESS_RATE_LIMIT = os.environ.get("NEW_ACCOUNT_COMMENT_ADDRESS_RATE_LIMIT", "30 per hour")
    COMMENT_EDIT_RATE_LIMIT = os.environ.get("COMMENT_EDIT_RATE_LIMIT", "10 per minute")
    # Texts posted to a thread after the login ended, kept a day for the form (one a post:
    # a visitor needs no account to post one, so their number is held per address).
    DRAFT_ADDRESS_RATE_LIMIT = os.environ.get("DRAFT_ADDRESS_RATE_LIMIT", "30 per hour")
    # Tries at one account from one address; and from one address in all, kept loose because
    # mobile carriers put many people behind one address.
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per minute")
    AUTH_ADDRESS_RATE_LIMIT = os.environ.get("AUTH_ADDRESS_RATE_LIMIT", "60 per minute")
    # Asks for a new email per account: each mails an address the member typed.
    EMAIL_CHANGE_RATE_LIMIT = os.environ.get("EMAIL_CHANGE_RATE_LIMIT", "5 per day")
    # Registering and resetting say the same for every address and mail it (auth/registration.py):
    # new accounts made from one address (IP) a day, kept loose for a mobile carrier's
    # crowd behind one address; and the mails one typed address gets an hour, to finish
    # registering or to choose a new password (past that the page says the same, and
    # nothing more is mailed).
    ACCOUNTS_PER_ADDRESS_LIMIT = os.environ.get("ACCOUNTS_PER_ADDRESS_LIMIT", "20 per day")
    REGISTER_MAIL_RATE_LIMIT = os.environ.get("REGISTER_MAIL_RATE_LIMIT", "3 per hour")
    RESET_MAIL_RATE_LIMIT = os.environ.get("RESET_MAIL_RATE_LIMIT", "3 per hour")
    # Mail (tracker/mail.py): over SMTP when MAIL_SERVER is set, else written to the log.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _env_flag("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_flag("MAIL_USE_SSL", False)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Job tracker <no-reply@localhost>")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "20"))
    # A failed mail is tried again after MAIL_RETRY_SECONDS, doubling each time up to
    # MAIL_RETRY_MAX_SECONDS, for as long as it takes.
    MAIL_RETRY_SECONDS = int(os.environ.get("MAIL_RETRY_SECONDS", "60"))
    MAIL_RETRY_MAX_SECONDS = int(os.environ.get("MAIL_RETRY_MAX_SECONDS", "3600"))
    # With Redis, RQ sends a request's mails at once (`rq worker mail`); the outbox and
    # `flask mail send --watch` still try again what failed.
    MAIL_RQ_URL = os.environ.get("MAIL_RQ_URL") or os.environ.get("REDIS_URL") or None
    # The site's address: every absolute link (mails, og:url, unsubscribe) is built from it,
    # never from a request (tracker/origin.py). Required in production; on a laptop
    # http://127.0.0.1:5000.
    SITE_URL = os.environ.get("SITE_URL") or None
    # The host names the site answers for, comma-separated; any other Host gets a 400.
    # By default SITE_URL's host (and, outside production, 127.0.0.1 and localhost).
    TRUSTED_HOSTS = [host.strip() for host in os.environ.get("TRUSTED_HOSTS", "").split(",") if host.strip()]
    # CSV imports of applications (applications/importing.py, import_jobs.py). A file holds
    # at most IMPORT_MAX_ROWS applications: a job search of years, checked and written in
    # a few seconds. One of more than IMPORT_JOB_ROWS is imported by a job, not within its
    # request: by RQ (`rq worker imports`) with IMPORT_RQ_URL, else by `flask imports run
    # --watch` (on a laptop, straight after the request). Imports per member: IMPORT_RATE_LIMIT.
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "2000"))
    IMPORT_JOB_ROWS = int(os.environ.get("IMPORT_JOB_ROWS", "100"))
    IMPORT_RATE_LIMIT = os.environ.get("IMPORT_RATE_LIMIT", "10 per hour")
    IMPORT_RQ_URL = os.environ.get("IMPORT_RQ_URL") or os.environ.get("REDIS_URL") or None

    # Hardening (issue 24, operations.py). A database that stops answering costs a request
    # seconds, not a worker: PostgreSQL gets DATABASE_CONNECT_TIMEOUT seconds to accept a
    # connection (libpq's least is 2) and DATABASE_STATEMENT_TIMEOUT for each statement,
    # which it cancels itself (statement_timeout), and after which a request stops waiting
    # for its answer (0: no limit). SQLite keeps its busy timeout.
    DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "2"))
    DATABASE_STATEMENT_TIMEOUT = float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "4"))
    # Production runs on PostgreSQL unless a SQLite file on one machine is meant.
    ALLOW_SQLITE_IN_PRODUCTION = _env_flag("ALLOW_SQLITE_IN_PRODUCTION", False)


class TestConfig(Config):
    TESTING = True
    MAIL_RQ_URL = None
    IMPORT_RQ_URL = None
    SECRET_KEY = "test-secret-key"
    RATELIMIT_STORAGE_URI = "memory://"
    CACHE_TYPE = "SimpleCache"
