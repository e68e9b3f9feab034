"""Who may use which moderation route: every route of the moderation blueprint, read from
the URL map, refuses anonymous visitors (to the login page) and readers (403) on GET and
POST, and serves moderators. Reporting is the one thing readers may do, and asking again
the one thing the author of a hidden comment may (test_moderation_hidden_reason.py)."""
import re

import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Comment

from .conftest import sent_to_log_in
from .discussion_support import add_comment, role  # noqa: F401
from .moderation_support import set_comment

REPORT = "moderation.report"
ASK_AGAIN = "moderation.ask_again"


def moderation_rules(app, method):
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("moderation.") and method in rule.methods),
        key=lambda rule: rule.endpoint,
    )


def _url(app, rule, comment_id, slug, user_id):
    values = {"comment_id": comment_id, "slug": slug, "user_id": user_id}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


@pytest.fixture
def target(app, role, user, other_user, add_comment):
    """A reply by Asha (so every action applies to it) and Rahim, whom actions may name."""
    question = add_comment(role, other_user, "Which shift?")
    return add_comment(role, user, "Nights, mostly.", parent=question)


def requests_for(app, role, target, other_user):
    for method in ("GET", "POST"):
        for rule in moderation_rules(app, method):
            yield method, rule.endpoint, _url(app, rule, target, role.slug, other_user.id)


def send(client, method, url, htmx=False):
    if htmx:
        return client.htmx(method, url, data={})
    return client.get(url) if method == "GET" else client.post(url, data={})


def test_the_blueprint_has_the_routes_these_tests_cover(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("moderation.")}
    assert {
        "moderation.queue", "moderation.audit_log", "moderation.hide", "moderation.restore", "moderation.delete",
        "moderation.approve", "moderation.reject", "moderation.mark_answer", "moderation.unmark_answer",
        "moderation.dismiss", "moderation.lock", "moderation.unlock", "moderation.user", "moderation.lift",
        REPORT,
    } <= endpoints


@pytest.mark.parametrize("htmx", [False, True])
def test_anonymous_visitors_are_sent_to_log_in_everywhere(app, client, role, target, other_user, htmx):
    checked = 0
    for method, endpoint, url in requests_for(app, role, target, other_user):
        response = send(client, method, url, htmx)
        assert sent_to_log_in(response, htmx), (method, endpoint, response.status_code)
        checked += 1
    assert checked >= 17
    with app.app_context():
        assert db.session.get(Comment, target).hidden_at is None


@pytest.mark.parametrize("htmx", [False, True])
def test_readers_are_refused_every_moderator_route(app, other_client, role, target, other_user, htmx):
    for method, endpoint, url in requests_for(app, role, target, other_user):
        if endpoint in (REPORT, ASK_AGAIN):
            continue
        response = send(other_client, method, url, htmx)
        assert response.status_code == 403, (method, endpoint, response.status_code)
        assert "Moderation" not in response.get_data(as_text=True).split("<main")[0]
    with app.app_context():
        comment = db.session.get(Comment, target)
        assert comment.hidden_at is None and not comment.is_answer
        assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("audit_entries"))) == 0


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_moderators_are_served_by_every_route(app, moderator_client, role, user, other_user, target, add_comment, method):
    for rule in moderation_rules(app, method):
        if rule.endpoint == ASK_AGAIN:  # its author's alone, the access matrix checks
            continue
        # A fresh reply each time (held for approve and reject), so no action finds it
        # already hidden or deleted by the one before.
        comment = add_comment(role, user, "Day shifts too.", parent=target)
        if rule.endpoint in ("moderation.approve", "moderation.reject"):
            set_comment(app, comment, held_reason="links")
        response = send(moderator_client, method, _url(app, rule, comment, role.slug, other_user.id))
        assert response.status_code in (200, 303, 422), (method, rule.endpoint, response.status_code)
        assert not response.headers.get("Location", "").startswith("/auth/login"), rule.endpoint


def test_readers_may_open_the_report_form_and_anonymous_visitors_log_in_first(app, client, other_client, target):
    assert other_client.get(f"/moderation/comments/{target}/report").status_code == 200
    response = client.get(f"/moderation/comments/{target}/report")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_readers_see_only_report_links_and_no_queue_link(app, role, other_client, target):
    page = other_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "Nights, mostly." in page
    moderation_urls = set(re.findall(r'"(/moderation/[^"]*)"', page))
    assert moderation_urls == {f"/moderation/comments/{target}/report"}  # not on Rahim's own comment
    assert "Lock the discussion" not in page


def test_moderators_see_the_queue_link_and_actions(app, role, moderator_client, target):
    page = moderator_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert '<a href="/moderation/">Moderation</a>' in page
    for action in ("hide", "delete", "answer"):
        assert f"/moderation/comments/{target}/{action}" in page, action
    assert f"/moderation/roles/{role.slug}/lock" in page
    assert "/report" not in page
