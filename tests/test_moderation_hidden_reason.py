"""A comment a moderator hid, as its author sees it: marked hidden, with the moderator's
reason and a way to ask the moderators to look again; while readers and other members
never see its text or the reason."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Report, utcnow

from .discussion_support import add_comment, load_comment, role  # noqa: F401
from .moderation_support import audit_rows, set_comment

BODY = "Call me on 01711-000000 for the job"
REASON = "Phone numbers are not allowed here"


@pytest.fixture
def hidden(app, role, user, add_comment, moderator_client):
    """Asha's comment, hidden by the moderator with a reason."""
    comment_id = add_comment(role, user, BODY)
    response = moderator_client.post(f"/moderation/comments/{comment_id}/hide", data={"reason": REASON})
    assert response.status_code == 303
    return comment_id


def test_hiding_keeps_the_reason_on_the_comment_and_in_the_audit_log(app, role, user, moderator, hidden):
    assert load_comment(app, hidden).hidden_reason == REASON
    assert audit_rows(app) == [("hide", moderator.id, hidden, user.id, role.id, REASON)]


@pytest.mark.parametrize(
    ("language", "note", "ask"),
    [
        ("en", f"Hidden by a moderator: {REASON}", "Ask the moderators to look again"),
        ("bn", f"একজন মডারেটর লুকিয়ে রেখেছেন: {REASON}", "মডারেটরদের আবার দেখতে বলুন"),
    ],
)
def test_the_author_sees_their_hidden_comment_with_the_reason_on_the_role_page_and_its_own_page(
    app, role, hidden, user_client, other_client, client, language, note, ask
):
    for reader in (user_client, other_client, client):
        reader.set_cookie("lang", language)
    # Another member and a visitor draw the shared pages first: the author's must still be theirs.
    def pages(reader):
        """The role page, the comment's link (which leads there) and its card alone (htmx)."""
        yield reader.get(f"/roles/{role.slug}")
        yield reader.get(f"/comments/{hidden}", follow_redirects=True)
        yield reader.htmx("GET", f"/comments/{hidden}")

    for reader in (other_client, client):
        for response in pages(reader):
            page = response.get_data(as_text=True)
            assert BODY not in page and REASON not in page and ask not in page, response.request.path
    for response in pages(user_client):
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and BODY in page and note in page, response.request.path
        assert f'href="/moderation/comments/{hidden}/ask-again"' in page and ask in page


def test_a_hidden_comment_without_a_reason_says_so_plainly(app, role, user, add_comment, moderator_client, user_client):
    comment_id = add_comment(role, user, BODY)
    moderator_client.post(f"/moderation/comments/{comment_id}/hide")
    page = user_client.get(f"/comments/{comment_id}", follow_redirects=True).get_data(as_text=True)
    assert BODY in page and "Hidden by a moderator." in page and "Hidden by a moderator:" not in page


def test_a_reason_too_long_is_refused_beside_the_field_with_what_was_typed(
    app, role, user, add_comment, moderator_client
):
    comment_id = add_comment(role, user, BODY)
    typed = "x" * 501
    response = moderator_client.post(f"/moderation/comments/{comment_id}/hide", data={"reason": typed})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Keep it to 500 characters or fewer." in page and f'value="{typed}"' in page
    assert load_comment(app, comment_id).hidden_at is None


def test_restoring_forgets_the_reason(app, role, hidden, moderator_client, user_client):
    moderator_client.post(f"/moderation/comments/{hidden}/restore")
    assert load_comment(app, hidden).hidden_reason is None
    page = user_client.get(f"/comments/{hidden}", follow_redirects=True).get_data(as_text=True)
    assert BODY in page and REASON not in page and "ask-again" not in page


def test_the_author_asks_again_without_javascript_and_the_moderators_find_it_in_the_queue(
    app, role, user, hidden, user_client, moderator_client
):
    form = user_client.get(f"/moderation/comments/{hidden}/ask-again").get_data(as_text=True)
    assert "What did you change, or why should it stay? (optional)" in form
    response = user_client.post(f"/moderation/comments/{hidden}/ask-again", data={"details": "I took the number out"})
    assert response.status_code == 303 and response.headers["Location"] == f"/comments/{hidden}"
    shown = user_client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "You have asked the moderators to look again." in shown
    with app.app_context():
        asked = db.session.scalars(sa.select(Report).where(Report.comment_id == hidden)).all()
        assert [(r.reporter_id, r.reason, r.details, r.resolved_at) for r in asked] == [
            (user.id, "review", "I took the number out", None)
        ]
    queue = moderator_client.get("/moderation/").get_data(as_text=True)
    reported = queue[queue.index('id="reported"'):queue.index('id="held"')]
    assert f'id="reported-{hidden}"' in reported
    assert "<bdi>Asha</bdi> reported: its author asks to look again" in reported and "I took the number out" in reported
    again = user_client.post(f"/moderation/comments/{hidden}/ask-again", data={"details": "Please"})
    assert "You have asked the moderators to look again." in again.get_data(as_text=True)
    moderator_client.post(f"/moderation/comments/{hidden}/restore")
    with app.app_context():
        assert db.session.scalar(sa.select(Report.resolved_at).where(Report.comment_id == hidden)) is not None


def test_the_author_asks_again_inline_in_bengali(app, hidden, user_client):
    user_client.set_cookie("lang", "bn")
    response = user_client.htmx("POST", f"/moderation/comments/{hidden}/ask-again", data={})
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and "আপনি মডারেটরদের আবার দেখতে বলেছেন।" in fragment


def test_only_the_author_may_ask_again_and_only_while_it_is_hidden(
    app, role, user, add_comment, hidden, other_client, moderator_client, user_client
):
    assert other_client.get(f"/moderation/comments/{hidden}/ask-again").status_code == 404
    assert moderator_client.get(f"/moderation/comments/{hidden}/ask-again").status_code == 404
    shown = add_comment(role, user, "A fine question")
    assert user_client.post(f"/moderation/comments/{shown}/ask-again", data={}).status_code == 404


def test_the_authors_role_page_costs_the_same_queries_with_one_or_many_hidden_comments(
    app, role, user, add_comment, user_client, count_queries
):
    counts, hidden = [], 0
    for more in (1, 5):
        for _ in range(more):  # hidden straight in the database, each with its reason
            comment_id = add_comment(role, user, f"Hidden comment {hidden}", created_at=utcnow() - timedelta(hours=1))
            set_comment(app, comment_id, hidden_at=utcnow(), hidden_reason=f"Reason {hidden}")
            hidden += 1
        with count_queries() as statements:
            page = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
        assert page.count("Hidden by a moderator: Reason") == hidden
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
