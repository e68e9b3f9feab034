"""Sessions that end: each login is a row of user_sessions, and a cookie of a login whose
row is gone (logged out, logged out everywhere) or that outlived its lifetimes opens
nothing."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Application, Role, UserSession, utcnow

from .conftest import CSRF_FIELD, sent_to_log_in


@pytest.fixture
def role_id(app):
    """A role to save to a tracker: what a logged-out cookie must not be able to do."""
    with app.app_context():
        role = Role(slug="cashier", title="Cashier", title_sort_key="cashier")
        db.session.add(role)
        db.session.commit()
        return role.id


def logged_in(client) -> bool:
    response = client.get("/tracker/")
    assert response.status_code == 200 or sent_to_log_in(response, htmx=False)
    return response.status_code == 200


def applications(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Application.id)))


def cookies_of(client, *names) -> dict[str, str]:
    """The named cookies of `client`, copied as a thief would."""
    return {name: client.get_cookie(name).value for name in names}


def client_with(app, cookies: dict[str, str]):
    """A fresh client holding only `cookies`."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def test_a_session_cookie_copied_before_logout_opens_nothing_afterwards(app, user_client, role_id):
    copy = client_with(app, cookies_of(user_client, "session"))
    assert logged_in(copy)
    token = copy.csrf_token()

    assert user_client.post("/auth/logout").status_code == 303

    assert not logged_in(copy)
    response = copy.post("/tracker/new", csrf=False, data={"csrf_token": token, "role_id": role_id})
    assert sent_to_log_in(response, htmx=False)
    assert applications(app) == 0


def test_a_remember_me_cookie_copied_before_logout_opens_nothing_afterwards(app, client, user, role_id):
    client.post("/auth/login", data={"email": user.email, "password": user.password, "remember_me": "y"})
    stolen = cookies_of(client, "remember_token")
    assert logged_in(client_with(app, stolen))

    assert client.post("/auth/logout").status_code == 303

    copy = client_with(app, stolen)
    assert not logged_in(copy)
    response = copy.post("/tracker/new", data={"role_id": role_id})
    assert sent_to_log_in(response, htmx=False)
    assert applications(app) == 0


def test_logging_out_on_one_device_leaves_the_other_logged_in(app, user):
    phone, laptop = app.test_client(), app.test_client()
    phone.login(user.email)
    laptop.login(user.email)

    phone.post("/auth/logout")

    assert logged_in(laptop) and not logged_in(phone)
    page = laptop.get("/auth/sessions").get_data(as_text=True)
    assert page.count('class="user-session') == 1 and "This device" in page


def test_a_lost_phone_is_logged_out_from_the_laptop_and_the_laptop_stays_logged_in(app, user, other_user):
    phone, laptop, rahim = app.test_client(), app.test_client(), app.test_client()
    phone.post("/auth/login", data={"email": user.email, "password": user.password, "remember_me": "y"})
    phone_remembered = cookies_of(phone, "remember_token")
    laptop.login(user.email)
    rahim.login(other_user.email)
    with app.app_context():
        ids = dict(db.session.execute(sa.select(UserSession.user_id, sa.func.max(UserSession.id)).group_by(UserSession.user_id)).all())
        phone_session = db.session.scalar(sa.select(sa.func.min(UserSession.id)).where(UserSession.user_id == user.id))
    page = laptop.get("/auth/sessions").get_data(as_text=True)
    assert page.count(">Log out that device</button>") == 1 and page.count(">Log out here</button>") == 1
    # Another member's login is not Asha's to end.
    assert laptop.post(f"/auth/sessions/{ids[other_user.id]}/end").status_code == 404
    assert logged_in(rahim)

    response = laptop.post(f"/auth/sessions/{phone_session}/end", follow_redirects=True)

    assert "That device is logged out." in response.get_data(as_text=True)
    assert not logged_in(phone) and not logged_in(client_with(app, phone_remembered))
    assert logged_in(laptop)
    assert laptop.get("/auth/sessions").get_data(as_text=True).count('class="user-session') == 1
    # And on the laptop's own line, "Log out here" ends this login.
    laptop.post(f"/auth/sessions/{ids[user.id]}/end")
    assert not logged_in(laptop)


def test_logging_out_everywhere_ends_every_session_of_the_member(app, user, other_client):
    phone, laptop = app.test_client(), app.test_client()
    phone.login(user.email)
    laptop.post("/auth/login", data={"email": user.email, "password": user.password, "remember_me": "y"})
    laptop_remembered = cookies_of(laptop, "remember_token")
    page = phone.get("/auth/sessions").get_data(as_text=True)
    assert page.count('class="user-session') == 2 and page.count("This device") == 1

    response = phone.post("/auth/sessions/end")

    assert response.status_code == 303
    assert not logged_in(phone) and not logged_in(laptop)
    assert not logged_in(client_with(app, laptop_remembered))
    assert logged_in(other_client), "another member's sessions are theirs"


def test_the_csrf_token_read_before_login_is_refused_after_it(app, client, user, role_id):
    token_before = CSRF_FIELD.search(client.get("/auth/login").get_data(as_text=True)).group(1)
    client.post("/auth/login", csrf=False, data={"csrf_token": token_before, "email": user.email, "password": user.password})
    assert logged_in(client)

    response = client.post("/tracker/new", csrf=False, data={"csrf_token": token_before, "role_id": role_id})

    assert response.status_code == 400
    assert applications(app) == 0


def _move_back(app, **ages):
    with app.app_context():
        now = utcnow()
        db.session.execute(sa.update(UserSession).values({column: now - age for column, age in ages.items()}))
        db.session.commit()


def _last_seen(app):
    with app.app_context():
        return db.session.scalar(sa.select(UserSession.last_seen_at))


def test_a_session_idle_longer_than_the_idle_lifetime_is_not_logged_in(app, user_client):
    idle = timedelta(days=app.config["SESSION_IDLE_DAYS"])
    _move_back(app, last_seen_at=idle - timedelta(hours=2))
    assert logged_in(user_client)
    _move_back(app, last_seen_at=idle + timedelta(minutes=1))
    assert not logged_in(user_client)


def test_a_session_older_than_the_absolute_lifetime_is_not_logged_in(app, user_client):
    oldest = timedelta(days=app.config["SESSION_MAX_DAYS"])
    _move_back(app, created_at=oldest - timedelta(hours=2), last_seen_at=timedelta(0))
    assert logged_in(user_client)
    _move_back(app, created_at=oldest + timedelta(minutes=1), last_seen_at=timedelta(0))
    assert not logged_in(user_client)


def test_a_session_is_marked_seen_at_most_once_an_hour(app, user_client):
    _move_back(app, last_seen_at=timedelta(minutes=50))
    seen = _last_seen(app)
    assert logged_in(user_client)
    assert _last_seen(app) == seen, "no write on every request"

    _move_back(app, last_seen_at=timedelta(hours=2))
    assert logged_in(user_client)
    assert utcnow() - _last_seen(app) < timedelta(minutes=1)


def test_the_login_is_found_in_one_query(user_client, count_queries):
    user_client.get("/tracker/")  # shows, and so clears, the "logged in" message
    user_client.get("/tracker/")
    with count_queries() as statements:
        user_client.get("/tracker/")
        statements.clear()
        assert logged_in(user_client)  # warm: the tracker drawn before

    # As before sessions were kept: the login and the unread notifications.
    assert len(statements) == 2
    of_the_login = [s for s in statements if re.search(r"\b(users|user_sessions)\b", s)]
    assert len(of_the_login) == 1 and "user_sessions" in of_the_login[0] and "users" in of_the_login[0]


def test_the_sessions_page_shows_when_each_started_and_was_last_seen(app, client, user):
    client.post("/auth/login", data={"email": user.email, "password": user.password},
                headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Firefox/128.0 " + "x" * 300})
    page = client.get("/auth/sessions").get_data(as_text=True)
    assert "<strong>Firefox on Android</strong>" in page and "Mozilla" not in page
    assert "Started" in page and "Last seen" in page
    with app.app_context():
        assert len(db.session.scalar(sa.select(UserSession.description))) == 200


@pytest.mark.parametrize("user_agent, shown", [
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
     "Chrome on Android"),
    ("Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 "
     "Chrome/115.0.0.0 Mobile Safari/537.36", "Samsung Internet on Android"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
     "Mobile/15E148 Safari/604.1", "Safari on iPhone"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 "
     "Edg/120.0.0.0", "Edge on Windows"),
    ("curl/8.5.0", "curl/8.5.0"),  # nothing known: as it said
])
def test_each_device_is_named_as_people_call_browsers_and_systems(client, user, user_agent, shown):
    client.post("/auth/login", data={"email": user.email, "password": user.password}, headers={"User-Agent": user_agent})
    assert f"<strong>{shown}</strong>" in client.get("/auth/sessions").get_data(as_text=True)
