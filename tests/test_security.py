"""Protections that hold on every route: headers, CSRF, rate limits, static analysis."""
import os
import shutil
import subprocess
import sys

import pytest
import redis
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing.converters import NumberConverter

from tracker.extensions import db

from .conftest import TEST_REDIS_URL, make_app
from .test_access_matrix import ROUTES, _url, world  # noqa: F401  (world: the fixture)



def _sample_url(app, rule) -> str:
    """Build a URL for any rule, filling its variables with plausible values."""
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        values[name] = 1 if isinstance(converter, NumberConverter) else "x"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def post_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]


def test_every_post_route_refuses_a_request_without_csrf_token(app, user_client):
    rules = post_rules(app)
    assert len(rules) >= 3  # the map was read: login, register, logout at least
    for rule in rules:
        url = _sample_url(app, rule)
        response = user_client.post(url, data={"text": "x"}, csrf=False)
        assert response.status_code == 400, (rule.endpoint, response.status_code)
        assert "expired" in response.get_data(as_text=True), rule.endpoint
        htmx = user_client.post(url, data={"text": "x"}, headers={"HX-Request": "true"}, csrf=False)
        assert htmx.status_code == 400, rule.endpoint


def test_a_wrong_csrf_token_is_refused(app, client):
    response = client.post("/auth/login", data={"email": "a@example.com", "password": "x", "csrf_token": "forged"})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/", "/auth/login", "/roles/missing", "/static/css/app.css"])
def test_security_headers_on_every_kind_of_response(seeded, client, path):
    with client.get(path) as response:
        csp = response.headers["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
            assert directive in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers


def test_hsts_is_sent_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_register_is_rate_limited_per_email(client):
    statuses = [client.post("/auth/register", data={"email": "u@example.com"}).status_code for _ in range(11)]
    assert statuses[-1] == 429 and statuses[:10] == [303] * 10
    # Others behind the same mobile carrier's address are not held up by that one person.
    assert client.post("/auth/register", data={"email": "someone-else@example.com"}).status_code == 303


def test_register_is_rate_limited_per_address_beyond_what_a_crowd_would_try(client):
    statuses = [client.post("/auth/register", data={"email": f"u{n}@example.com"}).status_code for n in range(61)]
    assert statuses[:60] == [303] * 60 and statuses[60] == 429


@pytest.mark.skipif(not TEST_REDIS_URL, reason="set TEST_REDIS_URL to test Redis-backed limits")
def test_rate_limits_are_stored_in_redis_when_configured(database_url):
    store = redis.Redis.from_url(TEST_REDIS_URL)
    store.flushdb()
    # CSRF is off here only because this test is about where the limiter counts.
    app = make_app(database_url, RATELIMIT_STORAGE_URI=TEST_REDIS_URL, WTF_CSRF_ENABLED=False)
    try:
        client = app.test_client()
        statuses = [
            client.post("/auth/login", data={"email": "a@example.com", "password": "x"}).status_code for _ in range(11)
        ]
        assert statuses[:10] == [200] * 10 and statuses[10] == 429
        keys = [key.decode() for key in store.keys("*")]
        assert any("auth.login" in key for key in keys), keys
    finally:
        store.flushdb()
        store.close()
        with app.app_context():
            db.engine.dispose()


def test_bandit_finds_no_medium_or_high_severity_issue():
    bandit = shutil.which("bandit", path=os.path.dirname(sys.executable))
    assert bandit, "bandit is a test dependency; install with pip install -e .[test]"
    tracker_dir = os.path.join(os.path.dirname(__file__), "..", "tracker")
    result = subprocess.run([bandit, "-q", "-r", tracker_dir, "-ll"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("accepted", "encoding"), [("gzip, deflate", "gzip"), ("gzip, deflate, br", "br")])
def test_pages_are_sent_compressed_to_browsers_that_accept_it(seeded, client, user_client, accepted, encoding):
    import gzip

    import brotli

    unpack = {"gzip": gzip.decompress, "br": brotli.decompress}[encoding]
    for reader in (client, user_client):  # a page shared by visitors, and a member's own
        plain = reader.get("/roles/customer-care-officer")
        assert "Content-Encoding" not in plain.headers
        for _ in range(2):  # compressed, then (a visitor's page) its kept compressed body
            packed = reader.get("/roles/customer-care-officer", headers={"Accept-Encoding": accepted})
            assert packed.headers["Content-Encoding"] == encoding
            for header in ("Accept-Encoding", "HX-Request", "Cookie"):
                assert header in packed.headers["Vary"]
            page = unpack(packed.data).decode()
            assert "কাস্টমার কেয়ার অফিসার" in page and page.rstrip().endswith("</html>")
            assert len(packed.data) < len(plain.data) / 3
    # Files are sent as they are (static_files.py serves compressed copies of them).
    with client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip"}) as stylesheet:
        assert "Content-Encoding" not in stylesheet.headers


def test_visitors_share_one_compressed_page(seeded, app):
    import gzip

    bodies = [
        app.test_client().get("/roles/bpo-job", headers={"Accept-Encoding": "gzip"}) for _ in range(2)
    ]
    assert all(response.headers["Content-Encoding"] == "gzip" for response in bodies)
    assert bodies[0].data == bodies[1].data
    page = gzip.decompress(bodies[0].data).decode()  # checks the length and CRC too
    assert "BPO কাজ" in page and page.rstrip().endswith("</html>")
    assert "csrf_token" not in page and "X-CSRFToken" not in page


@pytest.mark.parametrize("current_url", ["http://[x/", "http://]", "//[::1", "http://a:99999999999/x"])
def test_a_malformed_htmx_current_url_is_ignored(client, current_url):
    response = client.get("/tracker/", headers={"HX-Request": "true", "HX-Current-URL": current_url})
    assert response.status_code == 401 and response.headers["HX-Redirect"] == "/auth/login"


# What a client may put in the headers the app reads, short of a Host (checked apart).
MALFORMED = ["http://[x/", "http://]", "[", "%", "\x7f", "é", "a" * 9000, ",,;;==", "*;q=2", "br;q=nan", "gzip;q=1e999"]
READ_HEADERS = [
    "HX-Current-URL", "HX-Request", "HX-History-Restore-Request", "X-Request-ID", "Accept-Encoding",
    "Accept-Language", "Cookie", "User-Agent", "X-Forwarded-For", "X-Forwarded-Proto", "X-CSRFToken",
]


def test_no_header_a_client_sends_gives_a_server_error(app, user):
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # believed, as behind nginx (TRUSTED_PROXIES=1)
    visitor, member = app.test_client(), app.test_client()
    member.login(user.email)
    for name in READ_HEADERS:
        for value in MALFORMED:
            for reader, htmx in ((visitor, False), (visitor, True), (member, True)):
                headers = {name: value, **({"HX-Request": "true"} if htmx and name != "HX-Request" else {})}
                for url in ("/tracker/", "/roles/missing", "/auth/login"):
                    response = reader.get(url, headers=headers)
                    assert response.status_code < 500, (name, value[:20], url, htmx)


@pytest.mark.parametrize("reader", ["member", "moderator"])
def test_nothing_drawn_for_a_logged_in_reader_may_be_kept(app, world, user, moderator, reader):
    client = app.test_client()
    client.login((user if reader == "member" else moderator).email)
    urls = [_url(app, endpoint, world) for endpoint, _, method in ROUTES if method == "GET"]
    assert len(urls) > 30  # the map was read
    for url in urls:
        for headers in ({}, {"HX-Request": "true"}):  # the page, and the fragment htmx asks for
            response = client.get(url, headers=headers)
            assert response.headers.get("Cache-Control") == "no-store", (reader, url, headers, response.status_code)
    # A remember-me cookie alone (the browser was closed) is a login too.
    remembered = app.test_client()
    remembered.post("/auth/login", data={"email": user.email, "password": user.password, "remember_me": "y"})
    remembered.delete_cookie("session")
    assert remembered.get("/roles/bpo-job").headers["Cache-Control"] == "no-store"
