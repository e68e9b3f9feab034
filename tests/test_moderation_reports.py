"""Readers reporting comments: inline with htmx and as a page without, the reason rules,
reporting twice, and the report reaching the moderators' queue."""
import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Report
from tracker.moderation import reports

from .discussion_support import add_comment, load_comment, role, textarea_holds  # noqa: F401
from .moderation_support import add_report


@pytest.fixture
def question(role, user, add_comment):
    """Asha's question, which Rahim may report."""
    return add_comment(role, user, "Send me your CV at my WhatsApp")


def stored_reports(app) -> list[tuple]:
    with app.app_context():
        return [(r.comment_id, r.reporter_id, r.reason, r.details) for r in db.session.scalars(sa.select(Report))]


def report_url(comment_id) -> str:
    return f"/moderation/comments/{comment_id}/report"


def test_the_report_form_opens_under_the_comment_with_htmx(app, question, other_client):
    fragment = other_client.htmx("GET", report_url(question)).get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<div class="comment-card" id="card-{question}">')
    assert "Send me your CV" in fragment and "<html" not in fragment
    assert f'hx-post="{report_url(question)}"' in fragment
    assert f'id="report-{question}-spam"' in fragment and f'id="report-{question}-details"' in fragment
    for label in ("Spam or advertising", "Abuse or harassment", "Wrong information", "Something else"):
        assert label in fragment


def test_reporting_with_htmx_thanks_the_reader_and_keeps_the_comment(app, role, question, other_user, other_client):
    response = other_client.htmx("POST", report_url(question), data={"reason": "spam"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Thank you for reporting this comment." in fragment and "Send me your CV" in fragment
    assert stored_reports(app) == [(question, other_user.id, "spam", "")]
    assert load_comment(app, question).hidden_at is None
    assert "Send me your CV" in other_client.get(f"/roles/{role.slug}").get_data(as_text=True)


def test_reporting_without_javascript_is_a_page_then_a_redirect_back(app, question, other_user, other_client):
    page = other_client.get(report_url(question)).get_data(as_text=True)
    assert "<html" in page and "Report a comment" in page and 'hx-post' not in page.split('class="report-form"')[1][:200]
    response = other_client.post(report_url(question), data={"reason": "abuse", "details": "Rude"})
    assert response.status_code == 303 and response.headers["Location"] == f"/comments/{question}"
    followed = other_client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Thank you for reporting this comment." in followed
    assert stored_reports(app) == [(question, other_user.id, "abuse", "Rude")]


def test_hx_request_false_gets_the_report_form_on_a_page(app, question, other_client):
    page = other_client.get(report_url(question), headers={"HX-Request": "false"}).get_data(as_text=True)
    assert "<html" in page and "Report a comment" in page and 'hx-post' not in page.split('class="report-form"')[1][:200]


def test_other_needs_words_and_the_form_keeps_what_was_chosen(app, question, other_client):
    response = other_client.post(report_url(question), data={"reason": "other", "details": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Say what is wrong, so a moderator can judge." in page
    assert f'<input checked id="report-{question}-other" name="reason"' in page
    assert stored_reports(app) == []
    response = other_client.htmx("POST", report_url(question), data={"reason": "wrong", "details": "x" * 1001})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment  # what htmx swaps in
    assert "Keep it to 1000 characters or fewer." in fragment and textarea_holds(fragment, "x" * 1001)


def test_a_reason_must_be_chosen(app, question, other_client):
    page = other_client.post(report_url(question), data={}).get_data(as_text=True)
    assert "Choose what is wrong with the comment." in page and stored_reports(app) == []


def test_reporting_twice_is_refused_politely(app, question, other_user, other_client):
    other_client.post(report_url(question), data={"reason": "spam"})
    again = other_client.htmx("GET", report_url(question)).get_data(as_text=True)
    assert "You have already reported this comment." in again and "<form" not in again.split("comment-actions")[-1]
    response = other_client.post(report_url(question), data={"reason": "abuse"})
    assert response.status_code == 200 and "You have already reported this comment." in response.get_data(as_text=True)
    assert len(stored_reports(app)) == 1


def test_a_report_racing_another_is_caught_by_the_unique_constraint(app, question, other_user, monkeypatch):
    add_report(app, question, other_user, "spam")
    # As if a second click had passed the check before the first report was stored.
    monkeypatch.setattr(reports, "has_reported", lambda comment, reporter: False)
    with app.test_request_context():
        from tracker.models import Comment, User

        comment, reporter = db.session.get(Comment, question), db.session.get(User, other_user.id)
        reporter.display_name = "Rahim R."  # written earlier in the same request
        assert reports.file_report(comment, reporter, "abuse", "") is False
        db.session.commit()
    assert stored_reports(app) == [(question, other_user.id, "spam", "")]
    # Only the losing insert was undone; the caller's commit kept the rest of its transaction.
    with app.app_context():
        assert db.session.get(User, other_user.id).display_name == "Rahim R."


def test_nobody_reports_their_own_comment_or_one_they_cannot_read(app, question, user_client, other_client):
    assert user_client.get(report_url(question)).status_code == 404
    assert user_client.post(report_url(question), data={"reason": "spam"}).status_code == 404
    from .moderation_support import set_comment

    set_comment(app, question, held_reason="links")
    assert other_client.get(report_url(question)).status_code == 404
    assert other_client.get(report_url(999)).status_code == 404
    assert stored_reports(app) == []


def test_the_queue_lists_reported_comments_newest_first_with_who_and_why(
    app, role, user, other_user, make_user, add_comment, moderator_client
):
    older = add_comment(role, user, "Older bad comment")
    newer = add_comment(role, user, "Newer bad comment")
    third = make_user("karim@example.com", "Karim")
    add_report(app, older, other_user, "spam")
    add_report(app, newer, other_user, "wrong", "The salary is wrong")
    add_report(app, older, third, "other", "Phone number in it")
    page = moderator_client.get("/moderation/").get_data(as_text=True)
    reported = page[page.index('id="reported"'):page.index('id="held"')]
    assert reported.index(f'id="reported-{older}"') < reported.index(f'id="reported-{newer}"')
    older_item = reported[reported.index(f'id="reported-{older}"'):reported.index(f'id="reported-{newer}"')]
    assert "<bdi>Karim</bdi> reported: Something else" in older_item and "Phone number in it" in older_item
    assert "<bdi>Rahim</bdi> reported: Spam or advertising" in older_item
    assert "Newer bad comment" in reported and "<bdi>Rahim</bdi> reported: Wrong information" in reported
    assert f'href="/roles/{role.slug}#comments"><span lang="bn">ক্যাশিয়ার</span></a>' in reported
    assert f'<form class="hide-form" method="post" action="/moderation/comments/{older}/hide" novalidate>' in reported


@pytest.mark.parametrize("htmx", [False, True])
def test_reporting_too_often_is_refused_in_the_form_with_the_words_kept(app, role, user, other_user, other_client, add_comment, htmx):
    app.config["REPORT_RATE_LIMIT"] = "2 per hour"
    questions = [add_comment(role, user, f"Question {n}") for n in range(3)]
    for question in questions[:2]:
        assert other_client.post(report_url(question), data={"reason": "spam", "details": ""}).status_code == 303
    data = {"reason": "other", "details": "এটা একটা বিজ্ঞাপন"}
    response = other_client.htmx("POST", report_url(questions[2]), data=data) if htmx else other_client.post(report_url(questions[2]), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == (200 if htmx else 429)
    assert "You have sent many reports in a short time." in html and textarea_holds(html, "এটা একটা বিজ্ঞাপন")
    assert [report[0] for report in stored_reports(app)] == questions[:2]


def test_a_suspended_member_cannot_report_and_keeps_what_they_wrote(app, question, other_user, other_client):
    from tracker.models import User, utcnow

    with app.app_context():
        rahim = db.session.get(User, other_user.id)
        rahim.suspended_at, rahim.suspension_reason = utcnow(), "repeated spam"
        db.session.commit()
    response = other_client.post(report_url(question), data={"reason": "other", "details": "Looks like a scam"})
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "You cannot report comments at the moment: repeated spam" in html and textarea_holds(html, "Looks like a scam")
    assert stored_reports(app) == []
