"""Nothing a visitor sends makes the cache grow (issue 24, finding 4): entries exist only
for the URLs the app links to and the logins it made, whatever cookies and URLs come in,
and the limits are counted apart from the cache. With the in-process store and with Redis
(TEST_REDIS_URL)."""
import uuid
from datetime import timedelta

import pytest
import redis

from tracker.extensions import cache
from tracker.models import utcnow
from tracker.operations import UnsafeConfiguration

from .applications_support import track
from .conftest import CSRF_FIELD, CSRF_HEADER, TEST_REDIS_URL, CSRFClient
from .test_caching import STORES, app_with_store
from .test_operations import production_app

ROLE = "/roles/customer-care-officer"
FLOOD = 60  # requests of each kind (each round: 8 requests)
AUTH_LIMIT = 10  # AUTH_RATE_LIMIT's default: tries a minute for one address and email


@pytest.fixture(params=STORES)
def app(request, database_url):
    """The app with its cache in this process or in Redis; with Redis, the limits too."""
    limits = TEST_REDIS_URL if request.param == "RedisCache" else "memory://"
    yield from app_with_store(request.param, database_url, RATELIMIT_STORAGE_URI=limits)


def cache_entries(app) -> int:
    """How many entries the app's store holds (with Redis: the keys under its prefix)."""
    if app.config["CACHE_TYPE"] == "RedisCache":
        return len(redis.Redis.from_url(TEST_REDIS_URL).keys(app.config["CACHE_KEY_PREFIX"] + "*"))
    with app.app_context():
        return len(cache.cache._cache)


def client_from(app, address: str, **cookies) -> CSRFClient:
    """A new browser at `address` holding only `cookies` (and the language chosen)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def test_replayed_cookies_and_made_up_urls_add_no_entry_and_the_login_limit_still_trips(seeded, user):
    # The flood and the guesses after it come from one address, which limits counted in a
    # shared Redis have not seen; the logins it replays were made from another.
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.1"
    member = client_from(seeded, "10.255.0.1")
    member.login(user.email)
    # The cookie a login answers with, before any page gave the session its CSRF token.
    stale = member.get_cookie("session").value
    remembering = client_from(seeded, "10.255.0.1")
    remembering.post("/auth/login", data={"email": user.email, "password": user.password, "remember_me": "y"})
    remember_token = remembering.get_cookie("remember_token").value

    # What readers are served, each kept once: the member's tracker, the role page for
    # visitors (as it is and compressed each way).
    for _ in range(2):
        assert "Your tracker is empty" in member.get("/tracker/").get_data(as_text=True)
        for encoding in ("identity", "gzip", "br"):
            assert client_from(seeded, address).get(ROLE, headers={"Accept-Encoding": encoding}).status_code == 200
    kept = cache_entries(seeded)
    assert kept > 0

    for number in range(FLOOD):
        # The login's cookie replayed: a new session (and CSRF token) on every request.
        replayed = client_from(seeded, address, session=stale)
        assert "Your tracker is empty" in replayed.get("/tracker/").get_data(as_text=True)
        # The session that request made, with its token, used again: one login, one entry.
        assert "Your tracker is empty" in replayed.get("/tracker/").get_data(as_text=True)
        # The remember-me cookie alone.
        alone = client_from(seeded, address, remember_token=remember_token)
        assert "Your tracker is empty" in alone.get("/tracker/").get_data(as_text=True)
        # The role page's URL spelled another way, and arguments the page does not know.
        visitor = client_from(seeded, address)
        for url in (f"{ROLE}?{'&' * (number + 1)}", f"{ROLE}?utm_source={number}", f"{ROLE}?page={number + 2}"):
            response = visitor.get(url, headers={"Accept-Encoding": "br"})
            assert response.status_code in (200, 302), url
        assert visitor.get(f"/roles/made-up-{number}").status_code == 404
    assert cache_entries(seeded) == kept

    trying = client_from(seeded, address)
    tries = [
        trying.post("/auth/login", data={"email": user.email, "password": "a wrong guess"}).status_code
        for _ in range(AUTH_LIMIT + 1)
    ]
    assert tries == [200] * AUTH_LIMIT + [429]


def test_sessions_of_one_login_each_get_the_tracker_with_their_own_token(seeded, user):
    """One entry per login, yet what was drawn for one of its sessions never goes to
    another: its forms would carry the other's token."""
    track(seeded, user, organisation="Quiet Ltd", moves=["applied"], last_changed_at=utcnow() - timedelta(days=30))
    first = client_from(seeded, "10.1.0.1")
    first.login(user.email)
    second = client_from(seeded, "10.1.0.1", session=first.get_cookie("session").value)  # the same login
    for client in (first, first, second, second, first):
        page = client.get("/tracker/").get_data(as_text=True)
        assert "Quiet Ltd" in page
        assert len(_tokens(page)) == 1 and len(CSRF_FIELD.findall(page)) > 1  # the page's and the overview's forms


def _tokens(html: str) -> set[str]:
    """The sessions whose CSRF tokens are in `html` (the part of a token before its first
    dot names the session's own; the rest is signed anew each second)."""
    return {token.split(".", 1)[0] for token in CSRF_FIELD.findall(html) + CSRF_HEADER.findall(html)}


@pytest.mark.parametrize(
    "cache_url, limits_url",
    [
        ("redis://127.0.0.1:6379/1", "redis://127.0.0.1:6379/0"),
        ("redis://localhost:6379/1", "redis://127.0.0.1/0"),
        ("unix:///run/redis/redis.sock?db=1", "redis+unix:///run/redis/../redis/redis.sock"),
        (None, "redis://localhost:6379/0"),  # Flask-Caching's default host and port
    ],
)
def test_production_refuses_the_cache_in_the_limits_redis_server(database_url, cache_url, limits_url):
    with pytest.raises(UnsafeConfiguration, match="share one redis-server"):
        production_app(database_url, CACHE_TYPE="RedisCache", CACHE_REDIS_URL=cache_url, RATELIMIT_STORAGE_URI=limits_url)
    assert production_app(
        database_url, CACHE_TYPE="RedisCache", CACHE_REDIS_URL="redis://127.0.0.1:6380/0", RATELIMIT_STORAGE_URI=limits_url
    )
