"""The tracker page: list, filter and sort, coming up, overdue and gone quiet, funnel."""
from datetime import datetime, timedelta

import pytest
import pytz

from tracker.models import utcnow

from .applications_support import (
    BPO,
    CCO_TITLE,
    application,  # noqa: F401
    interview_id,
    stored,
    text_of,
    track,
)
from tracker.extensions import db

from .conftest import CSRFClient, make_app


def dhaka_today():
    return datetime.now(pytz.timezone("Asia/Dhaka")).date()


def test_empty_tracker_says_how_to_start(seeded, user_client):
    page = text_of(user_client.get("/tracker/").get_data(as_text=True))
    assert "Your tracker is empty. Save roles from the catalogue to start." in page
    assert "Nothing planned." in page


def test_list_shows_role_organisation_status_dates_and_next_step(seeded, user, user_client):
    track(
        seeded, user, organisation="Grameenphone", moves=["applied"],
        next_step="লিখিত পরীক্ষা", next_step_on=dhaka_today() + timedelta(days=5),
    )
    html = user_client.get("/tracker/").get_data(as_text=True)
    page = text_of(html)
    assert CCO_TITLE in page and "Grameenphone" in page
    assert "Applied" in page and "লিখিত পরীক্ষা" in page
    assert 'href="/tracker/board"' in html and 'href="/tracker/export.csv"' in html
    assert "<svg" in html and "style=" not in html.split("<main", 1)[1]


def test_filter_by_status_with_and_without_htmx(seeded, user, user_client):
    track(seeded, user, organisation="Applied Ltd", moves=["applied"])
    track(seeded, user, organisation="Saved Ltd")
    track(seeded, user, organisation="Gone Ltd", moves=["withdrawn"])
    page = text_of(user_client.get("/tracker/?status=applied").get_data(as_text=True))
    assert "Applied Ltd" in page and "Saved Ltd" not in page
    fragment = user_client.get("/tracker/?status=open", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "<svg" not in fragment
    assert "Applied Ltd" in fragment and "Saved Ltd" in fragment and "Gone Ltd" not in fragment
    closed = text_of(user_client.get("/tracker/?status=closed").get_data(as_text=True))
    assert "Gone Ltd" in closed and "Saved Ltd" not in closed
    empty = text_of(user_client.get("/tracker/?status=hired").get_data(as_text=True))
    assert "No applications match this filter." in empty


def test_unknown_status_filter_says_so_and_shows_all(seeded, user, user_client, application):
    html = user_client.get("/tracker/?status=shortlisted").get_data(as_text=True)
    assert 'id="filter-status-error"' in html
    assert "There is no stage called “shortlisted”; showing all applications." in text_of(html)
    assert "Grameenphone" in html


def test_sort_orders(seeded, user, user_client):
    track(seeded, user, organisation="Zeta", moves=["applied", "interviewing"])
    track(seeded, user, BPO, organisation="Alpha")
    by_status = text_of(user_client.get("/tracker/?sort=status").get_data(as_text=True))
    assert by_status.index("Alpha") < by_status.index("Zeta")
    by_change = text_of(user_client.get("/tracker/?sort=changed").get_data(as_text=True))
    assert by_change.index("Alpha") < by_change.index("Zeta")
    by_role = text_of(user_client.get("/tracker/?sort=role").get_data(as_text=True))
    assert by_role.index("Alpha") < by_role.index("Zeta")  # "BPO কাজ" sorts first
    unknown = user_client.get("/tracker/?sort=nonsense")
    assert unknown.status_code == 200


def test_overdue_follow_up_and_upcoming_interview_in_date_order(seeded, user, user_client):
    today = dhaka_today()
    late = track(seeded, user, organisation="Late Ltd", moves=["applied"], follow_up_on=today - timedelta(days=1))
    soon = track(seeded, user, BPO, organisation="Soon Ltd", next_step="Send CV", next_step_on=today + timedelta(days=9))
    interview_id(seeded, soon)  # 2 January 2030
    page = text_of(user_client.get("/tracker/").get_data(as_text=True))
    coming_up = page.split("Coming up", 1)[1].split("My funnel", 1)[0]
    assert coming_up.index("Follow up") < coming_up.index("Next step: Send CV") < coming_up.index("Interview (Phone)")
    assert "overdue" in coming_up
    listing = page.split("Applications", 1)[1]
    late_card = listing.split("Late Ltd", 1)[1].split("Soon Ltd", 1)[0]
    assert "overdue" in late_card
    assert stored(seeded, late).status == "applied"


def test_gone_quiet_offers_one_click_move_to_no_response(seeded, user, user_client):
    quiet = track(seeded, user, organisation="Quiet Ltd", moves=["applied"], last_changed_at=utcnow() - timedelta(days=22))
    fresh = track(seeded, user, organisation="Fresh Ltd", moves=["applied"], last_changed_at=utcnow() - timedelta(days=20))
    html = user_client.get("/tracker/").get_data(as_text=True)
    assert html.count("gone quiet") == 1 and "No change for 21 days." in html
    response = user_client.post(
        f"/tracker/{quiet}/status", data={"status": "no_response", "note": "No answer for 21 days", "next": "/tracker/"}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/tracker/"
    record = stored(seeded, quiet)
    assert record.status == "no_response"
    assert record.changes[-1] == ("applied", "no_response", user.id, "No answer for 21 days")
    assert stored(seeded, fresh).status == "applied"
    assert "gone quiet" not in user_client.get("/tracker/").get_data(as_text=True)


def test_gone_quiet_days_come_from_config(seeded, database_url, user, user_client):
    track(seeded, user, organisation="Quiet Ltd", moves=["applied"], last_changed_at=utcnow() - timedelta(days=4))
    assert "gone quiet" not in user_client.get("/tracker/").get_data(as_text=True)
    impatient = make_app(database_url, GONE_QUIET_DAYS=3)
    impatient.test_client_class = CSRFClient
    try:
        client = impatient.test_client()
        client.login(user.email)
        html = client.get("/tracker/").get_data(as_text=True)
        assert "gone quiet" in html and "No change for 3 days." in html
    finally:
        with impatient.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("moves, reached", [((), "Saved: 1"), (("applied", "interviewing", "rejected"), "Interviewing: 1")])
def test_funnel_counts_show_in_the_picture(seeded, user, user_client, moves, reached):
    track(seeded, user, moves=moves)
    html = user_client.get("/tracker/").get_data(as_text=True)
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert reached in svg and 'class="funnel-bar funnel-saved"' in svg
    if moves:
        assert "Applied: 1 · 100% of the stage before" in svg
        assert "Rejected: 1" in text_of(html)


def test_htmx_history_restore_gets_the_whole_page(seeded, user_client, application):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    html = user_client.get("/tracker/?status=open", headers=headers).get_data(as_text=True)
    assert "<html" in html and "Grameenphone" in html


@pytest.mark.parametrize("url", ["/tracker/", "/tracker/board"])
def test_hx_request_false_gets_the_whole_page(seeded, user_client, application, url):
    page = user_client.get(url, headers={"HX-Request": "false"}).get_data(as_text=True)
    assert "<html" in page and "Grameenphone" in page
    fragment = user_client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "Grameenphone" in fragment


def test_tracker_speaks_bengali(seeded, user_client, application):
    user_client.set_cookie("lang", "bn")
    page = text_of(user_client.get("/tracker/").get_data(as_text=True))
    assert "আমার ট্র্যাকার" in page and "সামনে যা আছে" in page and "আমার ফানেল" in page
    assert "সংরক্ষিত" in page and "My funnel" not in page
    assert "সব (১)" in page and "সংরক্ষিত: ১" in page  # counts in Bengali digits
    refused = user_client.post(f"/tracker/{application}/status", data={"status": "hired"}).get_data(as_text=True)
    assert "কোনো আবেদন “সংরক্ষিত” থেকে “চাকরি হয়েছে” ধাপে যেতে পারে না।" in text_of(refused)


def test_gone_quiet_in_bengali_counts_days_in_bengali_digits(seeded, user, user_client):
    track(seeded, user, moves=["applied"], last_changed_at=utcnow() - timedelta(days=30))
    user_client.set_cookie("lang", "bn")
    page = text_of(user_client.get("/tracker/").get_data(as_text=True))
    assert "২১ দিন কোনো পরিবর্তন নেই।" in page and "“সাড়া নেই” ধাপে সরান" in page


def test_long_tracker_lists_are_paged(app, user_client, user, seeded):
    from tracker.applications.overview import APPLICATIONS_PER_PAGE
    from tracker.applications.tracking import save_role

    from .conftest import get_role_id

    role_id = get_role_id(app, "customer-care-officer")
    with app.app_context():
        for number in range(APPLICATIONS_PER_PAGE + 5):
            save_role(user.id, role_id, f"Company {number:03d}")
        db.session.commit()
    first = user_client.get("/tracker/").get_data(as_text=True)
    assert first.count('class="app-card"') == APPLICATIONS_PER_PAGE
    assert "Page 1 of 2" in first
    second = user_client.get("/tracker/?page=2").get_data(as_text=True)
    assert second.count('class="app-card"') == 5
