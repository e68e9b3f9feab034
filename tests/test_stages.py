"""The transition rules of application stages, defined once in tracker/applications/stages.py."""
import pytest

from tracker.applications import stages
from tracker.applications.tracking import TransitionError, check_transition


@pytest.mark.parametrize(
    "from_status, to_status",
    [
        ("saved", "applied"),
        ("applied", "interviewing"),
        ("interviewing", "offer"),
        ("offer", "hired"),
        ("saved", "withdrawn"),
        ("applied", "rejected"),
        ("interviewing", "no_response"),
        ("offer", "withdrawn"),
        ("no_response", "interviewing"),
        ("no_response", "rejected"),
    ],
)
def test_allowed_moves(app, from_status, to_status):
    assert stages.can_move(from_status, to_status)
    with app.test_request_context():
        check_transition(from_status, to_status)  # no error


@pytest.mark.parametrize(
    "from_status, to_status, message",
    [
        ("saved", "hired", "cannot go from “Saved” to “Hired”. From “Saved” it can go to: Applied, Rejected, Withdrawn, No response."),
        ("saved", "interviewing", "cannot go from “Saved” to “Interviewing”"),
        ("applied", "saved", "cannot go from “Applied” to “Saved”"),
        ("hired", "rejected", "“Hired” closed this application: reopen it to move it again."),
        ("rejected", "applied", "“Rejected” closed this application"),
        ("withdrawn", "interviewing", "“Withdrawn” closed this application"),
        ("no_response", "hired", "cannot go from “No response” to “Hired”"),
        ("applied", "applied", "already at “Applied”"),
        ("saved", "shortlisted", "“shortlisted” is not a stage we know"),
    ],
)
def test_refused_moves_say_why(app, from_status, to_status, message):
    assert not stages.can_move(from_status, to_status)
    with app.test_request_context(), pytest.raises(TransitionError) as refused:
        check_transition(from_status, to_status)
    assert message in str(refused.value)


def test_closed_stages_can_be_reached_from_every_open_stage():
    for status in stages.OPEN:
        for closed in ("rejected", "withdrawn", "no_response"):
            assert stages.can_move(status, closed), (status, closed)


def test_nothing_leaves_hired_and_every_stage_has_a_label_and_rules():
    assert stages.allowed_next("hired") == ()
    assert set(stages.LABELS) == set(stages.STATUSES) == set(stages.TRANSITIONS)
    assert stages.OPEN | stages.CLOSED == set(stages.STATUSES)
    assert not stages.OPEN & stages.CLOSED
    for targets in stages.TRANSITIONS.values():
        assert set(targets) <= set(stages.STATUSES)


def test_the_pipeline_moves_one_step_at_a_time():
    for earlier, later in zip(stages.PIPELINE, stages.PIPELINE[1:]):
        assert later in stages.allowed_next(earlier)
    for index, status in enumerate(stages.PIPELINE):
        for skipped in stages.PIPELINE[index + 2:]:
            assert not stages.can_move(status, skipped), (status, skipped)
