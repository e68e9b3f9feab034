"""Moderators' actions on comments, inline on the thread (htmx) and from the queue (plain
posts): what readers and moderators then see, what the database holds, and the audit entry."""
import re

import pytest

from tracker.extensions import db
from tracker.models import Comment

from .discussion_support import add_comment, load_comment, role  # noqa: F401
from .moderation_support import add_report, audit_rows, held, open_reports, set_comment  # noqa: F401


def card_of(page: str, comment_id: int) -> str:
    start = page.index(f'id="card-{comment_id}"')
    return page[start:page.index("</article>", start)]


@pytest.fixture
def question(role, user, add_comment):
    """Asha's question."""
    return add_comment(role, user, "Is there a night shift?")


def test_hiding_inline_greys_the_card_for_the_moderator_and_removes_it_for_readers(
    app, role, user, moderator, other_user, question, add_comment, moderator_client, other_client
):
    add_report(app, question, other_user, "spam")
    response = moderator_client.htmx("POST", f"/moderation/comments/{question}/hide")
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment
    assert re.search(rf'<div class="comment-card is-withdrawn" id="card-{question}">', fragment)
    assert '<span class="badge badge-withdrawn">hidden</span>' in fragment
    assert f"/moderation/comments/{question}/restore" in fragment
    assert 'id="comments-summary" hx-swap-oob="true"' in fragment and "0 thoughts on" in fragment
    stored = load_comment(app, question)
    assert stored.hidden_at is not None and stored.hidden_by_id == moderator.id
    assert open_reports(app, question) == 0
    assert audit_rows(app) == [("hide", moderator.id, question, user.id, role.id, "")]
    assert "Is there a night shift?" not in other_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "Is there a night shift?" in moderator_client.get(f"/roles/{role.slug}").get_data(as_text=True)


def test_a_hidden_comment_with_replies_shows_as_hidden_by_a_moderator(
    app, role, other_user, question, add_comment, moderator_client, client
):
    add_comment(role, other_user, "Yes, from 10 pm.", parent=question)
    moderator_client.post(f"/moderation/comments/{question}/hide")
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert '<p class="comment-removed">Hidden by a moderator</p>' in page
    assert "Is there a night shift?" not in page and "Yes, from 10 pm." in page


def test_hiding_without_javascript_goes_back_to_the_comment_or_the_queue(app, question, moderator_client):
    response = moderator_client.post(f"/moderation/comments/{question}/hide")
    assert response.status_code == 303 and response.headers["Location"] == f"/comments/{question}"
    set_comment(app, question, hidden_at=None)
    response = moderator_client.post(f"/moderation/comments/{question}/hide", data={"back": "queue"})
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/"
    assert "The comment is hidden." in moderator_client.get("/moderation/").get_data(as_text=True)


def test_restoring_gives_the_comment_back_to_readers(app, role, user, moderator, question, moderator_client, client):
    moderator_client.post(f"/moderation/comments/{question}/hide")
    fragment = moderator_client.htmx("POST", f"/moderation/comments/{question}/restore").get_data(as_text=True)
    assert f'<div class="comment-card" id="card-{question}">' in fragment and "1 thought on" in fragment
    assert load_comment(app, question).hidden_at is None
    assert "Is there a night shift?" in client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert [row[0] for row in audit_rows(app)] == ["hide", "restore"]


def test_hiding_twice_records_one_action(app, question, moderator_client):
    moderator_client.post(f"/moderation/comments/{question}/hide")
    moderator_client.post(f"/moderation/comments/{question}/hide")
    assert [row[0] for row in audit_rows(app)] == ["hide"]


def test_delete_for_good_asks_first_in_the_comments_place(app, question, moderator_client):
    fragment = moderator_client.htmx("GET", f"/moderation/comments/{question}/delete").get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<div class="comment-card is-confirming" id="card-{question}">')
    assert "Delete this comment by <bdi>Asha</bdi> for good?" in fragment and "Is there a night shift?" in fragment
    assert "confirm" not in fragment.replace("is-confirming", "")  # no browser dialog
    assert f'hx-get="/comments/{question}"' in fragment  # Cancel
    page = moderator_client.get(f"/moderation/comments/{question}/delete")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    assert load_comment(app, question) is not None


def test_delete_for_good_removes_a_comment_without_replies(app, role, user, moderator, question, moderator_client):
    response = moderator_client.htmx(
        "POST", f"/moderation/comments/{question}/delete", data={"reason": "Phone number spam"}
    )
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == f"#comment-{question}"
    assert "0 thoughts on" in response.get_data(as_text=True)
    assert load_comment(app, question) is None
    assert audit_rows(app) == [("delete", moderator.id, question, user.id, role.id, "Phone number spam")]
    log = moderator_client.get("/moderation/audit").get_data(as_text=True)
    assert "Deleted a comment for good" in log and f"Comment #{question}" in log and "Phone number spam" in log


def test_delete_for_good_keeps_replies_under_a_placeholder(
    app, role, other_user, question, add_comment, moderator_client, client
):
    add_comment(role, other_user, "Yes, from 10 pm.", parent=question)
    response = moderator_client.post(f"/moderation/comments/{question}/delete", data={"back": "queue"})
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/"
    stored = load_comment(app, question)
    assert stored.deleted_at is not None and stored.body_source == "" and stored.body_html == ""
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "Comment deleted" in page and "Yes, from 10 pm." in page and "night shift" not in page


def test_approving_a_held_reply_publishes_it_and_notifies_as_a_reply_would(
    app, role, user, other_user, moderator, question, add_comment, moderator_client, user_client, other_client
):
    reply = add_comment(role, other_user, "Ask at https://a.example", parent=question)
    set_comment(app, reply, held_reason="new_account_link")
    assert "Ask at" not in user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "Nothing yet." in user_client.get("/notifications").get_data(as_text=True)

    fragment = moderator_client.htmx("POST", f"/moderation/comments/{reply}/approve").get_data(as_text=True)
    assert f'<div class="comment-card" id="card-{reply}">' in fragment and "awaiting moderation" not in fragment
    assert load_comment(app, reply).held_reason is None
    assert "Ask at" in user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert '<bdi>Rahim</bdi> replied to you on <span lang="bn">ক্যাশিয়ার</span>' in user_client.get("/notifications").get_data(as_text=True)
    assert audit_rows(app) == [("approve", moderator.id, reply, other_user.id, role.id, "")]


def test_rejecting_a_held_comment_deletes_it(app, held, moderator_client):
    response = moderator_client.post(f"/moderation/comments/{held}/reject", data={"back": "queue"})
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/"
    assert load_comment(app, held) is None
    assert [row[:3] for row in audit_rows(app)][0][0] == "reject"


def test_approve_and_reject_refuse_a_published_comment(app, question, moderator_client):
    assert moderator_client.post(f"/moderation/comments/{question}/approve").status_code == 404
    assert moderator_client.post(f"/moderation/comments/{question}/reject").status_code == 404
    assert load_comment(app, question) is not None and audit_rows(app) == []


def test_the_answer_comes_first_among_the_replies_with_a_badge(
    app, role, user, other_user, moderator, question, add_comment, moderator_client, client
):
    first = add_comment(role, other_user, "Maybe ask HR.", parent=question)
    answer = add_comment(role, moderator, "Yes: 10 pm to 6 am, paid extra.", parent=question)
    fragment = moderator_client.htmx("POST", f"/moderation/comments/{answer}/answer").get_data(as_text=True)
    assert '<span class="badge badge-answer">Answer</span>' in fragment
    assert f"/moderation/comments/{answer}/not-answer" in fragment
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    replies = page[page.index(f'id="replies-{question}"'):]
    assert replies.index(f'id="comment-{answer}"') < replies.index(f'id="comment-{first}"')
    assert '<span class="badge badge-answer">Answer</span>' in card_of(page, answer)
    assert "badge-answer" not in card_of(page, first)

    moderator_client.post(f"/moderation/comments/{first}/answer")
    assert not load_comment(app, answer).is_answer and load_comment(app, first).is_answer
    moderator_client.post(f"/moderation/comments/{first}/not-answer")
    assert not load_comment(app, first).is_answer
    assert [row[0] for row in audit_rows(app)] == ["mark_answer", "mark_answer", "unmark_answer"]


def test_a_deeper_answer_brings_its_branch_first(app, role, user, other_user, moderator, question, add_comment, client, moderator_client):
    early = add_comment(role, other_user, "Early reply", parent=question)
    branch = add_comment(role, user, "Which company?", parent=question)
    answer = add_comment(role, moderator, "Company X, nights paid extra.", parent=branch)
    moderator_client.post(f"/moderation/comments/{answer}/answer")
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert page.index(f'id="comment-{branch}"') < page.index(f'id="comment-{early}"')


def test_a_question_cannot_be_its_own_answer(app, question, moderator_client):
    assert moderator_client.post(f"/moderation/comments/{question}/answer").status_code == 404
    assert not load_comment(app, question).is_answer


def test_dismissing_reports_keeps_the_comment_and_closes_the_reports(app, moderator, question, other_user, moderator_client):
    add_report(app, question, other_user, "wrong")
    response = moderator_client.post(f"/moderation/comments/{question}/dismiss", data={"back": "queue"})
    assert response.headers["Location"] == "/moderation/"
    assert open_reports(app, question) == 0 and load_comment(app, question).hidden_at is None
    assert "No open reports." in moderator_client.get("/moderation/").get_data(as_text=True)
    assert audit_rows(app)[0][:3] == ("dismiss_reports", moderator.id, question)


def test_a_moderators_reply_notifies_that_a_moderator_answered(app, role, question, moderator_client, user_client):
    from .discussion_support import post

    post(moderator_client, role, "Yes, and it pays more.", parent=question)
    assert 'A moderator, <bdi>Moderator Mita</bdi>, answered you on <span lang="bn">ক্যাশিয়ার</span>' in user_client.get("/notifications").get_data(as_text=True)
    with app.app_context():
        reply = db.session.scalar(db.select(Comment).where(Comment.parent_id == question))
        assert reply.held_reason is None
