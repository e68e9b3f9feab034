"""What running the app in production needs: a refusal to start unsafely, the reader's
real address behind a proxy, a request id in every log line, and health checks.

Production is `TRACKER_ENV=production` (gunicorn.conf.py sets it). There the app will
not start without a SECRET_KEY of its own (every machine must sign sessions alike), with
rate limits counted in one process's memory (each worker would count apart), or with the
cache in the limits' redis-server (its entries could push the counts out).
"""
import logging
import os
import re
import socket
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


def check_production_settings(config, secret_key_given: bool) -> None:
    if config["ENVIRONMENT"] != "production":
        return
    if not secret_key_given:
        raise UnsafeConfiguration(
            "SECRET_KEY is not set: in production every instance must be given the same key "
            "(a key generated per machine would refuse the others' sessions)."
        )
    if not config.get("SITE_URL"):
        raise UnsafeConfiguration(
            "SITE_URL is not set: in production every link mailed or shared is built on the "
            "site's own address (e.g. https://jobs.example.com), never on a request's Host."
        )
    if config["RATELIMIT_ENABLED"] and config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
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


LOG_FORMAT = logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def init_app(app: Flask) -> None:
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

    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/readyz", "readyz", readyz)


def healthz():
    """Say the process answers (for a supervisor that restarts a stuck one)."""
    return jsonify(status="ok")


def readyz():
    """Say whether this instance can serve: its database and Redis answer; else a 503, so
    a load balancer sends readers elsewhere."""
    problems = {}
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
