"""Shared thread drawings: they change as soon as the thread does, and each reader still
sees their own links and only what they may read."""
import re
from datetime import timedelta

from tracker.discussion.threads import post_comment
from tracker.extensions import db
from tracker.models import Comment, Role, utcnow

from .discussion_support import add_comment, role  # noqa: F401


def _post(app, body, author_id):
    with app.app_context():
        role = db.session.query(Role).filter_by(slug="customer-care-officer").one()
        from tracker.models import User

        comment = post_comment(role, db.session.get(User, author_id), body)
        db.session.commit()
        return comment.id


def test_anonymous_readers_see_a_new_comment_at_once(seeded, client, user):
    assert "Fresh question" not in client.get("/roles/customer-care-officer").get_data(as_text=True)
    _post(seeded, "Fresh question", user.id)
    assert "Fresh question" in client.get("/roles/customer-care-officer").get_data(as_text=True)


def test_edits_and_hiding_reach_anonymous_readers(seeded, client, user):
    comment_id = _post(seeded, "First words", user.id)
    assert "First words" in client.get("/roles/customer-care-officer").get_data(as_text=True)
    with seeded.app_context():
        comment = db.session.get(Comment, comment_id)
        comment.body_source = comment.body_html = "Second words"
        db.session.commit()
    page = client.get("/roles/customer-care-officer").get_data(as_text=True)
    assert "Second words" in page and "First words" not in page


def test_writing_a_comment_bumps_only_its_roles_version(seeded, user):
    with seeded.app_context():
        before = {r.slug: (r.thread_version, r.updated_at) for r in db.session.query(Role)}
    _post(seeded, "Bump", user.id)
    with seeded.app_context():
        after = {r.slug: (r.thread_version, r.updated_at) for r in db.session.query(Role)}
    assert after["customer-care-officer"][0] > before["customer-care-officer"][0]
    assert after["bpo-job"] == before["bpo-job"]
    # The guide itself did not change, so its cached drawing stays.
    assert after["customer-care-officer"][1] == before["customer-care-officer"][1]


def test_cached_thread_holds_no_per_reader_token(seeded, client, user_client):
    page = client.get("/roles/customer-care-officer").get_data(as_text=True)
    thread = page[page.index('id="comments"'):page.index("<footer")]
    assert "csrf_token" not in thread and "X-CSRFToken" not in thread
    assert "Log in to comment" in thread
    assert "Log in to comment" not in user_client.get("/roles/customer-care-officer").get_data(as_text=True)


def _card(client, role, comment_id) -> str:
    """The links line of one comment card as the client's reader sees it on the role page."""
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    card = page[page.index(f'id="card-{comment_id}"'):]
    return card[: card.index("</article>")]


def _links(card: str) -> list[str]:
    return re.findall(r">(Reply|Edit|Delete|Report)</a>", card)


def test_members_share_a_thread_yet_each_sees_links_to_their_own_comments(
    role, user, other_user, user_client, other_client, add_comment
):
    mine = add_comment(role, user, "My question")
    theirs = add_comment(role, other_user, "Their answer")
    # Whoever comes first draws the thread; the other is served from the same drawing.
    assert _links(_card(user_client, role, mine)) == ["Reply", "Edit", "Delete"]
    assert _links(_card(user_client, role, theirs)) == ["Reply", "Report"]
    assert _links(_card(other_client, role, mine)) == ["Reply", "Report"]
    assert _links(_card(other_client, role, theirs)) == ["Reply", "Edit", "Delete"]
    assert f'href="/comments/{theirs}/edit"' in _card(other_client, role, theirs)


def test_an_old_comment_offers_its_author_delete_but_no_longer_edit(
    role, user, other_user, user_client, other_client, add_comment
):
    old = add_comment(role, user, "Asked long ago", created_at=utcnow() - timedelta(hours=2))
    assert _links(_card(other_client, role, old)) == ["Reply", "Report"]
    assert _links(_card(user_client, role, old)) == ["Reply", "Delete"]


def test_a_held_comment_shows_to_its_author_alone(app, role, user, other_user, user_client, other_client, add_comment):
    held = add_comment(role, user, "Visit my link shop")
    with app.app_context():
        db.session.get(Comment, held).held_reason = "links"
        db.session.commit()
    assert "Visit my link shop" not in other_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    own_view = _card(user_client, role, held)
    assert "Visit my link shop" in own_view and "awaiting moderation" in own_view
    assert "Visit my link shop" not in other_client.get(f"/roles/{role.slug}").get_data(as_text=True)


def test_moderators_get_their_actions_after_members_have_read_the_thread(
    role, user, other_client, moderator_client, add_comment
):
    comment_id = add_comment(role, user, "A question")
    assert ">Hide</button>" not in other_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    card = _card(moderator_client, role, comment_id)
    assert ">Hide</button>" in card and "Report" not in card
