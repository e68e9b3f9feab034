"""No input makes a 5xx: the requests that once did, then every route in the URL map
walked with hostile values, as a visitor, a member and a moderator."""
import pytest

HUGE = "99999999999999999999"
SPLIT_HEADER = "/roles\r\nSet-Cookie: x=1"


@pytest.mark.parametrize("path", ["/", "/tracker/"])
def test_a_page_number_too_large_for_the_database_shows_a_page(seeded, user_client, path):
    response = user_client.get(f"{path}?page={HUGE}")
    assert response.status_code in (200, 302)


def test_a_next_with_a_line_break_is_ignored_on_login(client, user):
    response = client.post("/auth/login", data={"email": user.email, "password": user.password, "next": SPLIT_HEADER})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_next_with_a_line_break_is_ignored_on_the_language_switch(app, user, logged_in):
    client = app.test_client()
    if logged_in:
        client.login(user.email)
    response = client.post("/auth/language", data={"language": "bn", "next": SPLIT_HEADER})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_a_next_with_a_line_break_is_ignored_when_saving_a_role(seeded, user_client):
    from .conftest import get_role_id

    role_id = get_role_id(seeded, "bpo-job")
    response = user_client.post("/tracker/new", data={"role_id": role_id, "next": SPLIT_HEADER})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/tracker/")


def test_htmx_asking_the_save_page_gets_the_save_button_with_no_error(seeded, user_client):
    response = user_client.htmx("GET", "/tracker/new")
    assert response.status_code == 200


def test_an_id_too_large_for_the_database_is_not_found(user_client):
    assert user_client.get(f"/tracker/{HUGE}").status_code == 404


@pytest.mark.parametrize(
    "language, words",
    [
        ("en", ["That was too large to send.", "Nothing was saved. Go back, make it shorter and send it again."]),
        ("bn", ["পাঠানোর জন্য এটি অনেক বড়।", "কিছুই সংরক্ষিত হয়নি। আগের পাতায় ফিরে গিয়ে লেখাটি ছোট করে আবার পাঠান।"]),
    ],
)
def test_a_body_over_the_limit_is_refused_unread_with_a_page_that_says_why(app, client, language, words):
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    client.set_cookie("lang", language)
    response = client.post(
        "/auth/login", data=b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1), content_type="application/octet-stream",
        csrf=False,
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    for sentence in words:
        assert sentence in page


def test_htmx_has_words_for_a_body_over_the_limit(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'data-too-large="That did not go through: it was too large to send.' in page
