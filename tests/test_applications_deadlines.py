"""Deadlines: those in the next seven days lead the tracker, passed ones are marked, and
both are in "Coming up"."""
from datetime import timedelta

from .applications_support import text_of, track
from .test_applications_tracker import dhaka_today

TODAY = dhaka_today()


def _section(page: str, heading: str, next_heading: str) -> str:
    return page.split(heading, 1)[1].split(next_heading, 1)[0] if heading in page else ""


def test_deadlines_in_the_next_seven_days_lead_the_tracker_soonest_first(seeded, user, user_client):
    track(seeded, user, organisation="Later Ltd", deadline=TODAY + timedelta(days=6))
    track(seeded, user, organisation="Today Ltd", deadline=TODAY)
    track(seeded, user, organisation="Far Ltd", deadline=TODAY + timedelta(days=8))
    track(seeded, user, organisation="Sent Ltd", deadline=TODAY + timedelta(days=2), moves=["applied"])
    page = text_of(user_client.get("/tracker/").get_data(as_text=True))
    assert page.index("Closing soon") < page.index("Coming up")
    closing = _section(page, "Closing soon", "Coming up")
    assert closing.index("Today Ltd") < closing.index("Later Ltd")
    assert "Far Ltd" not in closing and "Sent Ltd" not in closing  # already applied: the deadline is behind them
    assert "closing soon" in _section(page, "Applications Search", "zzz")


def test_no_deadline_close_means_no_closing_soon_section(seeded, user, user_client):
    track(seeded, user, deadline=TODAY + timedelta(days=30))
    assert "Closing soon" not in user_client.get("/tracker/").get_data(as_text=True)


def test_a_passed_deadline_is_marked_and_stays_in_coming_up(seeded, user, user_client):
    application = track(seeded, user, organisation="Missed Ltd", deadline=TODAY - timedelta(days=2))
    page = text_of(user_client.get("/tracker/").get_data(as_text=True))
    upcoming = _section(page, "Coming up", "My funnel")
    assert "Deadline to apply" in upcoming and "Missed Ltd" in upcoming and "deadline passed" in upcoming
    assert "deadline passed" in text_of(user_client.get(f"/tracker/{application}").get_data(as_text=True))
    assert "deadline passed" in text_of(user_client.get("/tracker/board").get_data(as_text=True))


def test_a_coming_deadline_is_in_coming_up(seeded, user, user_client):
    track(seeded, user, organisation="Soon Ltd", deadline=TODAY + timedelta(days=3))
    upcoming = _section(text_of(user_client.get("/tracker/").get_data(as_text=True)), "Coming up", "My funnel")
    assert "Deadline to apply" in upcoming and "Soon Ltd" in upcoming and "deadline passed" not in upcoming


def test_the_tracker_costs_the_same_queries_however_many_deadlines(seeded, user, user_client, count_queries):
    track(seeded, user, organisation="First", deadline=TODAY + timedelta(days=1))
    with count_queries() as few:
        user_client.get("/tracker/")
    for number in range(10):
        track(seeded, user, organisation=f"Org {number}", deadline=TODAY + timedelta(days=number % 9 - 2))
    with count_queries() as many:
        user_client.get("/tracker/")
    assert len(few) == len(many)
