"""Running in production: refusing unsafe settings, the reader's address behind a proxy,
Secure cookies over HTTPS, request ids, health checks, a database that stops answering,
and private pages kept out of caches."""
import logging
import re
import secrets
import selectors
import socket
import threading
import time

import pytest
import sqlalchemy as sa
from flask import request

from tracker.extensions import db
from tracker.models import User
from tracker.operations import LOG_FORMAT, UnsafeConfiguration

from .conftest import CSRF_FIELD, PASSWORD, TEST_DATABASE_URL, _empty_postgres, make_app

# Limits counted in a Redis nobody listens on: production accepts the setting, and
# Flask-Limiter counts in memory meanwhile, so these tests need no Redis of their own.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def production_app(database_url, **overrides):
    """The app as gunicorn.conf.py starts it, with settings production accepts."""
    settings = {
        "ENVIRONMENT": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "RATELIMIT_STORAGE_URI": UNREACHABLE_REDIS,
        "ALLOW_SQLITE_IN_PRODUCTION": database_url.startswith("sqlite"),
        "SITE_URL": "http://localhost",  # the test client's host, which production then answers alone
        **overrides,
    }
    return make_app(database_url, **settings)


def test_production_refuses_to_start_without_its_own_secret_key(database_url, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(UnsafeConfiguration, match="SECRET_KEY is not set"):
        production_app(database_url, SECRET_KEY=None)


@pytest.mark.parametrize("key", [
    "x", "dev", "secret", "changeme", "test", "password", "test-secret-key",
    "x" * 64, "changeme" * 4, "secret-key-secret-key-secret-key", "development-secret-key-change-me",
    "192b9bdd22ab9ed4d12e236c78afcb9a393ec15f71bbf5dc987d54727823bcbf",  # Flask's documentation's
])
def test_production_refuses_a_secret_key_anyone_could_guess(database_url, key):
    with pytest.raises(UnsafeConfiguration, match="SECRET_KEY is shorter than 32 bytes or made of well-known words"):
        production_app(database_url, SECRET_KEY=key)


@pytest.mark.parametrize("make_key", [
    lambda: secrets.token_hex(16), lambda: secrets.token_hex(32), lambda: secrets.token_urlsafe(32),
    lambda: "one key for both instances, given as in production",
], ids=["token_hex(16)", "token_hex(32)", "token_urlsafe(32)", "a sentence"])
def test_production_starts_with_a_key_of_its_own(database_url, make_key):
    # Made in the test, not at collection: pytest-xdist's workers must collect the same ids.
    key = make_key()
    assert production_app(database_url, SECRET_KEY=key)


def test_production_refuses_sqlite_unless_it_is_meant(tmp_path):
    for url in (None, f"sqlite:///{tmp_path / 'one.sqlite'}"):  # None: DATABASE_URL not set
        with pytest.raises(UnsafeConfiguration, match="DATABASE_URL") as refusal:
            production_app("sqlite", SQLALCHEMY_DATABASE_URI=url, ALLOW_SQLITE_IN_PRODUCTION=False)
        assert "ALLOW_SQLITE_IN_PRODUCTION=1" in str(refusal.value)
    assert production_app(f"sqlite:///{tmp_path / 'one.sqlite'}", ALLOW_SQLITE_IN_PRODUCTION=True)


def test_production_refuses_rate_limits_turned_off(database_url):
    with pytest.raises(UnsafeConfiguration, match="Unset RATELIMIT_ENABLED"):
        production_app(database_url, RATELIMIT_ENABLED=False)


def test_production_refuses_limits_counted_in_one_process(database_url):
    with pytest.raises(UnsafeConfiguration, match="REDIS_URL"):
        production_app(database_url, RATELIMIT_STORAGE_URI="memory://")
    assert production_app(database_url)


def _log_in(app, remember: bool, **request_options):
    """Log a member in (remembered or not), made on the first call; return the login's answer."""
    with app.app_context():
        if not db.session.scalar(sa.select(User).where(User.email == "asha@example.com")):
            member = User(email="asha@example.com", display_name="Asha")
            member.set_password(PASSWORD)
            db.session.add(member)
            db.session.commit()
    client = app.test_client()
    form = client.get("/auth/login", **request_options).get_data(as_text=True)
    data = {"email": "asha@example.com", "password": PASSWORD, "csrf_token": CSRF_FIELD.search(form).group(1)}
    if remember:
        data["remember_me"] = "y"
    # Over HTTPS Flask-WTF also wants the page the form came from.
    headers = {"Referer": "https://localhost/auth/login", **request_options.pop("headers", {})}
    response = client.post("/auth/login", data=data, headers=headers, **request_options)
    assert response.status_code == 303
    return response


def _cookies(response) -> dict[str, str]:
    """Each cookie the answer sets, by name, with its attributes."""
    return {value.split("=", 1)[0]: value for value in response.headers.getlist("Set-Cookie")}


def _secure(cookie: str) -> bool:
    return bool(re.search(r";\s*Secure(;|$)", cookie, re.IGNORECASE))


@pytest.fixture
def logging_in(database_url):
    """Make apps with make(settings) and log a member in with log_in(app, ...) on this test's
    database, emptied first; each app's connections are closed afterwards."""
    made = []

    def make(factory, **settings):
        made.append(factory(database_url, **settings))
        return made[-1]

    if database_url.startswith("postgresql"):
        _empty_postgres(make(make_app))
    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def test_in_production_the_login_cookies_are_secure(logging_in):
    cookies = _cookies(_log_in(logging_in(production_app), remember=True))
    assert {"session", "remember_token"} <= set(cookies)
    assert all(_secure(cookie) for cookie in cookies.values()), cookies


@pytest.mark.parametrize("environment", ["development", "production"])
def test_over_https_every_cookie_is_secure_whatever_the_setting(logging_in, environment):
    factory = production_app if environment == "production" else make_app
    # Behind a proxy that says the reader came over HTTPS; and straight over HTTPS.
    behind_a_proxy = logging_in(factory, SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False, TRUSTED_PROXIES=1)
    cookies = _cookies(_log_in(behind_a_proxy, remember=True, headers={"X-Forwarded-Proto": "https"}))
    assert {"session", "remember_token"} <= set(cookies)
    assert all(_secure(cookie) for cookie in cookies.values()), cookies

    plain = logging_in(factory, SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    cookies = _cookies(_log_in(plain, remember=True))
    assert not any(_secure(cookie) for cookie in cookies.values()), cookies  # turned off on purpose, plain HTTP
    cookies = _cookies(_log_in(plain, remember=True, base_url="https://localhost"))
    assert all(_secure(cookie) for cookie in cookies.values()), cookies


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


def test_a_visitors_public_pages_may_be_kept_but_not_a_form_with_a_token(seeded, client, user_client):
    for url in ("/", "/roles/bpo-job", "/robots.txt"):
        assert "no-store" not in client.get(url).headers.get("Cache-Control", ""), url
        assert user_client.get(url).headers["Cache-Control"] == "no-store", url  # a member's are theirs
    for url in ("/auth/login", "/auth/register", "/auth/password/forgot"):
        response = client.get(url)
        assert 'name="csrf_token"' in response.get_data(as_text=True)
        assert response.headers["Cache-Control"] == "no-store", url


class HungDatabase:
    """A PostgreSQL server that stops answering: a proxy to the real one on 127.0.0.1 that
    passes bytes both ways until `stall()`; from then on it takes connections and bytes,
    and answers nothing, as a server that hangs does (its machine still acknowledges)."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.stalled = threading.Event()
        self.closed = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets = [self.listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def stall(self):
        self.stalled.set()

    def resume(self):
        self.stalled.clear()

    def _accept(self):
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            threading.Thread(target=self._pass_on, args=(client, upstream), daemon=True).start()

    def _pass_on(self, one, other):
        with selectors.DefaultSelector() as selector:
            selector.register(one, selectors.EVENT_READ, other)
            selector.register(other, selectors.EVENT_READ, one)
            while not self.closed.is_set():
                ready = selector.select(0.05)
                if self.stalled.is_set():
                    continue
                for key, _ in ready:
                    try:
                        data = key.fileobj.recv(65536)
                        if not data:
                            return
                        key.data.sendall(data)
                    except OSError:  # a side closed (the app cut a connection it gave up on)
                        return

    def close(self):
        self.closed.set()
        for each in self.sockets:
            each.close()


def _timed(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


ERROR_PAGE = "The site cannot reach its records just now"


def test_a_database_that_takes_connections_and_never_answers_costs_seconds(tmp_path):
    # A listening socket nobody accepts from: the system completes each connection and
    # nothing ever answers, like a PostgreSQL whose every process is stuck.
    with socket.create_server(("127.0.0.1", 0), backlog=16) as silent:
        app = make_app(f"postgresql+psycopg://postgres@127.0.0.1:{silent.getsockname()[1]}/hung")
        client = app.test_client()
        ready, seconds = _timed(client, "/readyz")
        assert ready.status_code == 503 and "database" in ready.get_json()["problems"]
        assert seconds < 3  # DATABASE_CONNECT_TIMEOUT is 2
        page, seconds = _timed(client, "/roles/bpo-job")  # a reader who chose no language: Bengali
        # One wait for a connection, not two: the error page asks nothing of the database.
        assert page.status_code == 503 and seconds < 3.5
        assert "সাইটটি এই মুহূর্তে তার তথ্যভান্ডারে পৌঁছাতে পারছে না" in page.get_data(as_text=True)
        assert "<title>৫০৩ ·" in page.get_data(as_text=True)
        assert client.get("/healthz").status_code == 200


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="set TEST_DATABASE_URL: a PostgreSQL that stops answering")
def test_a_database_that_stops_answering_midway_costs_seconds(postgres_url):
    server = sa.make_url(postgres_url)
    hung = HungDatabase((server.host, server.port or 5432))
    try:
        app = make_app(server.set(port=hung.port).render_as_string(hide_password=False))
        _empty_postgres(app)
        with app.app_context():
            asha = User(email="asha@example.com", display_name="Asha")
            db.session.add(asha)
            db.session.commit()
            page_of_asha = f"/auth/people/{asha.id}"
        client = app.test_client()
        client.set_cookie("lang", "en")
        assert client.get("/readyz").status_code == 200  # a connection kept in the pool

        hung.stall()
        ready, seconds = _timed(client, "/readyz")
        assert ready.status_code == 503 and seconds < 3
        hung.resume()
        assert client.get(page_of_asha).status_code == 200

        hung.stall()  # the connection kept since, half-way through a page's statements
        page, seconds = _timed(client, page_of_asha)
        assert page.status_code == 503 and ERROR_PAGE in page.get_data(as_text=True)
        assert seconds < 6  # DATABASE_STATEMENT_TIMEOUT is 4
        page, seconds = _timed(client, page_of_asha)  # a new connection, never answered
        assert page.status_code == 503 and seconds < 3.5
        with app.app_context():
            db.engine.dispose()
    finally:
        hung.close()


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="set TEST_DATABASE_URL: PostgreSQL's statement_timeout")
def test_postgresql_cancels_a_statement_past_its_time(postgres_url):
    app = make_app(postgres_url, DATABASE_STATEMENT_TIMEOUT=1)

    @app.get("/test-slow")
    def slow():
        return str(db.session.scalar(sa.text("SELECT pg_sleep(3) IS NULL")))

    response, seconds = _timed(app.test_client(), "/test-slow")
    assert response.status_code == 503 and seconds < 2.5
    with app.app_context():  # a command waits as long as its statements take, but PostgreSQL does not
        with pytest.raises(sa.exc.OperationalError, match="statement timeout"):
            db.session.execute(sa.text("SELECT pg_sleep(3)"))
        db.session.rollback()
        db.engine.dispose()
