"""Mails a member asked for: replies, a moderator's answer and a weekly digest, each with a
signed one-click link that stops it."""
from datetime import timedelta

import sqlalchemy as sa

from tracker.applications import tracking
from tracker.extensions import db
from tracker.models import Application, Comment, User, utcnow
from tracker.moderation.actions import approve

from .applications_support import track
from .conftest import send_mail
from .discussion_support import add_comment, post, role  # noqa: F401
from .moderation_support import age_account


def _choose(app, person, **choices) -> None:
    with app.app_context():
        user = db.session.get(User, person.id)
        for name, value in choices.items():
            setattr(user, name, value)
        db.session.commit()


def _unsubscribe_path(message) -> str:
    return "/auth/" + message["List-Unsubscribe"].strip("<>").split("/auth/", 1)[1]


def test_a_reply_is_mailed_to_whom_it_answers_only_if_they_asked(
    app, runner, mailbox, role, user, other_user, other_client, add_comment
):
    age_account(app, other_user)
    question = add_comment(role, user, "Is the job in Dhaka?")
    post(other_client, role, "Yes, in Gulshan.", parent=question)
    send_mail(runner)
    assert mailbox.messages == []  # Asha did not ask
    _choose(app, user, email_replies=True)
    post(other_client, role, "And the pay is good.", parent=question)
    send_mail(runner)
    [message] = mailbox.to(user.email)
    assert message["Subject"] == "Rahim replied to you on ক্যাশিয়ার"
    body = message.get_content()
    assert "And the pay is good." in body and "/comments/" in body or "/roles/" in body
    assert "/auth/unsubscribe/" in message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _unsubscribe_path(message) in body


def test_a_moderators_answer_is_mailed_by_its_own_choice(app, runner, mailbox, role, user, moderator, moderator_client, add_comment):
    question = add_comment(role, user, "Is the job in Dhaka?")
    _choose(app, user, email_replies=True)
    post(moderator_client, role, "It is, in Gulshan.", parent=question)
    send_mail(runner)
    assert mailbox.messages == []
    _choose(app, user, email_answers=True)
    post(moderator_client, role, "Interviews are on Sundays.", parent=question)
    send_mail(runner)
    [message] = mailbox.to(user.email)
    assert message["Subject"] == "A moderator, Moderator Mita, answered you on ক্যাশিয়ার"


def test_a_held_reply_is_mailed_only_once_approved(app, runner, mailbox, role, user, other_user, other_client, moderator, add_comment):
    _choose(app, user, email_replies=True)
    question = add_comment(role, user, "Is the job in Dhaka?")
    post(other_client, role, "See https://spam.example.com", parent=question)  # a new account's link: held
    send_mail(runner)
    assert mailbox.messages == []
    with app.test_request_context():
        reply = db.session.scalar(sa.select(Comment).where(Comment.author_id == other_user.id))
        assert reply.held_reason is not None
        approve(reply, db.session.get(User, moderator.id))
        db.session.commit()
    send_mail(runner)
    assert len(mailbox.to(user.email)) == 1


def test_the_one_click_link_stops_that_mail_without_a_login_and_nothing_else(
    app, runner, mailbox, role, user, other_user, other_client, add_comment, client
):
    age_account(app, other_user)
    _choose(app, user, email_replies=True, email_digest=True)
    post(other_client, role, "Yes.", parent=add_comment(role, user, "Is the job in Dhaka?"))
    send_mail(runner)
    path = _unsubscribe_path(mailbox.to(user.email)[0])
    page = client.get(path).get_data(as_text=True)
    assert "Stop mails when someone replies to you?" in page
    with app.app_context():
        assert db.session.get(User, user.id).email_replies  # a look (a link scanner) changes nothing
    done = client.post(path, data={"List-Unsubscribe": "One-Click"}, csrf=False)
    assert done.status_code == 200 and "we will send you no more" in done.get_data(as_text=True)
    with app.app_context():
        account = db.session.get(User, user.id)
        assert not account.email_replies and account.email_digest
    forged = client.post(path[:-3] + "abc", csrf=False)
    assert forged.status_code == 400 and "expired" in forged.get_data(as_text=True)


def test_the_weekly_digest_lists_coming_interviews_and_deadlines_for_those_who_asked(
    seeded, runner, mailbox, user, other_user
):
    with seeded.app_context():
        soon = tracking.local_today() + timedelta(days=2)
    application = track(seeded, user, moves=("applied",), follow_up_on=soon)
    track(seeded, user, slug="bpo-job", organisation="Robi", follow_up_on=soon + timedelta(days=30))
    with seeded.test_request_context():
        tracking.add_interview(db.session.get(Application, application), utcnow() + timedelta(days=3), "phone")
        db.session.commit()
    track(seeded, other_user, follow_up_on=soon)  # Rahim did not ask
    # A command has no reader to ask: the mail is in the account's language (else Bengali).
    _choose(seeded, user, email_digest=True, preferred_language="en")
    result = runner.invoke(args=["mail", "digest"])
    assert "queued 1 digests" in result.output, result.output
    send_mail(runner)
    [message] = mailbox.messages
    assert message["To"] == user.email and message["Subject"] == "Your week: interviews and deadlines"
    body = message.get_content()
    assert "কাস্টমার কেয়ার অফিসার, Grameenphone" in body and "follow up on" in body
    assert "Robi" not in body
    assert "/auth/unsubscribe/" in body
    # A second run in the same week (a cron job retried) queues nothing more.
    again = runner.invoke(args=["mail", "digest"])
    assert "queued 0 digests" in again.output, again.output
    send_mail(runner)
    assert len(mailbox.messages) == 1


def test_the_bengali_digest_writes_dates_as_pages_do_and_keeps_overdue_follow_ups(seeded, runner, mailbox, user):
    with seeded.app_context():
        today = tracking.local_today()
    application = track(seeded, user, moves=("applied",), follow_up_on=today - timedelta(days=4))
    with seeded.test_request_context():
        tracking.add_interview(db.session.get(Application, application), utcnow() + timedelta(days=3), "phone")
        db.session.commit()
    _choose(seeded, user, email_digest=True, preferred_language="bn")
    assert "queued 1 digests" in runner.invoke(args=["mail", "digest"]).output
    send_mail(runner)
    [message] = mailbox.messages
    body = message.get_content().split("http")[0]  # the unsubscribe link is an address, Latin as addresses are
    assert not any(digit in body for digit in "0123456789"), body
    assert " AM" not in body and " PM" not in body
    assert "ফলো-আপ" in body  # the overdue follow-up is still owed
