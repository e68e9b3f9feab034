import re

import sqlalchemy as sa

from tracker.auth.forms import LanguageForm
from tracker.extensions import db
from tracker.models import User

from .conftest import finish_link, mails_to, register, sent_to_log_in


def test_register_creates_account_logs_in_and_hashes_password(app, client):
    response = register(client)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "নাদিয়া" in page and "Log out" in page
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "nadia@example.com"))
        assert user.display_name == "নাদিয়া"
        assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
        assert "s3cret-pass" not in user.password_hash


def test_register_lowercases_email(app, client):
    register(client, email="  Nadia@Example.COM ")
    with app.app_context():
        assert db.session.scalar(sa.select(User.email)) == "nadia@example.com"


def _count_users(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(User.id)))


def test_register_bad_emails_show_messages_beside_the_field_and_keep_what_was_typed(app, client):
    cases = [
        ("", "Enter your email address."),
        ("not-an-email", "does not look like an email address"),
        ("a" * 250 + "@example.com", "An email address has at most 254 characters; this one has 262."),
    ]
    for email, message in cases:
        response = client.post("/auth/register", data={"email": email})
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and message in page and 'class="error"' in page, email
        assert f'value="{email}"' in page or not email
    assert mails_to(app, "not-an-email") == []


def test_the_page_the_link_opens_shows_messages_beside_the_fields_and_keeps_the_name(app, client):
    client.post("/auth/register", data={"email": "nadia@example.com"})
    path = finish_link(app, "nadia@example.com")
    assert "For nadia@example.com: choose the name others see and your password." in client.get(path).get_data(as_text=True)
    cases = [
        ({"display_name": "   "}, "Enter the name others will see"),
        ({"password": "short", "password2": "short"}, "at least 8 characters"),
        ({"password2": "different-pass"}, "The two passwords do not match."),
        ({"password": "", "password2": ""}, "Choose a password."),
    ]
    for overrides, message in cases:
        data = {"display_name": "নাদিয়া", "password": "s3cret-pass", "password2": "s3cret-pass"} | overrides
        response = client.post(path, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and message in page and 'class="error"' in page, overrides
        if "display_name" not in overrides:
            assert 'value="নাদিয়া"' in page
        assert "s3cret-pass" not in page and "different-pass" not in page
    assert _count_users(app) == 0


def test_login_with_next_returns_to_that_page(client, user):
    response = client.post(
        "/auth/login", data={"email": user.email, "password": user.password, "next": "/roles/x?y=1"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/roles/x?y=1"


def test_login_ignores_outside_next(client, user):
    for outside in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        response = client.post("/auth/login", data={"email": user.email, "password": user.password, "next": outside})
        assert response.headers["Location"] == "/", outside
        client.post("/auth/logout")


def test_login_page_carries_next_from_query(client):
    page = client.get("/auth/login?next=/roles/customer-care-officer").get_data(as_text=True)
    assert 'value="/roles/customer-care-officer"' in page


def _login_error(page: str) -> str:
    return re.search(r'<p class="error" id="password-error">([^<]*)</p>', page).group(1)


def test_login_says_the_same_for_an_unknown_email_as_for_a_wrong_password(client, user):
    unknown = client.post("/auth/login", data={"email": "nobody@example.com", "password": "whatever1"})
    page = unknown.get_data(as_text=True)
    assert 'value="nobody@example.com"' in page
    wrong = client.post("/auth/login", data={"email": user.email, "password": "wrong-password"})
    assert f'value="{user.email}"' in wrong.get_data(as_text=True) and "wrong-password" not in wrong.get_data(as_text=True)
    assert unknown.status_code == wrong.status_code == 200
    assert _login_error(page) == _login_error(wrong.get_data(as_text=True))
    assert "do not match an account" in _login_error(page)


def test_login_errors_are_next_to_the_fields(client, user):
    page = client.post("/auth/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "Enter your email address." in page and "Enter your password." in page


def test_remember_me_sets_a_remember_cookie(client, user):
    response = client.post("/auth/login", data={"email": user.email, "password": user.password, "remember_me": "y"})
    assert response.status_code == 303
    assert client.get_cookie("remember_token") is not None


def test_without_remember_me_there_is_no_remember_cookie(client, user):
    client.post("/auth/login", data={"email": user.email, "password": user.password})
    assert client.get_cookie("remember_token") is None


def test_logout_is_a_post_and_ends_the_session(user_client):
    assert user_client.get("/auth/logout").status_code == 405
    response = user_client.post("/auth/logout")
    assert response.status_code == 303
    assert "Log in" in user_client.get("/").get_data(as_text=True)


def test_post_without_csrf_token_is_refused(app, client):
    response = client.post("/auth/register", data={"email": "x@example.com"}, csrf=False)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert mails_to(app, "x@example.com") == []


def test_session_cookie_is_httponly_and_lax(client):
    response = client.get("/auth/login")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_is_rate_limited_with_a_clear_page(client, user):
    statuses = [
        client.post("/auth/login", data={"email": user.email, "password": "wrong-password"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    page = client.post("/auth/login", data={"email": user.email, "password": user.password})
    html = page.get_data(as_text=True)
    assert page.status_code == 429
    # The form again, the reason next to the email, and the email still typed in.
    assert 'id="email-error"' in html and "Too many attempts" in html and f'value="{user.email}"' in html
    assert user.password not in html


def test_someone_else_behind_the_same_address_can_still_log_in(client, user, other_user):
    for _ in range(11):
        client.post("/auth/login", data={"email": user.email, "password": "wrong-password"})
    assert client.post("/auth/login", data={"email": other_user.email, "password": other_user.password}).status_code == 303


def test_moderator_is_marked_in_the_navigation(moderator_client, user_client):
    assert "badge-moderator" in moderator_client.get("/").get_data(as_text=True)
    assert "badge-moderator" not in user_client.get("/").get_data(as_text=True)


def test_htmx_asking_a_members_fragment_loads_the_login_page_whole_and_comes_back(seeded, client):
    response = client.htmx("GET", "/notifications", headers={"HX-Current-URL": "http://localhost/roles/bpo-job"})
    assert response.status_code == 401 and response.headers["HX-Redirect"] == "/auth/login?next=/roles/bpo-job"
    # A page on another site is no place to come back to.
    elsewhere = client.htmx("GET", "/notifications", headers={"HX-Current-URL": "https://example.org/roles/bpo-job"})
    assert elsewhere.headers["HX-Redirect"] == "/auth/login"


def test_a_request_saying_hx_request_false_is_sent_to_log_in_like_a_page(client):
    assert sent_to_log_in(client.get("/notifications", headers={"HX-Request": "false"}), htmx=False)


def language_menu(page: str) -> list[tuple[str, str]]:
    menu = page[page.index('<select id="language"'):].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', menu)


def test_the_language_menu_and_form_offer_exactly_the_configured_languages(app, client):
    app.config["LANGUAGES"] = {"en": "English", "bn": "বাংলা", "ne": "नेपाली"}
    with app.test_request_context():
        choices = [(value, label) for value, label, *_ in LanguageForm().language.iter_choices()]
    assert choices == [("en", "English"), ("bn", "বাংলা"), ("ne", "नेपाली")]
    assert language_menu(client.get("/auth/login").get_data(as_text=True)) == choices
    chosen = client.post("/auth/language", data={"language": "ne", "next": "/auth/login"})
    assert "lang=ne" in chosen.headers["Set-Cookie"]
    assert '<html lang="ne">' in client.get("/auth/login").get_data(as_text=True)
    # Taken out of the list: the cookie no longer chooses it (the default, Bengali, is
    # back), and the form refuses it.
    app.config["LANGUAGES"] = {"en": "English", "bn": "বাংলা"}
    assert '<html lang="bn">' in client.get("/auth/login").get_data(as_text=True)
    refused = client.post("/auth/language", data={"language": "ne", "next": "/auth/login"})
    assert not any(cookie.startswith("lang=") for cookie in refused.headers.getlist("Set-Cookie"))


def test_the_welcome_names_the_member_in_its_own_direction_and_escaped(app, client):
    """A right-to-left name must not turn the words after it around, and a name is text."""
    page = client.get(register(client, display_name="سارة <b>").headers["Location"]).get_data(as_text=True)
    assert "Welcome, <bdi>سارة &lt;b&gt;</bdi>! Your account is ready." in page
