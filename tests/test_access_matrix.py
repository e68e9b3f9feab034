"""Every route of the app × anonymous, another user, the owner and a moderator.

The routes come from the app's URL map, so a new route fails here until someone decides
who may use it.
"""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tracker import create_app
from tracker.applications import import_jobs
from tracker.applications.tracking import add_interview, save_role
from tracker.config import TestConfig
from tracker.discussion.threads import post_comment
from tracker.extensions import db
from tracker.models import Role, User, UserSession, utcnow

PUBLIC, MEMBER, OWNER, MODERATOR = "public", "member", "owner", "moderator"
ACCESS = {
    "static": PUBLIC,
    "catalogue.index": PUBLIC,
    "catalogue.robots": PUBLIC,
    "catalogue.sitemap": PUBLIC,
    "catalogue.role": PUBLIC,
    "auth.login": PUBLIC,
    "auth.register": PUBLIC,
    "auth.register_sent": PUBLIC,
    "auth.finish_registration": PUBLIC,  # the signed link is the key (test_auth_enumeration.py)
    "auth.set_language": PUBLIC,
    "auth.forgot_password": PUBLIC,
    "auth.reset_password": PUBLIC,  # the signed link is the key, not a login
    "auth.person": PUBLIC,  # the facts only when public, or to their owner (test_auth_profile.py)
    "auth.unsubscribe": PUBLIC,  # the signed link is the key (test_mail_notifications.py)
    "auth.confirm_email": PUBLIC,  # the signed link is the key (test_auth_email.py)
    "discussion.show_comment": PUBLIC,
    "discussion.thread_page": PUBLIC,
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "auth.logout": MEMBER,
    "auth.sessions": MEMBER,
    "auth.log_out_everywhere": MEMBER,
    "auth.password": MEMBER,
    "auth.email": MEMBER,
    "auth.profile": MEMBER,
    "auth.export": MEMBER,
    "auth.delete": MEMBER,
    "applications.index": MEMBER,
    "applications.board": MEMBER,
    "applications.export": MEMBER,
    "applications.new": MEMBER,
    "applications.add": MEMBER,
    "applications.import_csv": MEMBER,
    "applications.proof": MEMBER,
    "discussion.notifications": MEMBER,
    "discussion.mark_notifications_read": MEMBER,
    "discussion.post_comment": MEMBER,
    "discussion.reply_form": MEMBER,
    "discussion.new_comment": MEMBER,
    "moderation.report": MEMBER,
    "applications.show": OWNER,
    "applications.back_to_application": OWNER,
    "applications.edit": OWNER,
    "applications.status": OWNER,
    "applications.interview": OWNER,
    "applications.prepare": OWNER,
    "applications.outcome": OWNER,
    "applications.delete_interview": OWNER,
    "applications.edit_interview": OWNER,
    "applications.reopen_application": OWNER,
    "applications.share_pay": OWNER,
    "applications.move": OWNER,
    "applications.delete": OWNER,
    "applications.import_job": OWNER,
    "discussion.edit_comment": OWNER,
    "discussion.delete_comment": OWNER,
    "moderation.ask_again": OWNER,
    "auth.log_out_device": OWNER,
    **{
        f"moderation.{name}": MODERATOR
        for name in (
            "queue", "audit_log", "approve", "reject", "hide", "restore", "delete", "dismiss",
            "mark_answer", "unmark_answer", "lock", "unlock", "user", "lift",
        )
    },
}


def _routes():
    app = create_app(TestConfig)
    return sorted(
        (rule.endpoint, rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods & {"GET", "POST"})
        if rule.endpoint != "static"
    )


ROUTES = _routes()


def test_every_route_has_a_decided_access_rule():
    endpoints = {endpoint for endpoint, _, _ in ROUTES} | {"static"}
    assert endpoints == set(ACCESS), (
        f"undecided: {sorted(endpoints - set(ACCESS))}, gone: {sorted(set(ACCESS) - endpoints)}"
    )


@pytest.fixture
def world(seeded, user, other_user, moderator):
    """Asha owns an application with an interview and a comment on the customer care page."""
    with seeded.app_context():
        role = db.session.scalar(sa.select(Role).where(Role.slug == "customer-care-officer"))
        application, _ = save_role(user.id, role.id, "Grameenphone")
        interview = add_interview(application, utcnow() + timedelta(days=2), "phone")
        asha = db.session.get(User, user.id)
        comment = post_comment(role, asha, "Asha's question")
        # Comments in the states some moderator actions need, so a 404 there would be a bug.
        held = post_comment(role, asha, "Held for review")
        held.held_reason = "links"
        hidden = post_comment(role, asha, "Hidden by a moderator")
        hidden.hidden_at = utcnow()
        answer = post_comment(role, db.session.get(User, moderator.id), "The answer", comment)
        answer.is_answer = True
        reply = post_comment(role, asha, "Asha adds a detail", comment)
        import_job = import_jobs.start(user.id, "title\nCashier\n", 1)
        suspended = User(email="late@example.com", display_name="Late", suspended_at=utcnow(), suspension_reason="spam")
        db.session.add(suspended)
        phone = UserSession(user_id=user.id, token_digest="0" * 64, description="Asha's phone")
        db.session.add(phone)
        db.session.commit()
        return {
            "application_id": application.id,
            "interview_id": interview.id,
            "comment_id": comment.id,
            "job_id": import_job.id,
            "user_id": user.id,
            "session_id": phone.id,
            "slug": role.slug,
            "token": "not-a-signed-token",
            "moderation.approve": {"comment_id": held.id},
            "moderation.reject": {"comment_id": held.id},
            "moderation.restore": {"comment_id": hidden.id},
            "moderation.ask_again": {"comment_id": hidden.id},
            "moderation.unmark_answer": {"comment_id": answer.id},
            "moderation.mark_answer": {"comment_id": reply.id},
            "moderation.lift": {"user_id": suspended.id},
        }


def _url(app, endpoint, world):
    from flask import url_for

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        values = {name: world[name] for name in rule.arguments} | world.get(endpoint, {})
        return url_for(endpoint, **values)


def _request(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, data={})


def _sent_to_login(response) -> bool:
    return response.status_code in (302, 303) and "/auth/login" in response.headers.get("Location", "")


def _allowed(response) -> bool:
    return response.status_code not in (401, 403, 404, 405) and not _sent_to_login(response) and response.status_code < 500


@pytest.mark.parametrize(("endpoint", "rule", "method"), ROUTES, ids=[f"{m} {r}" for _, r, m in ROUTES])
def test_access(app, world, user, other_user, moderator, endpoint, rule, method):
    access = ACCESS[endpoint]
    url = _url(app, endpoint, world)

    def as_(person):
        client = app.test_client()
        if person is not None:
            client.login(person.email)
        return client

    if access == PUBLIC:
        assert _allowed(_request(as_(None), method, url)), (method, url)
        return
    assert _sent_to_login(_request(as_(None), method, url)), f"anonymous {method} {url}"
    if access == MEMBER:
        assert _allowed(_request(as_(other_user), method, url)), f"member {method} {url}"
    elif access == OWNER:
        assert _request(as_(other_user), method, url).status_code == 404, f"other user {method} {url}"
        assert _request(as_(moderator), method, url).status_code == 404, f"moderator {method} {url}"
        assert _allowed(_request(as_(user), method, url)), f"owner {method} {url}"
    else:
        assert _request(as_(other_user), method, url).status_code == 403, f"reader {method} {url}"
        assert _request(as_(user), method, url).status_code == 403, f"author {method} {url}"
        assert _allowed(_request(as_(moderator), method, url)), f"moderator {method} {url}"
