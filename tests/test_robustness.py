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
