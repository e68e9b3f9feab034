"""Text posted to a thread after the login had ended elsewhere (issue 26, item 11): kept
on the server, and after logging in again the page opens its form with it and says so,
with and without htmx (discussion/drafts.py)."""
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from tracker.discussion import drafts
from tracker.extensions import db
from tracker.models import CommentDraft, utcnow

from .discussion_support import add_comment, post, role, textarea_holds  # noqa: F401

NOTICE = {
    "en": "What you typed before you had to log in again is back in the form. Check it, then send it.",
    "bn": "আবার লগ ইন করার আগে আপনি যা লিখেছিলেন তা ফর্মে ফিরিয়ে দেওয়া হয়েছে। দেখে নিয়ে পাঠান।",
}


def says_it_is_back(html: str, language: str = "en") -> bool:
    """The page's notice (base.html also holds its words, hidden, for js/drafts.js)."""
    return f'<p class="notice">{NOTICE[language]}</p>' in html


def log_out_everywhere_else(app, user) -> None:
    """The member logs out of every device from another one (a phone, say)."""
    phone = app.test_client()
    phone.login(user.email)
    assert phone.post("/auth/sessions/end").status_code == 303


def kept_drafts(app) -> list[CommentDraft]:
    with app.app_context():
        return list(db.session.scalars(sa.select(CommentDraft)))


def next_of(location: str) -> str:
    return parse_qs(urlsplit(location).query)["next"][0]


@pytest.mark.parametrize("language", ["en", "bn"])
def test_a_reply_posted_after_the_login_ended_comes_back_in_its_form_after_logging_in(
    app, role, user, other_user, user_client, add_comment, language
):
    user_client.set_cookie("lang", language)
    question = add_comment(role, other_user, "Is there a night shift?")
    log_out_everywhere_else(app, user)

    response = post(user_client, role, "Yes, twice a week", parent=question)

    assert response.status_code == 302 and urlsplit(response.location).path == "/auth/login"
    assert next_of(response.location) == f"/comments/{question}/reply"
    [draft] = kept_drafts(app)
    assert draft.body == "Yes, twice a week" and draft.parent_id == question
    token = user_client.get_cookie(drafts.COOKIE).value
    assert token not in draft.token_digest  # the table alone names no draft
    landed = user_client.post("/auth/login", data={"email": user.email, "password": user.password, "next": next_of(response.location)})
    assert landed.location == f"/comments/{question}/reply"
    html = user_client.get(landed.location).get_data(as_text=True)
    assert textarea_holds(html, "Yes, twice a week")
    assert says_it_is_back(html, language)
    assert kept_drafts(app) == [] and user_client.get_cookie(drafts.COOKIE) is None

    # Put back once: the form opened again is empty, without the notice.
    again = user_client.get(f"/comments/{question}/reply").get_data(as_text=True)
    assert not textarea_holds(again, "Yes, twice a week") and not says_it_is_back(again, language)


def test_through_htmx_the_login_page_opens_whole_and_comes_back_to_the_reply_form(
    app, role, user, other_user, user_client, add_comment
):
    question = add_comment(role, other_user, "Is there a night shift?")
    log_out_everywhere_else(app, user)

    response = post(user_client, role, "Yes, twice a week", parent=question, htmx=True)

    assert response.status_code == 401
    assert next_of(response.headers["HX-Redirect"]) == f"/comments/{question}/reply"
    user_client.login(user.email)
    html = user_client.get(f"/comments/{question}/reply").get_data(as_text=True)
    assert textarea_holds(html, "Yes, twice a week") and says_it_is_back(html)


def test_a_comment_posted_after_the_login_ended_comes_back_on_the_comment_page(app, role, user, user_client):
    log_out_everywhere_else(app, user)
    response = post(user_client, role, "কখন ইন্টারভিউ হয়?")
    assert next_of(response.location) == f"/roles/{role.slug}/comments/new"
    user_client.login(user.email)
    html = user_client.get(f"/roles/{role.slug}/comments/new").get_data(as_text=True)
    assert textarea_holds(html, "কখন ইন্টারভিউ হয়?") and says_it_is_back(html)
    assert f'action="/roles/{role.slug}/comments"' in html


def test_a_kept_text_comes_back_only_in_the_browser_that_sent_it_and_only_within_a_day(
    app, role, user, other_user, user_client, add_comment
):
    question = add_comment(role, other_user, "Is there a night shift?")
    log_out_everywhere_else(app, user)
    post(user_client, role, "Yes, twice a week", parent=question)

    another_browser = app.test_client()
    another_browser.login(user.email)
    html = another_browser.get(f"/comments/{question}/reply").get_data(as_text=True)
    assert not textarea_holds(html, "Yes, twice a week")
    # Nor in another form of the sending browser: it waits for its own.
    user_client.login(user.email)
    assert not textarea_holds(user_client.get(f"/roles/{role.slug}/comments/new").get_data(as_text=True), "Yes, twice a week")

    with app.app_context():
        db.session.execute(sa.update(CommentDraft).values(created_at=utcnow() - drafts.KEPT_FOR - timedelta(minutes=1)))
        db.session.commit()
    html = user_client.get(f"/comments/{question}/reply").get_data(as_text=True)
    assert not textarea_holds(html, "Yes, twice a week") and not says_it_is_back(html)


def test_an_empty_post_after_the_login_ended_keeps_nothing(app, role, user, user_client):
    log_out_everywhere_else(app, user)
    response = post(user_client, role, "   ")
    assert response.status_code == 302 and kept_drafts(app) == []
    assert user_client.get_cookie(drafts.COOKIE) is None


def test_a_post_from_another_site_keeps_nothing(app, role, client):
    """Without this site's CSRF token nothing is kept: another site cannot plant a text."""
    response = client.post(f"/roles/{role.slug}/comments", data={"body": "planted"}, csrf=False)
    assert response.status_code == 400 and kept_drafts(app) == []


def test_the_reply_page_with_a_kept_text_costs_the_same_queries_however_long_the_thread(
    app, role, user, other_user, user_client, add_comment, count_queries
):
    question = add_comment(role, other_user, "Is there a night shift?")

    def reply_page_with_a_kept_text() -> int:
        log_out_everywhere_else(app, user)
        post(user_client, role, "Yes, twice a week", parent=question)
        user_client.login(user.email)
        with count_queries() as statements:
            html = user_client.get(f"/comments/{question}/reply").get_data(as_text=True)
        assert says_it_is_back(html)
        return len(statements)

    few = reply_page_with_a_kept_text()
    for number in range(12):
        add_comment(role, other_user if number % 2 else user, f"Reply {number}", parent=question)
    assert reply_page_with_a_kept_text() == few
