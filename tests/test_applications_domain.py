"""The tracker's domain functions, on the real database: saving, moving, flags, funnel."""
from datetime import date, datetime, time, timedelta, timezone

import pytest
import sqlalchemy as sa

from tests.conftest import get_role_id
from tracker.applications import overview, tracking
from tracker.extensions import db
from tracker.models import Application, StatusChange

CCO = "customer-care-officer"


@pytest.fixture
def ctx(seeded):
    """A request context on the seeded app, as the domain functions run inside a view."""
    with seeded.test_request_context():
        yield


@pytest.fixture
def role_id(seeded):
    return get_role_id(seeded, CCO)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_saving_twice_or_with_other_spacing_keeps_one_application(ctx, user, role_id):
    first, created = tracking.save_role(user.id, role_id, "Grameenphone")
    assert created and first.status == "saved"
    again, created_again = tracking.save_role(user.id, role_id, "  grameenphone ")
    assert not created_again and again.id == first.id
    assert count(Application) == 1
    timeline = db.session.scalars(sa.select(StatusChange)).all()
    assert [(c.from_status, c.to_status, c.changed_by_id) for c in timeline] == [(None, "saved", user.id)]


def test_a_save_racing_another_returns_the_stored_one_and_keeps_the_rest_of_the_transaction(
    ctx, user, role_id, monkeypatch
):
    first, _ = tracking.save_role(user.id, role_id, "Grameenphone")
    db.session.commit()
    first.notes = "Written earlier in the same request"
    find_tracked = tracking.find_tracked
    calls = []

    def missed_by_the_check(*args):
        # As if a second click had passed the check before the first application was stored.
        calls.append(args)
        return None if len(calls) == 1 else find_tracked(*args)

    monkeypatch.setattr(tracking, "find_tracked", missed_by_the_check)
    again, created = tracking.save_role(user.id, role_id, "Grameenphone")
    db.session.commit()
    assert not created and again.id == first.id
    assert count(Application) == 1 and count(StatusChange) == 1
    assert db.session.get(Application, first.id).notes == "Written earlier in the same request"


def test_same_role_at_another_organisation_is_a_second_application(ctx, user, role_id):
    tracking.save_role(user.id, role_id, "Grameenphone")
    other, created = tracking.save_role(user.id, role_id, "Robi Axiata")
    assert created and other.organisation == "Robi Axiata"
    assert tracking.tracked_role_ids(user.id) == {role_id: min(a.id for a in db.session.scalars(sa.select(Application)))}


def test_change_status_records_who_and_sets_the_applied_date(ctx, user, role_id):
    application, _ = tracking.save_role(user.id, role_id)
    tracking.change_status(application, "applied", user.id, note="  sent CV by email ")
    tracking.change_status(application, "no_response", None)
    db.session.commit()
    application = db.session.get(Application, application.id)
    assert application.status == "no_response"
    assert application.applied_on == tracking.local_today()
    changes = [(c.from_status, c.to_status, c.changed_by_id, c.note) for c in application.status_changes]
    assert changes == [
        (None, "saved", user.id, ""),
        ("saved", "applied", user.id, "sent CV by email"),
        ("applied", "no_response", None, ""),
    ]


def test_an_illegal_move_changes_nothing(ctx, user, role_id):
    application, _ = tracking.save_role(user.id, role_id)
    before = application.last_changed_at
    with pytest.raises(tracking.TransitionError):
        tracking.change_status(application, "hired", user.id)
    db.session.commit()
    application = db.session.get(Application, application.id)
    assert application.status == "saved" and application.last_changed_at == before
    assert count(StatusChange) == 1


def test_interview_time_typed_in_dhaka_is_stored_in_utc(ctx, user, role_id):
    application, _ = tracking.save_role(user.id, role_id)
    at = tracking.local_to_utc(date(2026, 12, 1), time(10, 30))
    assert at == datetime(2026, 12, 1, 4, 30, tzinfo=timezone.utc)
    interview = tracking.add_interview(application, at, "video")
    tracking.record_outcome(interview, " Passed to the second round ")
    db.session.commit()
    stored = db.session.get(Application, application.id).interviews
    assert [(i.scheduled_at, i.kind, i.outcome) for i in stored] == [(at, "video", "Passed to the second round")]


def test_flags_overdue_and_gone_quiet(ctx, seeded, user, role_id):
    application, _ = tracking.save_role(user.id, role_id)
    flags = tracking.Flags.now()
    assert not flags.overdue(application) and not flags.gone_quiet(application)
    application.follow_up_on = flags.today - timedelta(days=1)
    assert flags.overdue(application)
    # Saved but never applied: there is no employer to be quiet.
    application.last_changed_at = flags.quiet_before - timedelta(minutes=1)
    assert not flags.gone_quiet(application)
    application.status = "applied"
    assert flags.gone_quiet(application)
    application.status = "rejected"
    assert not flags.overdue(application) and not flags.gone_quiet(application)
    assert flags.quiet_before < tracking.utcnow() - timedelta(days=seeded.config["GONE_QUIET_DAYS"] - 1)


def test_funnel_counts_how_far_each_application_got(ctx, user, other_user, seeded):
    role = get_role_id(seeded, CCO)
    bpo = get_role_id(seeded, "bpo-job")
    walks = {
        (role, "A"): ["applied", "interviewing", "rejected"],
        (role, "B"): ["applied"],
        (role, "C"): [],
        (bpo, "D"): ["applied", "interviewing", "offer", "hired"],
    }
    for (role_id, organisation), moves in walks.items():
        application, _ = tracking.save_role(user.id, role_id, organisation)
        for status in moves:
            tracking.change_status(application, status, user.id)
    tracking.save_role(other_user.id, role, "not counted")
    steps = overview.funnel(user.id)
    assert [(s.status, s.reached) for s in steps] == [
        ("saved", 4), ("applied", 3), ("interviewing", 2), ("offer", 1), ("hired", 1)
    ]
    assert [s.conversion for s in steps] == [None, 0.75, pytest.approx(2 / 3), 0.5, 1.0]
    assert steps[2].share == 0.5


def test_funnel_of_nobody_is_all_zero(ctx, user):
    assert [(s.reached, s.share, s.conversion) for s in overview.funnel(user.id)] == [(0, 0.0, None)] * 5


def test_upcoming_lists_interviews_follow_ups_and_next_steps_by_date(ctx, user, seeded):
    role = get_role_id(seeded, CCO)
    today = tracking.local_today()
    late, _ = tracking.save_role(user.id, role, "Late Ltd")
    late.follow_up_on = today - timedelta(days=2)
    soon, _ = tracking.save_role(user.id, role, "Soon Ltd")
    soon.next_step_on = today + timedelta(days=3)
    closed, _ = tracking.save_role(user.id, role, "Closed Ltd")
    closed.follow_up_on = today + timedelta(days=1)
    db.session.commit()
    # Booked while it was open; withdrawn since, so that interview will not happen.
    tracking.add_interview(closed, tracking.local_to_utc(today + timedelta(days=1), time(8)), "phone")
    tracking.change_status(closed, "withdrawn", user.id)
    tracking.add_interview(soon, tracking.local_to_utc(today + timedelta(days=1), time(9)), "phone")
    tracking.add_interview(soon, tracking.local_to_utc(today - timedelta(days=1), time(9)), "phone")
    items = overview.upcoming(user.id, today)
    assert [(i.kind, i.application.organisation, i.day) for i in items] == [
        ("follow_up", "Late Ltd", today - timedelta(days=2)),
        ("interview", "Soon Ltd", today + timedelta(days=1)),
        ("next_step", "Soon Ltd", today + timedelta(days=3)),
    ]


def test_list_filters_and_sorts(ctx, user, seeded):
    role = get_role_id(seeded, CCO)
    bpo = get_role_id(seeded, "bpo-job")
    a, _ = tracking.save_role(user.id, role, "A")
    b, _ = tracking.save_role(user.id, bpo, "B")
    tracking.change_status(a, "applied", user.id)
    assert [x.organisation for x in overview.list_applications(user.id).items] == ["A", "B"]
    assert [x.organisation for x in overview.list_applications(user.id, "applied").items] == ["A"]
    assert [x.organisation for x in overview.list_applications(user.id, "open", "status").items] == ["B", "A"]
    assert [x.organisation for x in overview.list_applications(user.id, "closed").items] == []
    # Role titles sort as Bengali dictionary order puts them: "BPO কাজ" first.
    assert [x.organisation for x in overview.list_applications(user.id, "", "role").items] == ["B", "A"]
    assert overview.status_counts(user.id)["applied"] == 1
