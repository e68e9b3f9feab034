"""Changing and deleting one's own comments, inline with htmx and as plain pages."""
import re
from datetime import timedelta

import pytest

from tracker.extensions import db
from tracker.models import Comment, utcnow

from .discussion_support import add_comment, comment_count, load_comment, role, textarea_holds  # noqa: F401


@pytest.fixture
def own_comment(role, user, add_comment):
    """Asha's comment, just posted."""
    return add_comment(role, user, "My first try")


def test_the_author_sees_edit_and_delete_others_do_not(app, role, own_comment, user_client, other_client, client):
    mine = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert f'hx-get="/comments/{own_comment}/edit"' in mine and f'hx-get="/comments/{own_comment}/delete"' in mine
    for viewer in (other_client, client):
        page = viewer.get(f"/roles/{role.slug}").get_data(as_text=True)
        assert f"/comments/{own_comment}/edit" not in page and f"/comments/{own_comment}/delete" not in page


def test_edit_opens_inline_with_htmx_and_as_a_page_without(app, own_comment, user_client):
    fragment = user_client.htmx("GET", f"/comments/{own_comment}/edit").get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<div class="comment-card is-editing" id="card-{own_comment}">')
    assert textarea_holds(fragment, "My first try") and "<html" not in fragment
    assert f'hx-post="/comments/{own_comment}/edit"' in fragment
    page = user_client.get(f"/comments/{own_comment}/edit").get_data(as_text=True)
    assert "<html" in page and textarea_holds(page, "My first try") and "hx-post" not in page


def test_saving_an_edit_with_htmx_redraws_the_comment_marked_edited(app, own_comment, user_client):
    response = user_client.htmx("POST", f"/comments/{own_comment}/edit", data={"body": "My **second** try"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<p>My <strong>second</strong> try</p>" in fragment and ">edited</span>" in fragment
    stored = load_comment(app, own_comment)
    assert stored.body_source == "My **second** try" and stored.edited_at is not None


def test_saving_an_edit_without_htmx_redirects_to_the_comment(app, role, own_comment, user_client):
    response = user_client.post(f"/comments/{own_comment}/edit", data={"body": "Changed"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/roles/{role.slug}#comment-{own_comment}"
    assert load_comment(app, own_comment).body_html == "<p>Changed</p>"


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(("body", "message"), [("  ", "Write something before posting."), ("y" * 5001, "Keep it to 5000")])
def test_a_bad_edit_keeps_the_old_text_stored_and_the_new_text_typed(app, own_comment, user_client, htmx, body, message):
    url = f"/comments/{own_comment}/edit"
    response = user_client.htmx("POST", url, data={"body": body}) if htmx else user_client.post(url, data={"body": body})
    html = response.get_data(as_text=True)
    assert response.status_code == (200 if htmx else 422)
    assert message in html
    if body.strip():
        assert textarea_holds(html, body)
    assert load_comment(app, own_comment).body_source == "My first try"


@pytest.mark.parametrize("htmx", [False, True])
def test_the_edit_window_closes_after_15_minutes(app, role, own_comment, user_client, htmx):
    with app.app_context():
        db.session.get(Comment, own_comment).created_at = utcnow() - timedelta(minutes=16)
        db.session.commit()
    assert f"/comments/{own_comment}/edit" not in user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    url = f"/comments/{own_comment}/edit"
    response = user_client.htmx("POST", url, data={"body": "late"}) if htmx else user_client.post(url, data={"body": "late"})
    assert "A comment can be changed only in its first 15 minutes." in response.get_data(as_text=True)
    assert load_comment(app, own_comment).body_source == "My first try"


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_another_users_comment_is_404(app, own_comment, other_client, action):
    assert other_client.get(f"/comments/{own_comment}/{action}").status_code == 404
    assert other_client.post(f"/comments/{own_comment}/{action}", data={"body": "hijack"}).status_code == 404
    assert load_comment(app, own_comment).body_source == "My first try"


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_anonymous_edit_and_delete_go_to_login(app, own_comment, client, action):
    for response in (client.get(f"/comments/{own_comment}/{action}"), client.post(f"/comments/{own_comment}/{action}")):
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert load_comment(app, own_comment).body_source == "My first try"


def test_delete_asks_first_inline_and_as_a_page(app, own_comment, user_client):
    fragment = user_client.htmx("GET", f"/comments/{own_comment}/delete").get_data(as_text=True)
    assert f'id="card-{own_comment}"' in fragment and "Delete this comment?" in fragment and "<html" not in fragment
    page = user_client.get(f"/comments/{own_comment}/delete").get_data(as_text=True)
    assert "<html" in page and "Delete this comment?" in page
    assert comment_count(app) == 1


def test_deleting_without_replies_with_htmx_removes_the_whole_item(app, own_comment, user_client):
    response = user_client.htmx("POST", f"/comments/{own_comment}/delete")
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == f"#comment-{own_comment}"
    assert response.headers["HX-Reswap"] == "outerHTML"
    assert re.search(r'hx-swap-oob="true">\s*<h2 id="comments-heading">0 thoughts on', response.get_data(as_text=True))
    assert comment_count(app) == 0


def test_deleting_with_replies_leaves_comment_deleted(app, role, own_comment, other_user, user_client, add_comment):
    add_comment(role, other_user, "a reply", parent=own_comment)
    response = user_client.htmx("POST", f"/comments/{own_comment}/delete")
    fragment = response.get_data(as_text=True)
    assert "HX-Retarget" not in response.headers
    assert "Comment deleted" in fragment and "My first try" not in fragment
    # The heading with its new count comes as markup htmx swaps in, not as text shown under the card.
    assert re.search(r'<div class="discussion-summary" id="comments-summary" hx-swap-oob="true">\s*<h2 id="comments-heading">1 thought on', fragment)
    assert "&lt;" not in fragment
    page = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "Comment deleted" in page and "a reply" in page and "My first try" not in page
    assert load_comment(app, own_comment).deleted_at is not None


def test_deleting_without_htmx_redirects_with_a_message(app, role, own_comment, user_client):
    response = user_client.post(f"/comments/{own_comment}/delete")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/roles/{role.slug}#comments"
    assert "Your comment was deleted." in user_client.get(response.headers["Location"]).get_data(as_text=True)
    assert comment_count(app) == 0


def test_a_deleted_comment_cannot_be_edited_or_deleted_again(app, role, own_comment, other_user, user_client, add_comment):
    add_comment(role, other_user, "a reply", parent=own_comment)
    user_client.post(f"/comments/{own_comment}/delete")
    assert user_client.get(f"/comments/{own_comment}/edit").status_code == 404
    assert user_client.post(f"/comments/{own_comment}/delete").status_code == 404


def test_delete_without_a_csrf_token_is_refused(app, own_comment, user_client):
    assert user_client.post(f"/comments/{own_comment}/delete", csrf=False).status_code == 400
    assert comment_count(app) == 1


def test_a_suspended_author_cannot_edit(app, own_comment, user, user_client):
    from tracker.models import User

    with app.app_context():
        db.session.get(User, user.id).suspended_at = utcnow()
        db.session.commit()
    response = user_client.post(f"/comments/{own_comment}/edit", data={"body": "spam now"})
    assert response.status_code == 422
    assert "You cannot comment at the moment." in response.get_data(as_text=True)
    assert load_comment(app, own_comment).body_source == "My first try"
