"""The cached thread for anonymous readers changes as soon as the thread does."""
from tracker.discussion.threads import post_comment
from tracker.extensions import db
from tracker.models import Comment, Role


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
        before = {r.slug: r.thread_version for r in db.session.query(Role)}
    _post(seeded, "Bump", user.id)
    with seeded.app_context():
        after = {r.slug: r.thread_version for r in db.session.query(Role)}
    assert after["customer-care-officer"] > before["customer-care-officer"]
    assert after["bpo-job"] == before["bpo-job"]


def test_cached_thread_holds_no_per_reader_token(seeded, client, user_client):
    page = client.get("/roles/customer-care-officer").get_data(as_text=True)
    thread = page[page.index('id="comments"'):page.index("<footer")]
    assert "csrf_token" not in thread and "X-CSRFToken" not in thread
    assert "Log in to comment" in thread
    assert "Log in to comment" not in user_client.get("/roles/customer-care-officer").get_data(as_text=True)
