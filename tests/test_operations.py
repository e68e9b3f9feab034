"""Running in production: refusing unsafe settings, the reader's address behind a proxy,
request ids, health checks, and private pages kept out of caches."""
import logging

import pytest
from flask import request

from tracker.operations import LOG_FORMAT, UnsafeConfiguration

from .conftest import make_app


def test_production_refuses_to_start_without_its_own_secret_key(database_url, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(UnsafeConfiguration, match="SECRET_KEY"):
        make_app(database_url, ENVIRONMENT="production", SECRET_KEY=None, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15")


def test_production_refuses_limits_counted_in_one_process(database_url):
    with pytest.raises(UnsafeConfiguration, match="REDIS_URL"):
        make_app(database_url, ENVIRONMENT="production", RATELIMIT_STORAGE_URI="memory://", SITE_URL="https://jobs.example.org")
    assert make_app(database_url, ENVIRONMENT="production", RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15",
                    SITE_URL="https://jobs.example.org")


def test_behind_a_trusted_proxy_the_readers_address_and_scheme_count(database_url):
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    for proxies, address, secure in ((1, "203.0.113.7", True), (0, "127.0.0.1", False)):
        app = make_app(database_url, TRUSTED_PROXIES=proxies)

        @app.get("/test-address")
        def address_seen():
            return request.remote_addr

        client = app.test_client()
        assert client.get("/test-address", headers=forwarded).get_data(as_text=True) == address
        response = client.get("/healthz", headers=forwarded)
        assert ("Strict-Transport-Security" in response.headers) is secure


def test_a_request_id_is_passed_on_and_logged(app, client, caplog):
    @app.get("/test-log")
    def log_something():
        app.logger.warning("something happened")
        return "logged"

    given = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-ID": "no spaces <or> quotes\""})
    assert len(made.headers["X-Request-ID"]) == 32  # one of its own, not what would mangle a log line

    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        client.get("/test-log", headers={"X-Request-ID": "req-42"})
    record = next(record for record in caplog.records if record.getMessage() == "something happened")
    assert "[req-42] tracker: something happened" in LOG_FORMAT.format(record)


def test_health_and_readiness(app, client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ok"}


def test_not_ready_when_the_database_or_redis_is_unreachable(tmp_path):
    unreachable_db = make_app("postgresql+psycopg://postgres@127.0.0.1:1/none")
    response = unreachable_db.test_client().get("/readyz")
    assert response.status_code == 503 and "database" in response.get_json()["problems"]
    unreachable_redis = make_app(
        f"sqlite:///{tmp_path / 'x.sqlite'}", CACHE_TYPE="RedisCache", CACHE_REDIS_URL="redis://127.0.0.1:1/0"
    )
    response = unreachable_redis.test_client().get("/readyz")
    assert response.status_code == 503 and response.get_json()["problems"] == {"cache": "unreachable"}


def test_private_pages_are_kept_out_of_caches(seeded, user_client):
    for url in ("/tracker/", "/tracker/board", "/tracker/export.csv"):
        response = user_client.get(url)
        assert response.headers["Cache-Control"] == "no-store", url
    assert "no-store" not in user_client.get("/roles/bpo-job").headers.get("Cache-Control", "")
