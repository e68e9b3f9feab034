"""Reading and posting on a role page's thread, with and without htmx, and every way a
post can be refused. Each test asserts what the reader sees and what the database holds."""
import re
from datetime import timedelta

import pytest

from tracker.extensions import db
from tracker.models import Comment, Role, User, utcnow

from .conftest import sent_to_log_in
from .discussion_support import (  # noqa: F401
    Page,
    add_comment,
    comment_count,
    comments_by,
    other_role,
    post,
    refill_thread,
    role,
    textarea_holds,
    thread_url,
)

SEED_PAGE = "/roles/customer-care-officer"


def section_of(page: str) -> str:
    return page[page.index('<section id="comments"'):]


def test_seeded_thread_shows_on_the_customer_care_officer_page(seeded, client):
    page = section_of(client.get(SEED_PAGE).get_data(as_text=True))
    assert '3 thoughts on “Customer Care Officer”' in page
    assert "I love working at the Customer Care or Marketing Department" in page
    assert "Ami age akta outbound call-center a job koresi" in page
    assert "We’re glad you like the Kormo app." in page
    # The site's reply is nested under the reader's question and carries the badge.
    with seeded.app_context():
        question, answer = (
            db.session.scalar(db.select(Comment.id).where(Comment.body_source.startswith(start)))
            for start in ("Ami age", "We’re glad")
        )
    replies = page[page.index(f'id="replies-{question}"'):]
    assert replies.index(f'id="comment-{answer}"') < replies.index("</ol>")
    card = page[page.index(f'id="card-{answer}"'):]
    assert re.search(r'Site team</bdi></strong>\s*<span class="badge badge-moderator">moderator</span>', card)
    assert re.search(r'<time datetime="[^"]+" title="[^"]+">\d+ seconds? ago</time>', page)


def test_anonymous_readers_get_a_login_link_back_to_the_thread(seeded, client):
    page = client.get(SEED_PAGE).get_data(as_text=True)
    assert '<a href="/auth/login?next=/roles/customer-care-officer%23comments">Log in to comment</a>' in page
    assert "<textarea" not in section_of(page)


def test_an_empty_thread_invites_the_first_comment(app, role, user_client):
    page = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert '0 thoughts on “<span lang="bn">ক্যাশিয়ার</span>”' in page and "No comments yet" in page
    assert 'id="body"' in page and "Post comment" in page


def test_one_comment_is_counted_in_the_singular(app, role, user, add_comment, client):
    add_comment(role, user, "just one")
    assert '1 thought on “<span lang="bn">ক্যাশিয়ার</span>”' in client.get(f"/roles/{role.slug}").get_data(as_text=True)


@pytest.mark.parametrize("logged_in", [False, True])
def test_the_role_page_costs_the_same_queries_for_5_and_500_comments(
    app, role, user, other_user, moderator, add_comment, count_queries, logged_in, make_user
):
    people = [user, other_user, moderator] + [make_user(f"p{n}@example.com", f"Person {n}") for n in range(5)]
    client = app.test_client()
    if logged_in:
        client.login(user.email)
    counts = []
    for total in (5, 500):
        refill_thread(app, role, people, total, add_comment)
        with count_queries() as statements:
            page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
        counts.append(len(statements))
        assert page.count('class="comment-card"') == min(total, app.config["COMMENTS_PER_PAGE"] * 10)
        assert ("Load more comments" in page) is (total == 500)
    assert counts[0] == counts[1], counts


def test_posting_a_comment_without_htmx_redirects_to_it(app, role, user, user_client):
    response = post(user_client, role, "Is *night shift* common?\n\nI am a student.")
    assert response.status_code == 303
    (stored,) = comments_by(app, user)
    assert stored == "Is *night shift* common?\n\nI am a student."
    with app.app_context():
        comment = db.session.scalar(db.select(Comment))
        assert comment.body_html == "<p>Is <em>night shift</em> common?</p><p>I am a student.</p>"
        assert response.headers["Location"] == f"/roles/{role.slug}#comment-{comment.id}"
    page = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "<p>Is <em>night shift</em> common?</p>" in page and "1 thought on" in page


def test_posting_with_htmx_inserts_the_comment_and_updates_the_count(app, role, user, user_client):
    response = post(user_client, role, "Hello from htmx", htmx=True)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment
    with app.app_context():
        comment_id = db.session.scalar(db.select(Comment.id))
    assert 'hx-swap-oob="beforeend:#comment-list"' in fragment
    assert f'<li class="comment depth-0" id="comment-{comment_id}">' in fragment
    assert re.search(r'id="comments-summary" hx-swap-oob="true">\s*<h2 id="comments-heading">1 thought on', fragment)
    # A fresh, empty form takes the sent one's place.
    assert re.search(r'<textarea[^>]*id="body"[^>]*>\s*</textarea>', fragment)


def test_newest_first_readers_get_their_comment_at_the_top(app, role, user_client):
    fragment = post(user_client, role, "on top", htmx=True, order="newest").get_data(as_text=True)
    assert 'hx-swap-oob="afterbegin:#comment-list"' in fragment


def test_the_reply_form_opens_inline_with_htmx_and_as_a_page_without(app, role, user, other_client, add_comment):
    question = add_comment(role, user, "Which shift?")
    fragment = other_client.htmx("GET", f"/comments/{question}/reply").get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<div class="comment-card" id="card-{question}">')
    assert "<html" not in fragment and "Which shift?" in fragment
    assert f'name="parent_id" type="hidden" value="{question}"' in fragment
    assert f'id="reply-{question}-body"' in fragment and f'<label for="reply-{question}-body">Your reply</label>' in fragment
    assert f'hx-get="/comments/{question}" hx-target="#card-{question}"' in fragment  # Cancel
    page = other_client.get(f"/comments/{question}/reply")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html and "Reply to Asha" in html
    assert "hx-post" not in html[html.index("comment-form"):]  # a plain form on its own page


def test_cancel_returns_the_comment_without_the_form(app, role, user, other_client, add_comment):
    question = add_comment(role, user, "Which shift?")
    fragment = other_client.htmx("GET", f"/comments/{question}").get_data(as_text=True)
    assert f'id="card-{question}"' in fragment and "Which shift?" in fragment and "<form" not in fragment


def test_a_reply_with_htmx_lands_under_its_parent_and_closes_the_form(app, role, user, other_user, other_client, add_comment):
    question = add_comment(role, user, "Which shift?")
    response = post(other_client, role, "Nights pay more.", parent=question, htmx=True)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    with app.app_context():
        reply = db.session.scalar(db.select(Comment).where(Comment.author_id == other_user.id))
        assert (reply.parent_id, reply.depth) == (question, 1)
    assert re.search(rf'<ol hx-swap-oob="beforeend:#replies-{question}">\s*<li class="comment depth-1" id="comment-{reply.id}">', fragment)
    assert "2 thoughts on" in fragment
    assert "<form" not in fragment  # the reply form is replaced by nothing


def test_a_reply_without_htmx_redirects_to_its_anchor(app, role, user, other_client, add_comment):
    question = add_comment(role, user, "Which shift?")
    response = post(other_client, role, "Nights pay more.", parent=question)
    assert response.status_code == 303
    reply_id = question + 1
    assert response.headers["Location"] == f"/roles/{role.slug}#comment-{reply_id}"


def test_a_reply_below_the_depth_limit_says_whom_it_answers(app, role, user, other_user, other_client, add_comment):
    chain = [add_comment(role, user, "level 0")]
    for level in range(1, 5):
        chain.append(add_comment(role, user, f"level {level}", parent=chain[-1]))
    fragment = post(other_client, role, "too deep", parent=chain[-1], htmx=True).get_data(as_text=True)
    assert f'hx-swap-oob="beforeend:#replies-{chain[3]}"' in fragment
    assert "in reply to <bdi>Asha</bdi>" in fragment
    page = other_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert page.count("in reply to <bdi>Asha</bdi>") == 1


def test_the_redirect_after_posting_finds_the_right_page(app, role, user, user_client, add_comment):
    app.config["COMMENTS_PER_PAGE"] = 2
    start = utcnow() - timedelta(hours=1)
    for n in range(4):
        add_comment(role, user, f"old {n}", created_at=start + timedelta(minutes=n))
    response = post(user_client, role, "the fifth")
    assert re.fullmatch(rf"/roles/{role.slug}\?page=3#comment-\d+", response.headers["Location"])
    response = post(user_client, role, "the sixth", order="newest")
    assert re.fullmatch(rf"/roles/{role.slug}\?order=newest#comment-\d+", response.headers["Location"])


BAD_BODIES = [
    ("", "Write something before posting."),
    ("   \n\t  ", "Write something before posting."),
    ("x" * 5001, "Keep it to 5000 characters or fewer (this has 5001)."),
]


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(("body", "message"), BAD_BODIES)
def test_bad_text_is_refused_in_the_form_and_kept(app, role, user, user_client, body, message, htmx):
    response = post(user_client, role, body, htmx=htmx)
    html = response.get_data(as_text=True)
    assert response.status_code == (200 if htmx else 422)
    assert f'<p class="error" id="body-error">{message}</p>' in html
    if body.strip():
        assert textarea_holds(html, body)
    assert ("<html" in html) is not htmx
    assert comment_count(app) == 0


@pytest.mark.parametrize("htmx", [False, True])
def test_a_parent_from_another_role_page_is_refused(app, role, other_role, user, user_client, add_comment, htmx):
    elsewhere = add_comment(other_role, user, "on the driver page")
    response = post(user_client, role, "my reply", parent=elsewhere, htmx=htmx)
    html = response.get_data(as_text=True)
    assert "The comment you are replying to is not on this page." in html
    assert textarea_holds(html, "my reply")
    assert comments_by(app, user) == ["on the driver page"]


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("parent", ["999", "abc", "²", "99999999999999999999", "-1"])
def test_a_parent_that_does_not_exist_is_refused(app, role, user, user_client, parent, htmx):
    response = post(user_client, role, "my reply", parent=parent, htmx=htmx)
    assert response.status_code == (200 if htmx else 422)
    assert "The comment you are replying to is not on this page." in response.get_data(as_text=True)
    assert comment_count(app) == 0


def test_a_reply_to_a_deleted_comment_is_refused(app, role, user, other_user, other_client, add_comment):
    question = add_comment(role, user, "question")
    add_comment(role, other_user, "first answer", parent=question)
    with app.app_context():
        db.session.get(Comment, question).deleted_at = utcnow()
        db.session.commit()
    html = post(other_client, role, "second answer", parent=question).get_data(as_text=True)
    assert "has been removed, so your reply was not posted" in html
    assert comments_by(app, other_user) == ["first answer"]
    assert other_client.get(f"/comments/{question}/reply").status_code == 404


@pytest.mark.parametrize("htmx", [False, True])
def test_posting_too_fast_is_refused_in_the_form(app, role, user, user_client, htmx):
    for n in range(5):
        assert post(user_client, role, f"comment {n}").status_code == 303
    response = post(user_client, role, "one too many", htmx=htmx)
    html = response.get_data(as_text=True)
    assert response.status_code == (200 if htmx else 429)
    assert "You are posting too fast." in html and textarea_holds(html, "one too many")
    assert len(comments_by(app, user)) == 5


def test_the_rate_limit_is_per_user(app, role, user, user_client, other_client, other_user):
    for n in range(5):
        post(user_client, role, f"comment {n}")
    assert post(other_client, role, "my first").status_code == 303
    assert comments_by(app, other_user) == ["my first"]


@pytest.mark.parametrize("htmx", [False, True])
def test_anonymous_posts_are_sent_to_log_in_and_not_stored(app, role, client, htmx):
    response = post(client, role, "anonymous words", htmx=htmx)
    assert sent_to_log_in(response, htmx)
    assert comment_count(app) == 0


def test_a_post_without_a_csrf_token_is_refused(app, role, user_client):
    response = user_client.post(thread_url(role), data={"body": "forged"}, csrf=False)
    assert response.status_code == 400
    assert comment_count(app) == 0


@pytest.mark.parametrize("htmx", [False, True])
def test_a_suspended_user_sees_why_and_cannot_post(app, role, user, user_client, htmx):
    with app.app_context():
        db.session.get(User, user.id).suspended_at = utcnow()
        db.session.get(User, user.id).suspension_reason = "too many links"
        db.session.commit()
    page = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "You cannot comment at the moment: too many links" in page
    response = post(user_client, role, "let me in", htmx=htmx)
    assert response.status_code == (200 if htmx else 403)
    assert "You cannot comment at the moment: too many links" in response.get_data(as_text=True)
    assert comment_count(app) == 0


def test_a_locked_thread_has_no_form_and_refuses_posts(app, role, user, user_client, add_comment):
    question = add_comment(role, user, "before the lock")
    with app.app_context():
        db.session.get(Role, role.id).thread_locked_at = utcnow()
        db.session.commit()
    page = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "This discussion is closed to new comments." in page and 'id="body"' not in page
    assert f"/comments/{question}/reply" not in page
    response = post(user_client, role, "after the lock", parent=question)
    assert response.status_code == 403
    assert comments_by(app, user) == ["before the lock"]


def test_typed_html_is_shown_as_text_on_the_page(app, role, user_client):
    post(user_client, role, '<script>alert(1)</script> <img src=x onerror="alert(2)">')
    page = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_unknown_role_and_comment_are_404(app, role, user_client):
    assert post(user_client, Page(0, "no-such-role", ""), "hello").status_code == 404
    for comment_id in ("12345", "99999999999999999999"):
        for action in ("", "/reply", "/edit", "/delete"):
            assert user_client.get(f"/comments/{comment_id}{action}").status_code == 404


def test_the_thread_speaks_bengali_when_the_page_does(seeded, user, user_client):
    user_client.set_cookie("lang", "bn")
    page = user_client.get(SEED_PAGE).get_data(as_text=True)
    assert "“কাস্টমার কেয়ার অফিসার” নিয়ে ৩টি মতামত" in page
    assert ">উত্তর দিন</a>" in page and "মন্তব্য পোস্ট করুন" in page
    # Seconds, or a minute on a machine slowed by other work.
    assert re.search(r'<time datetime="[^"]+" title="[^"]+">[০-৯]+ (সেকেন্ড|মিনিট) আগে</time>', page)
    response = post(user_client, Page(0, "customer-care-officer", ""), "  ", htmx=True)
    assert "পোস্ট করার আগে কিছু লিখুন।" in response.get_data(as_text=True)


def _form_key(client, role) -> str:
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    return re.search(r'name="submission" type="hidden" value="([0-9a-f]{32})"', page).group(1)


@pytest.mark.parametrize("htmx", [False, True])
def test_the_same_form_sent_twice_is_stored_once(app, role, user, user_client, htmx):
    key = _form_key(user_client, role)
    first = post(user_client, role, "Is there a night allowance?", htmx=htmx, submission=key)
    again = post(user_client, role, "Is there a night allowance?", htmx=htmx, submission=key)
    assert comments_by(app, user) == ["Is there a night allowance?"]
    if htmx:
        assert "Is there a night allowance?" in first.get_data(as_text=True)
        # The fresh form and the count come back; the comment is not put in a second time.
        assert "Is there a night allowance?" not in again.get_data(as_text=True)
        assert 'name="submission"' in again.get_data(as_text=True)
    else:
        assert first.status_code == again.status_code == 303
        assert first.headers["Location"] == again.headers["Location"]
    # A new form has a new key: the same words, sent on purpose again, are a new comment
    # (held as a repeat, as before).
    post(user_client, role, "Is there a night allowance?", submission=_form_key(user_client, role))
    assert len(comments_by(app, user)) == 2


def test_the_same_form_sent_twice_at_once_is_stored_once(app, role, user):
    import threading

    clients = [app.test_client(), app.test_client()]
    for client in clients:
        client.login(user.email)
    key = _form_key(clients[0], role)
    start = threading.Barrier(2)
    statuses = []

    def send(client):
        start.wait()
        statuses.append(post(client, role, "Double tap on a slow connection", submission=key).status_code)

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303, 303]
    assert comments_by(app, user) == ["Double tap on a slow connection"]
