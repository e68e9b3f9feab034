"""Saving a role to the tracker from the role page and the catalogue rows."""
import re
from urllib.parse import parse_qs, quote, urlsplit

from .applications_support import (
    BPO,
    CCO,
    CCO_TITLE,
    application,  # noqa: F401
    application_count,
    make_roles,  # noqa: F401
    stored,
    text_of,
    track,
)
from .conftest import get_role_id


def test_role_page_and_catalogue_rows_offer_the_save_button(seeded, user_client):
    role_id = get_role_id(seeded, CCO)
    page = user_client.get(f"/roles/{CCO}").get_data(as_text=True)
    assert 'hx-post="/tracker/new"' in page and f'name="role_id" value="{role_id}"' in page
    assert "Save to my tracker" in page
    catalogue = user_client.get("/").get_data(as_text=True)
    assert catalogue.count("Save to my tracker") == 2


def test_plain_post_saves_and_redirects_back(seeded, user, user_client):
    role_id = get_role_id(seeded, CCO)
    response = user_client.post("/tracker/new", data={"role_id": role_id, "next": f"/roles/{CCO}"})
    assert response.status_code == 303 and response.headers["Location"] == f"/roles/{CCO}"
    page = user_client.get(f"/roles/{CCO}").get_data(as_text=True)
    assert "Saved to your tracker." in page
    assert "Saved ✓" in page and "open in tracker" in page
    assert application_count(seeded, user) == 1


def test_htmx_post_returns_the_saved_state_fragment(seeded, user, user_client):
    role_id = get_role_id(seeded, CCO)
    response = user_client.htmx("post", "/tracker/new", data={"role_id": role_id, "next": "/"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in fragment and "Saved ✓" in fragment
    assert application_count(seeded, user) == 1
    assert 'href="/tracker/' in fragment


def test_saving_twice_never_duplicates(seeded, user, user_client):
    role_id = get_role_id(seeded, CCO)
    user_client.post("/tracker/new", data={"role_id": role_id, "next": "/"})
    again = user_client.htmx("post", "/tracker/new", data={"role_id": role_id})
    assert "Already in your tracker" in again.get_data(as_text=True)
    plain = user_client.post("/tracker/new", data={"role_id": role_id, "next": "/"}, follow_redirects=True)
    assert "This role is already in your tracker." in plain.get_data(as_text=True)
    assert application_count(seeded, user) == 1


def test_same_role_and_organisation_warns_and_offers_the_existing_one(seeded, user, user_client, application):
    role_id = get_role_id(seeded, CCO)
    # Typed on the save page reached from a role page, so a next path comes along too.
    response = user_client.post(
        "/tracker/new", data={"role_id": role_id, "organisation": " grameenphone ", "next": f"/roles/{CCO}"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"You already track “{CCO_TITLE}” at “Grameenphone”. Nothing new was saved." in page
    assert f'href="/tracker/{application}"' in page
    assert 'value="grameenphone"' in page  # what was typed stays (spaces squeezed)
    assert application_count(seeded, user) == 1


def test_same_role_at_another_organisation_is_tracked_separately(seeded, user, user_client, application):
    role_id = get_role_id(seeded, CCO)
    response = user_client.post("/tracker/new", data={"role_id": role_id, "organisation": "Robi Axiata"})
    assert response.status_code == 303
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert new_id != application and stored(seeded, new_id).organisation == "Robi Axiata"
    assert application_count(seeded, user) == 2


def test_unknown_role_is_refused_with_a_message(seeded, user, user_client):
    for value in ("999999", "abc", ""):
        page = user_client.post("/tracker/new", data={"role_id": value, "organisation": "Acme"}).get_data(as_text=True)
        assert "Choose a role from the catalogue." in text_of(page), value
        assert 'value="Acme"' in page
        htmx = user_client.htmx("post", "/tracker/new", data={"role_id": value}).get_data(as_text=True)
        assert "Choose a role from the catalogue." in htmx and "<html" not in htmx
    assert application_count(seeded, user) == 0


def test_the_save_page_lists_roles_with_the_chosen_one_selected(seeded, user_client):
    role_id = get_role_id(seeded, BPO)
    page = user_client.get(f"/tracker/new?role_id={role_id}").get_data(as_text=True)
    assert f'<option selected value="{role_id}">BPO কাজ</option>' in page
    assert f">{CCO_TITLE}</option>" in page


def test_anonymous_visitor_logs_in_and_comes_back_to_save(seeded, user, client):
    role_id = get_role_id(seeded, CCO)
    page = client.get(f"/roles/{CCO}").get_data(as_text=True)
    button = re.search(r'<a class="button secondary save-role"[^>]*href="([^"]+)">Save to my tracker</a>', page)
    assert button and 'action="/tracker/new"' not in page  # nothing to post before logging in
    login_link = button.group(1)
    assert login_link.startswith("/auth/login?next=")
    save_path = parse_qs(urlsplit(login_link.replace("&amp;", "&")).query)["next"][0]
    assert save_path.startswith(f"/tracker/new?role_id={role_id}")
    # The login form carries the path and sends the reader there.
    login = client.post("/auth/login", data={"email": user.email, "password": user.password, "next": save_path})
    assert login.status_code == 303 and login.headers["Location"] == save_path
    client._token = None
    confirm = client.get(save_path).get_data(as_text=True)
    assert "Save a role to your tracker" in confirm and f'<option selected value="{role_id}">' in confirm
    assert application_count(seeded, user) == 0  # a GET saves nothing
    next_path = parse_qs(urlsplit(save_path).query)["next"][0]
    saved = client.post("/tracker/new", data={"role_id": role_id, "next": next_path})
    assert saved.status_code == 303 and saved.headers["Location"] == next_path == f"/roles/{CCO}"
    assert application_count(seeded, user) == 1


def test_save_without_csrf_token_is_refused(seeded, user, user_client):
    response = user_client.post("/tracker/new", data={"role_id": get_role_id(seeded, CCO)}, csrf=False)
    assert response.status_code == 400
    assert application_count(seeded, user) == 0


def test_save_button_next_cannot_leave_the_site(seeded, user_client):
    response = user_client.post("/tracker/new", data={"role_id": get_role_id(seeded, CCO), "next": "https://evil.example/"})
    assert response.status_code == 303 and response.headers["Location"].startswith("/tracker/")


def test_catalogue_shows_saved_state_per_row_in_a_fixed_number_of_queries(
    seeded, user, user_client, make_roles, count_queries
):
    def catalogue_queries():
        with count_queries() as statements:
            page = user_client.get("/").get_data(as_text=True)
        return len(statements), page

    track(seeded, user, CCO, organisation="")
    few, page = catalogue_queries()
    assert page.count("Saved ✓") == 1 and page.count("Save to my tracker") == 1
    for role_id in make_roles(18):
        user_client.post("/tracker/new", data={"role_id": role_id})
    many, page = catalogue_queries()
    assert page.count("Saved ✓") == 19 and page.count("Save to my tracker") == 1
    assert few == many


def test_htmx_catalogue_results_keep_the_buttons(seeded, user, user_client, application):
    fragment = user_client.get("/?q=" + quote("কাস্টমার"), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Saved ✓" in fragment and f'href="/tracker/{application}"' in fragment
