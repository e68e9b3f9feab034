"""Only the owner sees or changes an application; visitors log in first; pages cost a fixed
number of queries however many applications there are."""
from datetime import timedelta

import pytest

from tracker.applications import stages
from tracker.extensions import db
from tracker.models import Application, Interview, StatusChange, utcnow

from .applications_support import CCO, application, interview_id, stored, track  # noqa: F401
from .conftest import get_role_id


def owned_routes(application_id, interview):
    """Every route that names an application: (method, path, form data)."""
    return [
        ("GET", f"/tracker/{application_id}", None),
        ("GET", f"/tracker/{application_id}/delete", None),
        ("POST", f"/tracker/{application_id}/details", {"organisation": "Stolen", "notes": "x"}),
        ("POST", f"/tracker/{application_id}/status", {"status": "applied"}),
        ("POST", f"/tracker/{application_id}/interviews", {"day": "2030-01-01", "at": "10:00", "kind": "phone"}),
        ("POST", f"/tracker/{application_id}/interviews/{interview}/outcome", {f"interview-{interview}-outcome": "x"}),
        ("POST", f"/tracker/board/{application_id}/move", {"status": "applied"}),
        ("POST", f"/tracker/{application_id}/delete", {}),
    ]


def send(client, method, path, data, htmx):
    if htmx:
        return client.htmx(method, path, data=data) if data is not None else client.htmx(method, path)
    return client.post(path, data=data) if method == "POST" else client.get(path)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_another_users_application_is_404_everywhere(seeded, other_client, application, htmx):
    interview = interview_id(seeded, application)
    before = stored(seeded, application)
    for method, path, data in owned_routes(application, interview):
        response = send(other_client, method, path, data, htmx)
        assert response.status_code == 404, (method, path)
        assert "Grameenphone" not in response.get_data(as_text=True)
    assert stored(seeded, application) == before


def test_another_applications_interview_is_404(seeded, user, user_client, application):
    mine = interview_id(seeded, application)
    second = track(seeded, user, organisation="Robi")
    response = user_client.post(f"/tracker/{second}/interviews/{mine}/outcome", data={f"interview-{mine}-outcome": "x"})
    assert response.status_code == 404
    assert stored(seeded, application).interviews[0][2] is None


def test_missing_application_is_404(seeded, user_client):
    assert user_client.get("/tracker/999999").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_from_every_route(seeded, client, application):
    interview = interview_id(seeded, application)
    routes = owned_routes(application, interview) + [
        ("GET", "/tracker/", None), ("GET", "/tracker/board", None), ("GET", "/tracker/export.csv", None),
        ("GET", "/tracker/new", None), ("POST", "/tracker/new", {"role_id": get_role_id(seeded, CCO)}),
    ]
    for method, path, data in routes:
        response = send(client, method, path, data, htmx=False)
        assert response.status_code == 302, (method, path)
        assert response.headers["Location"].startswith("/auth/login?next=%2Ftracker%2F"), path
        htmx = client.htmx(method, path, data=data, headers={"HX-Current-URL": "http://localhost/tracker/board"})
        # htmx would follow a redirect inside the fragment; HX-Redirect makes it load the
        # login page whole, to come back to the page the reader was on.
        assert htmx.status_code == 401 and htmx.headers["HX-Redirect"] == "/auth/login?next=/tracker/board", path
    assert stored(seeded, application).status == "saved"


def test_tracker_lists_only_my_own_applications(seeded, other_user, other_client, application):
    track(seeded, other_user, organisation="Robi")
    for path in ("/tracker/", "/tracker/board"):
        page = other_client.get(path).get_data(as_text=True)
        assert "Robi" in page and "Grameenphone" not in page


def add_applications(app, user, numbers):
    """Insert numbered applications with a timeline, follow-up and interview each, in one commit."""
    with app.app_context():
        role_id = get_role_id(app, CCO)
        now = utcnow()
        for index in numbers:
            status = stages.STATUSES[index % len(stages.STATUSES)]
            application = Application(
                user_id=user.id, role_id=role_id, organisation=f"Org {index}", status=status,
                next_step="Call", next_step_on=now.date() + timedelta(days=index % 9 - 3),
                follow_up_on=now.date() + timedelta(days=index % 5 - 2),
                last_changed_at=now - timedelta(days=index % 40),
            )
            application.status_changes.append(StatusChange(from_status=None, to_status="saved", changed_by_id=user.id))
            application.status_changes.append(StatusChange(from_status="saved", to_status=status, changed_by_id=None))
            application.interviews.append(Interview(scheduled_at=now + timedelta(days=index % 7), kind="video"))
            db.session.add(application)
        db.session.commit()


@pytest.mark.parametrize("path", ["/tracker/", "/tracker/board", "/tracker/?status=open&sort=role", "/tracker/export.csv"])
def test_pages_use_a_fixed_number_of_queries(seeded, user, user_client, count_queries, path):
    def queries():
        with count_queries() as statements:
            response = user_client.get(path)
        assert response.status_code == 200
        return len(statements), response.get_data(as_text=True)

    add_applications(seeded, user, range(3))
    few, page = queries()
    assert "Org 2" in page
    add_applications(seeded, user, range(3, 300))
    many, page = queries()
    if path.startswith("/tracker/?") or path == "/tracker/":
        # The list is paged: a full first page, not all 300.
        from tracker.applications.overview import APPLICATIONS_PER_PAGE

        assert page.count('class="app-card"') == APPLICATIONS_PER_PAGE
    else:
        assert "Org 299" in page
    assert few == many, f"{path}: {few} queries for 3 applications, {many} for 300"


def test_a_form_address_opened_again_goes_back_to_the_application(seeded, user_client, other_client, application):
    interview = interview_id(seeded, application)
    for form in ("details", "status", "interviews", f"interviews/{interview}/outcome"):
        response = user_client.get(f"/tracker/{application}/{form}")
        assert response.status_code == 302 and response.headers["Location"] == f"/tracker/{application}", form
        assert other_client.get(f"/tracker/{application}/{form}").status_code == 404, form


def test_switching_language_after_a_form_error_shows_the_application_in_that_language(
    seeded, user_client, application
):
    page = user_client.post(f"/tracker/{application}/details", data={"applied_on": "2999-01-01"})
    assert page.status_code == 200 and "Grameenphone" in page.get_data(as_text=True)
    switched = user_client.post(
        "/auth/language", data={"language": "bn", "next": f"/tracker/{application}/details"}, follow_redirects=True
    )
    assert switched.status_code == 200 and switched.request.path == f"/tracker/{application}"
    assert 'lang="bn"' in switched.get_data(as_text=True)
