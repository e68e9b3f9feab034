"""The board with its inline moves, and the CSV export."""
import csv
import io
import re

from .applications_support import (
    BPO,
    CCO_TITLE,
    application,  # noqa: F401
    interview_id,
    stored,
    text_of,
    track,
)


def column_counts(html: str) -> dict[str, str]:
    return dict(re.findall(r'<h2 id="column-(\w+)">[^<]*<span class="count">(\d+)</span>', html))


def column_of(html: str, application_id: int) -> str:
    before = html.split(f'id="card-{application_id}"', 1)[0]
    return re.findall(r'<h2 id="column-(\w+)">', before)[-1]


def test_board_has_a_column_per_stage_with_counts(seeded, user, user_client, application):
    track(seeded, user, BPO, moves=["applied"])
    html = user_client.get("/tracker/board").get_data(as_text=True)
    counts = column_counts(html)
    assert list(counts) == ["saved", "applied", "interviewing", "offer", "hired", "rejected", "withdrawn", "no_response"]
    assert counts["saved"] == "1" and counts["applied"] == "1" and counts["hired"] == "0"
    assert column_of(html, application) == "saved"


def test_plain_move_redirects_to_the_board(seeded, user, user_client, application):
    response = user_client.post(f"/tracker/board/{application}/move", data={"status": "applied"})
    assert response.status_code == 303 and response.headers["Location"] == "/tracker/board"
    html = user_client.get("/tracker/board").get_data(as_text=True)
    assert column_of(html, application) == "applied" and column_counts(html)["saved"] == "0"
    assert "Moved to “Applied”." in html
    assert stored(seeded, application).changes[-1] == ("saved", "applied", user.id, "")


def test_htmx_move_returns_the_board_with_the_card_moved_and_counts_updated(seeded, user_client, application):
    response = user_client.htmx("post", f"/tracker/board/{application}/move", data={"status": "applied"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment and fragment.lstrip().startswith('<div id="board"')
    assert column_of(fragment, application) == "applied"
    assert column_counts(fragment)["applied"] == "1" and column_counts(fragment)["saved"] == "0"
    assert stored(seeded, application).status == "applied"


def test_a_move_to_a_final_stage_asks_its_question_on_the_card(seeded, user_client, application):
    for send in (
        lambda data: user_client.post(f"/tracker/board/{application}/move", data=data),
        lambda data: user_client.htmx("post", f"/tracker/board/{application}/move", data=data),
    ):
        html = send({"status": "withdrawn"}).get_data(as_text=True)
        assert column_of(html, application) == "saved" and stored(seeded, application).status == "saved"
        card = html.split(f'id="card-{application}"', 1)[1].split("</li>", 1)[0]
        assert "“Withdrawn” closes this application. Close it?" in text_of(card)
        assert '<input type="hidden" name="status" value="withdrawn">' in card
        assert f'id="move-{application}"' not in card  # the question stands in the stage's place
        assert 'role="alert"' not in card  # a question, not a mistake
    response = user_client.htmx("post", f"/tracker/board/{application}/move", data={"status": "withdrawn", "final": "y"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment and fragment.lstrip().startswith('<div id="board"')
    assert column_of(fragment, application) == "withdrawn"
    assert column_counts(fragment)["withdrawn"] == "1" and column_counts(fragment)["saved"] == "0"
    assert f'action="/tracker/board/{application}/move"' not in fragment  # nothing leaves "withdrawn"
    assert stored(seeded, application).status == "withdrawn"



def test_illegal_move_shows_the_reason_on_the_card_and_changes_nothing(seeded, user_client, application):
    for send in (
        lambda data: user_client.post(f"/tracker/board/{application}/move", data=data),
        lambda data: user_client.htmx("post", f"/tracker/board/{application}/move", data=data),
    ):
        html = send({"status": "hired"}).get_data(as_text=True)
        assert f'id="move-{application}-error"' in html
        assert "An application cannot go from “Saved” to “Hired”." in text_of(html)
        assert column_of(html, application) == "saved"
    assert stored(seeded, application).status == "saved"


def test_csv_has_bom_bengali_titles_and_every_stage_change(seeded, user, user_client, application):
    user_client.post(f"/tracker/{application}/status", data={"status": "applied", "note": "=HYPERLINK(\"x\")"})
    interview_id(seeded, application)
    user_client.post(f"/tracker/{application}/details", data={"organisation": "Grameenphone", "notes": "@mention"})
    response = user_client.get("/tracker/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == "attachment; filename=my-applications.csv"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, row = rows
    assert len(header) == len(row) == 20
    assert header[0] == "Job title" and header[9] == "History (one stage change a line: date time, stage, note)"
    assert row[:3] == [CCO_TITLE, "Grameenphone", "Applied"]
    history = row[9].split("\n")
    assert len(history) == 2
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d Saved", history[0])
    assert re.fullmatch(r'\d{4}-\d\d-\d\d \d\d:\d\d Applied \(=HYPERLINK\("x"\)\)', history[1])
    assert row[10] == "2030-01-02 00:00 Phone"
    assert row[11] == "'@mention"  # a spreadsheet must not run it as a formula


def test_csv_of_someone_without_applications_is_just_the_header(seeded, other_client, application):
    rows = list(csv.reader(io.StringIO(other_client.get("/tracker/export.csv").get_data().decode("utf-8-sig"))))
    assert len(rows) == 1 and rows[0][0] == "Job title"


def test_a_crafted_board_move_with_a_long_note_is_refused_not_a_crash(seeded, user_client, application):
    html = user_client.htmx(
        "post", f"/tracker/board/{application}/move", data={"status": "applied", "note": "x" * 501}
    ).get_data(as_text=True)
    assert "Keep the note to 500 characters or fewer." in html
    assert stored(seeded, application).status == "saved"


def test_htmx_board_request_gets_only_the_board(seeded, user_client, application):
    fragment = user_client.htmx("get", "/tracker/board").get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="board"') and "<html" not in fragment
    assert column_of(fragment, application) == "saved"
