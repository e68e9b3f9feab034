"""The thread's domain rules: tree shape, depth limit, pages, counts, edit and delete,
seeding. Each test checks what the database holds or what a reader would be shown."""
from datetime import timedelta

import sqlalchemy as sa

from tracker.discussion import threads
from tracker.extensions import db
from tracker.models import Comment, Notification, Role, User, utcnow

from .discussion_support import add_comment, comment_count, load_comment, long_thread, other_role, role  # noqa: F401


def _page(app, role, page=1, order="oldest"):
    with app.test_request_context():
        result = threads.thread_page(db.session.get(Role, role.id), page, order)
        return [
            (node.comment.id, [reply.comment.id for reply in node.replies]) for node in result.nodes
        ], result.has_more


def test_a_reply_knows_its_root_path_and_depth(app, role, user, other_user, add_comment):
    question = add_comment(role, user, "Which shift pays more?")
    answer = add_comment(role, other_user, "Night shifts, usually.", parent=question)
    stored = load_comment(app, answer)
    assert (stored.parent_id, stored.root_id, stored.depth) == (question, question, 1)
    assert stored.path == f"{question:010d}/{answer:010d}"
    assert stored.body_html == "<p>Night shifts, usually.</p>"


def test_replies_come_back_nested_under_their_parents_in_reading_order(app, role, user, other_user, add_comment):
    first = add_comment(role, user, "first")
    second = add_comment(role, other_user, "second")
    reply_to_first = add_comment(role, other_user, "reply", parent=first)
    second_reply = add_comment(role, user, "another reply", parent=first)
    assert _page(app, role) == ([(first, [reply_to_first, second_reply]), (second, [])], False)


def test_a_reply_at_the_depth_limit_attaches_at_the_limit_and_names_whom_it_answers(
    app, role, user, other_user, add_comment
):
    chain = [add_comment(role, user, "level 0")]
    for level in range(1, 5):
        chain.append(add_comment(role, other_user if level % 2 == 0 else user, f"level {level}", parent=chain[-1]))
    deepest = load_comment(app, chain[-1])
    assert deepest.depth == app.config["MAX_COMMENT_DEPTH"] - 1
    too_deep = add_comment(role, user, "answering level 4", parent=chain[-1])
    stored = load_comment(app, too_deep)
    assert (stored.depth, stored.parent_id, stored.in_reply_to_id) == (4, chain[3], chain[4])
    with app.test_request_context():
        page = threads.thread_page(db.session.get(Role, role.id))
        node = page.nodes[0]
        while node.replies:
            node = node.replies[-1]
        assert node.comment.id == too_deep and node.answering.display_name == "Rahim"


def test_pages_of_top_level_comments_oldest_or_newest_first(app, role, long_thread):
    ids, reply = long_thread
    assert _page(app, role, 1) == ([(ids[0], [reply]), (ids[1], [])], True)
    assert _page(app, role, 3) == ([(ids[4], [])], False)
    assert _page(app, role, 1, "newest") == ([(ids[4], []), (ids[3], [])], True)
    with app.test_request_context():
        assert threads.page_of(db.session.get(Comment, reply)) == 1
        assert threads.page_of(db.session.get(Comment, ids[4])) == 3
        assert threads.page_of(db.session.get(Comment, ids[4]), "newest") == 1
        assert threads.page_of(db.session.get(Comment, reply), "newest") == 3


def test_count_and_page_leave_out_hidden_held_and_deleted_comments(app, role, other_role, user, add_comment):
    shown = add_comment(role, user, "shown")
    hidden = add_comment(role, user, "hidden")
    held = add_comment(role, user, "held")
    add_comment(other_role, user, "another page")
    with app.app_context():
        db.session.get(Comment, hidden).hidden_at = utcnow()
        db.session.get(Comment, held).held_reason = "two links"
        db.session.commit()
        assert threads.visible_count(role.id) == 1
    assert _page(app, role) == ([(shown, [])], False)


def test_deleting_a_comment_with_replies_keeps_a_placeholder(app, role, user, other_user, add_comment):
    question = add_comment(role, user, "my question")
    answer = add_comment(role, other_user, "an answer", parent=question)
    with app.app_context():
        assert threads.delete_comment(db.session.get(Comment, question)) is None
        db.session.commit()
        assert threads.visible_count(role.id) == 1
    stored = load_comment(app, question)
    assert stored.deleted_at is not None and stored.body_source == "" and stored.body_html == ""
    with app.test_request_context():
        node = threads.thread_page(db.session.get(Role, role.id)).nodes[0]
        assert node.is_placeholder and [r.comment.id for r in node.replies] == [answer]
    # When its last reply goes, the placeholder has nothing left to hold and goes too.
    with app.app_context():
        assert threads.delete_comment(db.session.get(Comment, answer)) == question
        db.session.commit()
    assert comment_count(app) == 0


def test_deleting_a_comment_without_replies_removes_it_and_its_notification(
    app, role, user, other_user, add_comment
):
    question = add_comment(role, user, "my question")
    answer = add_comment(role, other_user, "an answer", parent=question)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 1
        assert threads.delete_comment(db.session.get(Comment, answer)) == answer
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0
    assert comment_count(app) == 1


def test_editing_rerenders_the_html_and_marks_it_edited(app, role, user, add_comment):
    comment_id = add_comment(role, user, "first try")
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        threads.edit_comment(comment, "first try")
        assert comment.edited_at is None  # unchanged text is not an edit
        threads.edit_comment(comment, "better *now*")
        db.session.commit()
    stored = load_comment(app, comment_id)
    assert stored.body_html == "<p>better <em>now</em></p>" and stored.edited_at is not None


def test_only_the_author_can_edit_and_only_for_a_while(app, role, user, other_user, add_comment):
    comment_id = add_comment(role, user)
    with app.test_request_context():
        comment = db.session.get(Comment, comment_id)
        author = db.session.get(User, user.id)
        assert threads.can_edit(comment, author)
        assert not threads.can_edit(comment, db.session.get(User, other_user.id))
        comment.created_at = utcnow() - timedelta(minutes=app.config["COMMENT_EDIT_MINUTES"] + 1)
        assert not threads.can_edit(comment, author)


def test_replies_notify_the_answered_author_but_not_oneself(app, role, user, other_user, moderator, add_comment):
    question = add_comment(role, user, "question")
    add_comment(role, user, "adding to my own question", parent=question)
    add_comment(role, other_user, "an answer", parent=question)
    add_comment(role, moderator, "the site's answer", parent=question)
    with app.app_context():
        kinds = db.session.execute(
            sa.select(Notification.user_id, Notification.kind).order_by(Notification.id)
        ).all()
    assert kinds == [(user.id, "reply"), (user.id, "moderator_reply")]


def test_posting_is_refused_on_a_locked_thread_and_for_a_suspended_user(app, role, user):
    with app.test_request_context():
        page = db.session.get(Role, role.id)
        author = db.session.get(User, user.id)
        assert threads.posting_refusal(author, page) is None
        author.suspended_at = utcnow()
        author.suspension_reason = "spam links"
        assert "spam links" in threads.posting_refusal(author, page)
        author.suspended_at = None
        page.thread_locked_at = utcnow()
        assert threads.posting_refusal(author, page) == "This discussion is closed to new comments."


def test_seed_adds_the_thread_once_with_the_moderators_reply(app, runner):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0 and "added 3 comments on customer-care-officer" in first.output
    second = runner.invoke(args=["seed"])
    assert "added 0 comments on customer-care-officer" in second.output
    with app.app_context():
        rows = db.session.execute(
            sa.select(User.display_name, User.is_moderator, User.password_hash, Comment.depth)
            .join(Comment.author)
            .order_by(Comment.path)
        ).all()
    assert rows == [("Reader", False, None, 0), ("পাঠক", False, None, 0), ("Site team", True, None, 1)]


def test_a_hidden_comment_with_replies_stays_as_a_placeholder(app, role, user, other_user, add_comment):
    question = add_comment(role, user, "rude question")
    answer = add_comment(role, other_user, "polite answer", parent=question)
    with app.app_context():
        db.session.get(Comment, question).hidden_at = utcnow()
        db.session.commit()
    with app.test_request_context():
        (node,) = threads.thread_page(db.session.get(Role, role.id)).nodes
        assert node.is_placeholder and [reply.comment.id for reply in node.replies] == [answer]
