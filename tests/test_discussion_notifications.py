"""Telling people about replies: the count in the navigation bar and the notifications page."""
import re

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Notification

from .discussion_support import add_comment, post, role  # noqa: F401


def nav_count(page: str) -> str | None:
    match = re.search(r'class="nav-notifications">Notifications(?: <span class="badge"[^>]*>(\d+)</span>)?</a>', page)
    assert match, "no notifications link in the navigation bar"
    return match.group(1)


def test_a_reply_shows_in_the_nav_count_and_on_the_page_until_read(app, role, user, user_client, other_client, add_comment):
    question = add_comment(role, user, "Which shift?")
    post(other_client, role, "Nights pay more.", parent=question)
    assert nav_count(user_client.get("/").get_data(as_text=True)) == "1"
    page = user_client.get("/notifications").get_data(as_text=True)
    assert '<bdi>Rahim</bdi> replied to you on <span lang="bn">ক্যাশিয়ার</span>' in page
    reply_link = re.search(r'<a href="(/comments/\d+)">Read the reply</a>', page).group(1)
    assert "Nights pay more." in user_client.get(user_client.get(reply_link).headers["Location"]).get_data(as_text=True)
    assert nav_count(user_client.get("/").get_data(as_text=True)) == "1"  # looking changes nothing
    up_to = re.search(r'name="up_to" type="hidden" value="(\d+)"', page).group(1)
    response = user_client.post("/notifications/read", data={"up_to": up_to})
    assert response.status_code == 303 and response.headers["Location"] == "/notifications"
    assert nav_count(user_client.get("/").get_data(as_text=True)) is None
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Notification.read_at.is_(None))) == 0


def test_a_moderators_answer_says_a_moderator_answered(app, role, user, user_client, moderator_client, add_comment):
    question = add_comment(role, user, "Is the salary negotiable?")
    post(moderator_client, role, "Often, yes.", parent=question, htmx=True)
    page = user_client.get("/notifications").get_data(as_text=True)
    assert 'A moderator, <bdi>Moderator Mita</bdi>, answered you on <span lang="bn">ক্যাশিয়ার</span>' in page


def test_replying_to_oneself_notifies_nobody(app, role, user, user_client, add_comment):
    question = add_comment(role, user, "Which shift?")
    post(user_client, role, "Also: which city?", parent=question)
    assert nav_count(user_client.get("/").get_data(as_text=True)) is None
    assert "Nothing yet." in user_client.get("/notifications").get_data(as_text=True)


def test_others_notifications_stay_private(app, role, user, other_client, add_comment, moderator_client):
    question = add_comment(role, user, "Which shift?")
    post(moderator_client, role, "Nights.", parent=question)
    assert "Nothing yet." in other_client.get("/notifications").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Notification.read_at.is_(None))) == 1


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert "Notifications" not in client.get("/").get_data(as_text=True)


def test_a_reply_hidden_by_a_moderator_is_no_longer_news(app, role, user, user_client, other_user, add_comment):
    from tracker.models import Comment, utcnow

    question = add_comment(role, user, "Which shift?")
    reply = add_comment(role, other_user, "spam link", parent=question)
    with app.app_context():
        db.session.get(Comment, reply).hidden_at = utcnow()
        db.session.commit()
    assert nav_count(user_client.get("/").get_data(as_text=True)) is None
    assert "Nothing yet." in user_client.get("/notifications").get_data(as_text=True)


def test_a_reply_that_came_after_the_list_was_shown_stays_new(app, role, user, user_client, other_client, add_comment):
    question = add_comment(role, user, "Which shift?")
    post(other_client, role, "Nights pay more.", parent=question)
    page = user_client.get("/notifications").get_data(as_text=True)
    up_to = re.search(r'name="up_to" type="hidden" value="(\d+)"', page).group(1)
    post(other_client, role, "Days are calmer.", parent=question)
    assert user_client.htmx("POST", "/notifications/read", data={"up_to": up_to}).status_code == 204
    assert nav_count(user_client.get("/").get_data(as_text=True)) == "1"
    with app.app_context():
        unread = db.session.scalars(sa.select(Notification).where(Notification.read_at.is_(None))).all()
        assert [notification.comment.body_source for notification in unread] == ["Days are calmer."]


def test_marking_read_needs_the_token_and_a_shown_notification(app, role, user, user_client, other_client, add_comment):
    question = add_comment(role, user, "Which shift?")
    post(other_client, role, "Nights pay more.", parent=question)
    assert user_client.post("/notifications/read", data={"up_to": "1"}, csrf=False).status_code == 400
    user_client.post("/notifications/read", data={"up_to": "not a number"})
    assert nav_count(user_client.get("/").get_data(as_text=True)) == "1"
