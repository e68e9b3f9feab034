"""Proof of job search: every application and stage change in a chosen range of days,
on a page made to print."""
from datetime import timedelta

from tracker.extensions import db
from tracker.models import Application

from .applications_support import text_of, track
from .test_applications_tracker import dhaka_today

TODAY = dhaka_today()


def _move_history_back(app, application_id, days):
    """Date every stage change of an application `days` earlier, as if made then."""
    with app.app_context():
        for change in db.session.get(Application, application_id).status_changes:
            change.changed_at -= timedelta(days=days)
        db.session.commit()


def test_the_proof_lists_the_applications_and_stage_changes_in_the_range(seeded, user, user_client):
    track(seeded, user, organisation="Robi", moves=["applied"])
    old = track(seeded, user, organisation="Old Ltd", moves=["applied"])
    _move_history_back(seeded, old, 60)
    html = user_client.get(
        f"/tracker/proof?start={(TODAY - timedelta(days=7)).isoformat()}&end={TODAY.isoformat()}"
    ).get_data(as_text=True)
    page = text_of(html)
    assert "Job search of Asha" in page
    assert "1 application, 2 stage changes, 0 interviews." in page
    assert "Robi" in page and "Old Ltd" not in page
    assert "Saved → Applied" in page
    assert 'class="proof-form no-print"' in html  # the form stays off paper


def test_the_proof_defaults_to_the_last_thirty_days(seeded, user, user_client):
    track(seeded, user, organisation="Robi", moves=["applied"])
    html = user_client.get("/tracker/proof").get_data(as_text=True)
    assert f'value="{(TODAY - timedelta(days=30)).isoformat()}"' in html and f'value="{TODAY.isoformat()}"' in html
    assert "Robi" in text_of(html)


def test_bengali_digits_in_the_range_are_understood(seeded, user, user_client):
    track(seeded, user, organisation="Robi", moves=["applied"])
    to_bengali = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
    start, end = (TODAY - timedelta(days=2)).isoformat().translate(to_bengali), TODAY.isoformat().translate(to_bengali)
    assert "Robi" in text_of(user_client.get(f"/tracker/proof?start={start}&end={end}").get_data(as_text=True))


def test_a_range_backwards_or_in_the_future_is_refused_beside_its_field(seeded, user, user_client):
    html = user_client.get(
        f"/tracker/proof?start={TODAY.isoformat()}&end={(TODAY - timedelta(days=3)).isoformat()}"
    ).get_data(as_text=True)
    assert 'id="end-error"' in html and "The last day cannot be before the first" in text_of(html)
    html = user_client.get(f"/tracker/proof?start=someday&end={TODAY.isoformat()}").get_data(as_text=True)
    assert 'id="start-error"' in html and 'value="someday"' in html
    assert "Job search of" not in text_of(html)


def test_the_proof_shows_only_my_own_applications(seeded, user, other_user, other_client):
    track(seeded, user, organisation="Robi", moves=["applied"])
    page = text_of(other_client.get("/tracker/proof").get_data(as_text=True))
    assert "Robi" not in page and "Nothing was recorded in these days." in page


def test_the_proof_costs_the_same_queries_however_many_applications(seeded, user, user_client, count_queries):
    track(seeded, user, organisation="First", moves=["applied"])
    with count_queries() as few:
        user_client.get("/tracker/proof")
    for number in range(10):
        track(seeded, user, organisation=f"Org {number}", moves=["applied", "interviewing"])
    with count_queries() as many:
        page = user_client.get("/tracker/proof").get_data(as_text=True)
    assert "Org 9" in page
    assert len(few) == len(many)


def test_a_refused_range_is_printed_with_its_message_never_a_page_with_a_title_alone(seeded, user, user_client):
    html = user_client.get(f"/tracker/proof?start={TODAY.isoformat()}&end={(TODAY + timedelta(days=3)).isoformat()}").get_data(as_text=True)
    assert 'id="end-error"' in html and "Choose a day up to today." in text_of(html)
    assert 'class="proof-form"' in html  # not no-print: what went wrong is on paper too


def test_the_bengali_message_names_the_first_day_the_bengali_way(seeded, user, user_client):
    user_client.set_cookie("lang", "bn")
    start, end = TODAY, TODAY - timedelta(days=3)
    html = user_client.get(f"/tracker/proof?start={start.isoformat()}&end={end.isoformat()}").get_data(as_text=True)
    message = text_of(html)
    assert start.isoformat() not in message
    assert str(start.day).translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")) in message
