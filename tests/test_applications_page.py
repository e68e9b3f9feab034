"""One application's page: details, stage changes with their timeline, interviews, delete."""
import json
from datetime import date, datetime, time, timedelta, timezone

import pytest

from tracker.extensions import db
from tracker.models import Application

from .applications_support import (
    CCO_TITLE,
    application,  # noqa: F401
    interview_id,
    stored,
    text_of,
    track,
)
from .test_applications_tracker import dhaka_today

# Planned dates the forms accept: within the next two years.
NEXT_STEP_ON = dhaka_today() + timedelta(days=60)
FOLLOW_UP_ON = dhaka_today() + timedelta(days=45)
INTERVIEW_ON = dhaka_today() + timedelta(days=30)
THREE_YEARS_ON = (dhaka_today() + timedelta(days=3 * 366)).isoformat()

DETAILS = {
    "organisation": "Grameenphone",
    "applied_on": "2026-01-05",
    "next_step": "লিখিত পরীক্ষা",
    "next_step_on": NEXT_STEP_ON.isoformat(),
    "follow_up_on": FOLLOW_UP_ON.isoformat(),
    "notes": "HR: মিতা আপা",
}


def test_page_shows_details_stage_choices_and_timeline(seeded, user_client, application):
    html = user_client.get(f"/tracker/{application}").get_data(as_text=True)
    page = text_of(html)
    assert CCO_TITLE in page and "Grameenphone" in page
    assert '<option value="applied">Applied</option>' in html
    assert '<option value="hired">' not in html  # not a move allowed from "saved"
    timeline = page.split("Timeline", 1)[1].split("Details", 1)[0]
    assert "Saved" in timeline and "you" in timeline


def test_edit_details_saves_everything(seeded, user_client, application):
    response = user_client.post(f"/tracker/{application}/details", data=DETAILS)
    assert response.status_code == 303 and response.headers["Location"] == f"/tracker/{application}"
    record = stored(seeded, application)
    assert (record.applied_on, record.next_step, record.next_step_on, record.follow_up_on, record.notes) == (
        date(2026, 1, 5), "লিখিত পরীক্ষা", NEXT_STEP_ON, FOLLOW_UP_ON, "HR: মিতা আপা"
    )
    page = user_client.get(f"/tracker/{application}").get_data(as_text=True)
    assert "Saved." in page and 'value="লিখিত পরীক্ষা"' in page


def test_past_next_step_is_allowed_and_flagged_overdue(seeded, user_client, application):
    response = user_client.post(
        f"/tracker/{application}/details", data={**DETAILS, "next_step_on": "2020-01-01"}, follow_redirects=True
    )
    page = text_of(response.get_data(as_text=True))
    assert "A date you gave has already passed, so it is marked overdue." in page
    assert "overdue" in page.split("Stage", 1)[0]
    assert stored(seeded, application).next_step_on == date(2020, 1, 1)


def test_bad_details_show_messages_keep_typed_text_and_save_nothing(seeded, user_client, application):
    before = stored(seeded, application)
    bad = {**DETAILS, "applied_on": "5th of January", "follow_up_on": "2026-02-30", "notes": "x" * 5001}
    html = user_client.post(f"/tracker/{application}/details", data=bad).get_data(as_text=True)
    assert 'id="applied_on-error"' in html and 'id="follow_up_on-error"' in html and 'id="notes-error"' in html
    page = text_of(html)
    assert "Enter a date as year-month-day, for example 2026-03-31." in page
    assert "Notes can be at most 5000 characters." in page
    assert 'value="5th of January"' in html and 'value="লিখিত পরীক্ষা"' in html
    assert stored(seeded, application) == before


def test_future_applied_date_is_refused(seeded, user_client, application):
    html = user_client.post(f"/tracker/{application}/details", data={**DETAILS, "applied_on": "2099-01-01"}).get_data(as_text=True)
    assert "The applied date cannot be in the future." in html
    assert stored(seeded, application).applied_on is None


@pytest.mark.parametrize(
    "field, typed, message",
    [
        ("applied_on", "1999-12-31", "Enter a date from 2000 on; check the year."),
        ("next_step_on", "0206-03-01", "Enter a date from 2000 on; check the year."),
        ("next_step_on", THREE_YEARS_ON, "Enter a date within the next two years; check the year."),
        ("follow_up_on", THREE_YEARS_ON, "Enter a date within the next two years; check the year."),
        ("follow_up_on", "2026-01-04", "Follow up after the day you applied (2026-01-05), not before it."),
    ],
)
def test_a_date_nobody_means_is_refused_beside_its_field_keeping_what_was_typed(
    seeded, user_client, application, field, typed, message
):
    before = stored(seeded, application)
    html = user_client.post(f"/tracker/{application}/details", data={**DETAILS, field: typed}).get_data(as_text=True)
    assert f'<p class="error" id="{field}-error">{message}</p>' in html
    assert f'value="{typed}"' in html
    assert stored(seeded, application) == before


def test_the_edges_of_the_sensible_dates_are_accepted(seeded, user_client, application):
    two_years_on = dhaka_today().replace(year=dhaka_today().year + 2)
    edges = {"applied_on": "2000-01-01", "next_step_on": two_years_on.isoformat(), "follow_up_on": "2000-01-01"}
    response = user_client.post(f"/tracker/{application}/details", data={**DETAILS, **edges})
    assert response.status_code == 303
    record = stored(seeded, application)
    assert (record.applied_on, record.next_step_on, record.follow_up_on) == (date(2000, 1, 1), two_years_on, date(2000, 1, 1))


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1999-06-01", "Enter a date from 2000 on; check the year."),
        (THREE_YEARS_ON, "Enter a date within the next two years; check the year."),
    ],
)
def test_an_interview_date_nobody_means_is_refused_beside_its_field(seeded, user_client, application, typed, message):
    html = user_client.post(
        f"/tracker/{application}/interviews", data={"day": typed, "at": "10:00", "kind": "phone", "notes": "typed"}
    ).get_data(as_text=True)
    assert f'<p class="error" id="day-error">{message}</p>' in html
    assert f'value="{typed}"' in html and "typed</textarea>" in html
    assert stored(seeded, application).interviews == []


def test_an_interview_before_the_day_of_applying_is_refused_beside_its_field(seeded, user_client, application):
    applied = dhaka_today() - timedelta(days=3)
    user_client.post(f"/tracker/{application}/details", data={**DETAILS, "applied_on": applied.isoformat()})
    month_early = (applied - timedelta(days=30)).isoformat()
    html = user_client.post(
        f"/tracker/{application}/interviews", data={"day": month_early, "at": "10:00", "kind": "phone", "notes": "typed"}
    ).get_data(as_text=True)
    assert '<p class="error" id="day-error">An interview cannot come before you applied (' in html
    assert f'value="{month_early}"' in html and "typed</textarea>" in html
    assert stored(seeded, application).interviews == []
    on_the_day = user_client.post(
        f"/tracker/{application}/interviews", data={"day": applied.isoformat(), "at": "10:00", "kind": "phone"})
    assert on_the_day.status_code == 303 and len(stored(seeded, application).interviews) == 1
    with seeded.app_context():
        [interview] = [each.id for each in db.session.get(Application, application).interviews]
    moved = user_client.post(f"/tracker/{application}/interviews/{interview}/edit", data={
        f"edit-{interview}-day": month_early, f"edit-{interview}-at": "10:00", f"edit-{interview}-kind": "phone"})
    assert "An interview cannot come before you applied" in moved.get_data(as_text=True)


def test_renaming_to_an_organisation_already_tracked_is_refused(seeded, user, user_client, application):
    other = track(seeded, user, organisation="Robi")
    html = user_client.post(f"/tracker/{other}/details", data={**DETAILS, "organisation": "grameenphone"}).get_data(as_text=True)
    assert "You already track this role at that organisation." in html
    assert stored(seeded, other).organisation == "Robi"


def test_status_change_with_note_appears_in_the_timeline(seeded, user, user_client, application):
    response = user_client.post(f"/tracker/{application}/status", data={"status": "applied", "note": "CV দিয়েছি"})
    assert response.status_code == 303 and response.headers["Location"] == f"/tracker/{application}"
    user_client.post(f"/tracker/{application}/status", data={"status": "interviewing"})
    record = stored(seeded, application)
    assert record.status == "interviewing"
    assert record.changes[1:] == [("saved", "applied", user.id, "CV দিয়েছি"), ("applied", "interviewing", user.id, "")]
    page = text_of(user_client.get(f"/tracker/{application}").get_data(as_text=True))
    timeline = page.split("Timeline", 1)[1].split("Details", 1)[0]
    assert "Saved → Applied" in timeline and "CV দিয়েছি" in timeline and "Applied → Interviewing" in timeline


def test_system_changes_are_shown_as_made_by_the_system(seeded, user, user_client, application):
    from tracker.applications import tracking
    from tracker.extensions import db
    from tracker.models import Application

    with seeded.test_request_context():
        tracking.change_status(db.session.get(Application, application), "no_response", None)
        db.session.commit()
    timeline = text_of(user_client.get(f"/tracker/{application}").get_data(as_text=True)).split("Timeline", 1)[1]
    assert "Saved → No response system" in timeline


def test_illegal_and_unknown_status_are_refused_next_to_the_field(seeded, user_client, application):
    before = stored(seeded, application)
    html = user_client.post(f"/tracker/{application}/status", data={"status": "hired", "note": "keep me"}).get_data(as_text=True)
    assert 'id="status-error"' in html
    assert "An application cannot go from “Saved” to “Hired”." in text_of(html)
    assert 'value="keep me"' in html
    html = user_client.post(f"/tracker/{application}/status", data={"status": "shortlisted"}).get_data(as_text=True)
    assert "“shortlisted” is not a stage we know." in text_of(html)
    assert stored(seeded, application) == before


def test_a_move_to_a_final_stage_asks_its_question_and_keeps_the_note(seeded, user, user_client, application):
    asked = user_client.post(f"/tracker/{application}/status", data={"status": "withdrawn", "note": "took another job"})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and stored(seeded, application).status == "saved"
    question = html.split('class="close-question"', 1)[1].split("</form>", 1)[0]
    assert "“Withdrawn” closes this application. Close it?" in text_of(question)
    assert 'name="note" value="took another job"' in question and 'name="status" value="withdrawn"' in question
    assert 'name="final" value="y"' in question
    moved = user_client.post(
        f"/tracker/{application}/status", data={"status": "withdrawn", "note": "took another job", "final": "y"}
    )
    assert moved.status_code == 303
    assert stored(seeded, application).changes[-1] == ("saved", "withdrawn", user.id, "took another job")



def test_a_closed_application_takes_no_new_interviews(seeded, user, user_client):
    rejected = track(seeded, user, moves=["applied", "rejected"])
    page = text_of(user_client.get(f"/tracker/{rejected}").get_data(as_text=True))
    assert "This application is closed (“Rejected”), so it takes no new interviews." in page
    assert 'class="interview-form"' not in user_client.get(f"/tracker/{rejected}").get_data(as_text=True)
    # A page drawn while it was still open: the form comes back with the reason and what was typed.
    html = user_client.post(
        f"/tracker/{rejected}/interviews", data={"day": INTERVIEW_ON.isoformat(), "at": "10:00", "kind": "phone", "notes": "HR round"}
    ).get_data(as_text=True)
    assert "This application is closed (“Rejected”), so it takes no new interviews." in text_of(html)
    assert "HR round" in html and stored(seeded, rejected).interviews == []


def test_an_interview_entered_by_mistake_can_be_removed(seeded, user_client, other_client, application):
    interview = interview_id(seeded, application)
    assert other_client.post(f"/tracker/{application}/interviews/{interview}/delete").status_code == 404
    assert len(stored(seeded, application).interviews) == 1
    response = user_client.post(f"/tracker/{application}/interviews/{interview}/delete")
    assert response.status_code == 303 and stored(seeded, application).interviews == []
    page = text_of(user_client.get(response.headers["Location"]).get_data(as_text=True))
    assert "The interview is removed." in page and "No interviews yet." in page


def test_nothing_moves_out_of_hired(seeded, user, user_client):
    hired = track(seeded, user, moves=["applied", "interviewing", "offer", "hired"])
    page = text_of(user_client.get(f"/tracker/{hired}").get_data(as_text=True))
    assert "“Hired” closed this application." in page
    html = user_client.post(f"/tracker/{hired}/status", data={"status": "rejected"}).get_data(as_text=True)
    assert "“Hired” closed this application: reopen it to move it again." in text_of(html)
    assert stored(seeded, hired).status == "hired"


def test_add_interview_in_dhaka_time_and_record_its_outcome(seeded, user_client, application):
    response = user_client.post(
        f"/tracker/{application}/interviews", data={"day": INTERVIEW_ON.isoformat(), "at": "10:30", "kind": "in_person", "notes": "Banani office"}
    )
    assert response.status_code == 303
    record = stored(seeded, application)
    at_utc = datetime.combine(INTERVIEW_ON, time(4, 30), tzinfo=timezone.utc)  # 10:30 in Dhaka
    assert record.interviews == [(at_utc, "in_person", None, "Banani office")]
    page = text_of(user_client.get(f"/tracker/{application}").get_data(as_text=True))
    assert f"{INTERVIEW_ON:%b} {INTERVIEW_ON.day}, {INTERVIEW_ON.year}, 10:30 AM · In person" in page
    interview = interview_id(seeded, application)
    prefix = f"interview-{interview}-"
    response = user_client.post(
        f"/tracker/{application}/interviews/{interview}/outcome",
        data={prefix + "outcome": "Second round next week", prefix + "csrf_token": user_client.csrf_token()},
    )
    assert response.status_code == 303
    assert stored(seeded, application).interviews[0][2] == "Second round next week"


def test_bad_interview_input_is_refused_with_messages(seeded, user_client, application):
    html = user_client.post(
        f"/tracker/{application}/interviews", data={"day": "tomorrow", "at": "25:99", "kind": "lunch", "notes": "typed"}
    ).get_data(as_text=True)
    page = text_of(html)
    assert "Enter a date as year-month-day" in page and "Enter a time as hours:minutes" in page
    assert 'id="kind-error"' in html and 'value="tomorrow"' in html and "typed</textarea>" in html
    assert stored(seeded, application).interviews == []


def test_empty_outcome_is_refused(seeded, user_client, application):
    interview = interview_id(seeded, application)
    prefix = f"interview-{interview}-"
    html = user_client.post(
        f"/tracker/{application}/interviews/{interview}/outcome",
        data={prefix + "outcome": "  ", prefix + "csrf_token": user_client.csrf_token()},
    ).get_data(as_text=True)
    assert "Write how it went" in html and f'id="{prefix}outcome-error"' in html
    assert stored(seeded, application).interviews[0][2] is None


def test_delete_asks_first_then_removes_everything(seeded, user_client, application):
    interview_id(seeded, application)
    confirm = user_client.get(f"/tracker/{application}/delete").get_data(as_text=True)
    assert "<html" in confirm and "This cannot be undone." in text_of(confirm)
    assert stored(seeded, application) is not None  # asking deletes nothing
    fragment = user_client.htmx("get", f"/tracker/{application}/delete").get_data(as_text=True)
    assert "<html" not in fragment and 'action="/tracker/' in fragment and "Yes, delete it for good" in fragment
    response = user_client.post(f"/tracker/{application}/delete")
    assert response.status_code == 303 and response.headers["Location"] == "/tracker/"
    assert stored(seeded, application) is None
    from tracker.extensions import db
    from tracker.models import Interview, StatusChange

    with seeded.app_context():
        assert db.session.query(StatusChange).count() == 0 and db.session.query(Interview).count() == 0


def test_next_step_label_in_upcoming_uses_future_dates(seeded, user, user_client):
    track(seeded, user, next_step="ফোন", next_step_on=date.today() + timedelta(days=30))
    assert "Next step: ফোন" in text_of(user_client.get("/tracker/").get_data(as_text=True))


def test_timeline_times_are_shown_in_dhaka_time(seeded, user_client, application):
    from tracker.extensions import db
    from tracker.models import StatusChange

    with seeded.app_context():
        change = db.session.query(StatusChange).one()
        change.changed_at = datetime(2026, 1, 1, 20, 0, tzinfo=timezone.utc)
        db.session.commit()
    timeline = text_of(user_client.get(f"/tracker/{application}").get_data(as_text=True)).split("Timeline", 1)[1]
    assert timeline.startswith(" Jan 2, 2026, 2:00 AM Saved you")


def test_adding_an_interview_through_htmx_swaps_the_interviews_in_and_says_so(seeded, user_client, application):
    """Issue 26, item 20: no page load (the focus would drop to its top) and no flash
    that no live region reads; the new interview takes the focus."""
    response = user_client.htmx(
        "post", f"/tracker/{application}/interviews",
        data={"day": INTERVIEW_ON.isoformat(), "at": "10:30", "kind": "phone", "notes": "Ask for Mita"},
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="interview-area">') and "Ask for Mita" in fragment
    interview = interview_id(seeded, application)
    said = json.loads(response.headers["HX-Trigger-After-Settle"])["after-swap"]
    assert said == {"say": "Interview added.", "focus": f"#interview-{interview}"}
    assert f'id="interview-{interview}"' in fragment
    assert "<details" in fragment and "<details class=\"form-disclosure\" open" not in fragment  # the form closed again
    assert len(stored(seeded, application).interviews) == 1


def test_an_interview_refused_through_htmx_comes_back_with_its_messages_and_typed_text(seeded, user_client, application):
    response = user_client.htmx(
        "post", f"/tracker/{application}/interviews", data={"day": "tomorrow", "at": "10:30", "kind": "phone", "notes": "typed"}
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Trigger-After-Settle" not in response.headers  # the field takes the focus
    assert fragment.lstrip().startswith('<div id="interview-area">')
    assert '<details class="form-disclosure" open>' in fragment and 'aria-invalid="true"' in fragment
    assert "Enter a date as year-month-day" in text_of(fragment) and "typed</textarea>" in fragment
    assert stored(seeded, application).interviews == []


@pytest.mark.parametrize(("language", "question"), [
    ("en", "“Withdrawn” closes this application. Close it?"),
    ("bn", "“সরে এসেছি” ধাপে গেলে আবেদনটি বন্ধ হয়ে যাবে। বন্ধ করবেন?"),
])
def test_the_application_page_shows_its_forms_on_demand_and_asks_before_closing(
    seeded, user_client, application, language, question
):
    user_client.set_cookie("lang", language)
    html = user_client.get(f"/tracker/{application}").get_data(as_text=True)
    for form in ("status-form", "details-form", "interview-form"):
        before = html.split(f'class="{form}"', 1)[0]
        assert before.rfind("<details") > before.rfind("</details>"), form  # inside a closed disclosure
    assert 'name="final"' not in html
    asked = user_client.post(f"/tracker/{application}/status", data={"status": "withdrawn"}).get_data(as_text=True)
    assert question in text_of(asked)
    assert stored(seeded, application).status == "saved"
