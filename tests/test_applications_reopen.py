"""Reopening a closed application: a new line in the timeline, the closing kept; and the
tick a closing move asks for, shown with the choice."""
import pytest

from .applications_support import application, stored, text_of, track  # noqa: F401


@pytest.mark.parametrize("closed_at", ["hired", "rejected", "withdrawn", "no_response"])
def test_a_closed_application_is_reopened_with_a_note_and_its_history_kept(seeded, user, user_client, closed_at):
    moves = {"hired": ["applied", "interviewing", "offer", "hired"]}.get(closed_at, ["applied", closed_at])
    closed = track(seeded, user, moves=moves)
    before = stored(seeded, closed).changes
    page = text_of(user_client.get(f"/tracker/{closed}").get_data(as_text=True))
    assert "Reopen this application" in page
    response = user_client.post(
        f"/tracker/{closed}/reopen", data={"reopen-status": "interviewing", "reopen-note": "They called me back"}
    )
    assert response.status_code == 303 and response.headers["Location"] == f"/tracker/{closed}"
    record = stored(seeded, closed)
    assert record.status == "interviewing"
    assert record.changes == before + [(closed_at, "interviewing", user.id, "They called me back")]
    page = text_of(user_client.get(f"/tracker/{closed}").get_data(as_text=True))
    assert "Reopened at “Interviewing”." in page and "reopened" in page and "They called me back" in page
    assert "Reopen this application" not in page


def test_reopening_asks_why_and_keeps_the_choice(seeded, user, user_client):
    rejected = track(seeded, user, moves=["applied", "rejected"])
    html = user_client.post(
        f"/tracker/{rejected}/reopen", data={"reopen-status": "offer", "reopen-note": "  "}
    ).get_data(as_text=True)
    assert "Say why you reopen it, for example “they called me back”." in text_of(html)
    assert 'id="reopen-note-error"' in html and '<option selected value="offer">' in html
    assert '<details class="reopen" open>' in html
    assert stored(seeded, rejected).status == "rejected"


def test_reopening_offers_the_stage_it_closed_from(seeded, user, user_client):
    rejected = track(seeded, user, moves=["applied", "interviewing", "rejected"])
    html = user_client.get(f"/tracker/{rejected}").get_data(as_text=True)
    assert '<option selected value="interviewing">' in html.split('class="reopen-form"', 1)[1]


@pytest.mark.parametrize(
    "moves, to_status, message",
    [
        ([], "applied", "This application is open: there is nothing to reopen."),
        (["applied", "rejected"], "hired", "Reopen it at an open stage"),
    ],
)
def test_reopening_an_open_application_or_at_a_closed_stage_is_refused(seeded, user, user_client, moves, to_status, message):
    application = track(seeded, user, moves=moves)
    before = stored(seeded, application).status
    html = user_client.post(
        f"/tracker/{application}/reopen", data={"reopen-status": to_status, "reopen-note": "why not"}
    ).get_data(as_text=True)
    assert message in text_of(html)
    assert stored(seeded, application).status == before


def test_another_users_application_cannot_be_reopened(seeded, user, other_client):
    rejected = track(seeded, user, moves=["applied", "rejected"])
    response = other_client.post(f"/tracker/{rejected}/reopen", data={"reopen-status": "applied", "reopen-note": "x"})
    assert response.status_code == 404
    assert stored(seeded, rejected).status == "rejected"


def test_no_closing_tick_stands_beside_the_choice_of_stage(seeded, user_client, application):
    """At 360 px a card holds one control, the stage: the closing question comes after."""
    page = user_client.get(f"/tracker/{application}").get_data(as_text=True)
    assert 'name="final"' not in page and "Close it?" not in page
    board = user_client.get("/tracker/board").get_data(as_text=True)
    assert 'name="final"' not in board and "Close it?" not in board
    moved = user_client.post(f"/tracker/{application}/status", data={"status": "withdrawn", "final": "y"})
    assert moved.status_code == 303 and stored(seeded, application).status == "withdrawn"


def test_from_no_response_only_the_closing_stage_is_asked_about(seeded, user, user_client):
    no_response = track(seeded, user, moves=["applied", "no_response"])
    asked = user_client.post(f"/tracker/{no_response}/status", data={"status": "rejected"})
    assert "“Rejected” closes this application. Close it?" in text_of(asked.get_data(as_text=True))
    assert stored(seeded, no_response).status == "no_response"
    moved = user_client.post(f"/tracker/{no_response}/status", data={"status": "interviewing"})
    assert moved.status_code == 303 and stored(seeded, no_response).status == "interviewing"
