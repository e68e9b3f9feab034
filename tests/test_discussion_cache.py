"""Kept thread listings: they change as soon as the thread does, and each reader still
sees their own links and only what they may read."""
import re
from datetime import timedelta

from tracker.discussion.threads import post_comment
from tracker.extensions import db
from tracker.models import Comment, Role, User, utcnow

from .conftest import without_tokens
from .discussion_support import add_comment, comments_by, role  # noqa: F401


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


def _nav(page: str) -> str:
    return page[page.index('<nav class="site-nav"'):page.index("</nav>")]


def _comment_form_token_in(html: str) -> str:
    return re.search(r'<form class="comment-form".*?name="csrf_token" value="([^"]+)"', html, re.S).group(1)


def _comment_form_token(page: str) -> str:
    return _comment_form_token_in(page[page.index('<div class="new-comment"'):])


def test_members_share_a_role_page_yet_each_sees_their_own_name_count_save_button_and_token(
    app, role, user, other_user, user_client, other_client, add_comment
):
    question = add_comment(role, user, "Asha asks")
    add_comment(role, other_user, "Rahim answers", parent=question)  # a notification for Asha
    user_client.get(f"/roles/{role.slug}")  # the page after logging in carries a message; this one shows it
    other_client.get(f"/roles/{role.slug}")
    saved = user_client.post("/tracker/new", data={"role_id": role.id, "next": f"/roles/{role.slug}"})
    assert saved.status_code == 303
    user_client.get(f"/roles/{role.slug}")  # shows, and so clears, the "Saved" message

    rahims = other_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    ashas = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "Rahim" in _nav(rahims) and "Asha" not in _nav(rahims)
    assert "Asha" in _nav(ashas) and "Rahim" not in _nav(ashas)
    assert 'aria-label="1 unread"' in _nav(ashas) and "unread" not in _nav(rahims)
    assert "Saved ✓" in ashas and "Save to my tracker" not in ashas
    assert "Save to my tracker" in rahims and "Saved ✓" not in rahims
    # Each member's token is their own, and it works.
    ashas_token, rahims_token = _comment_form_token(ashas), _comment_form_token(rahims)
    assert ashas_token != rahims_token
    for client, token, body in ((user_client, ashas_token, "Asha again"), (other_client, rahims_token, "Rahim again")):
        response = client.post(f"/roles/{role.slug}/comments", csrf=False, data={"csrf_token": token, "body": body})
        assert response.status_code == 303
        assert body in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_suspended_member_is_told_why_on_a_page_others_share(app, role, user, other_client, user_client):
    other_client.get(f"/roles/{role.slug}")
    other_client.get(f"/roles/{role.slug}")
    with app.app_context():
        asha = db.session.get(User, user.id)
        asha.suspended_at = utcnow()
        asha.suspension_reason = "Spam links"
        db.session.commit()
    user_client.get(f"/roles/{role.slug}")
    page = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "You cannot comment at the moment: Spam links" in page
    assert ">Post comment</button>" not in page
    assert ">Post comment</button>" in other_client.get(f"/roles/{role.slug}").get_data(as_text=True)


def test_a_message_waiting_for_a_member_shows_on_a_shared_page(role, user_client, other_client):
    other_client.get(f"/roles/{role.slug}")
    other_client.get(f"/roles/{role.slug}")
    user_client.get(f"/roles/{role.slug}")
    with user_client.session_transaction() as session:
        session["_flashes"] = [("info", "Your password was changed.")]
    assert "Your password was changed." in user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "Your password was changed." not in user_client.get(f"/roles/{role.slug}").get_data(as_text=True)


def test_a_member_page_drawn_before_runs_seven_queries(role, user, other_user, user_client, add_comment, count_queries):
    user_client.get(f"/roles/{role.slug}")  # shows, and so clears, the "logged in" message
    for number in range(5):
        add_comment(role, other_user, f"Comment {number}")
    with count_queries() as statements:
        first = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
        cold = len(statements)
        statements.clear()
        assert without_tokens(user_client.get(f"/roles/{role.slug}").get_data(as_text=True)) == without_tokens(first)
    # The user, the role, its save button's state, its facets and the member's pay (the fit
    # and pay checks), the unread count in the navigation and whether the member wrote on
    # the role (then their own links are drawn for them). Its answered questions and the
    # counts of members on its road are kept pieces, the same for everyone.
    assert len(statements) == 7 < cold


def _reply_form(client, comment_id) -> str:
    return client.htmx("GET", f"/comments/{comment_id}/reply").get_data(as_text=True)


def test_a_reply_form_drawn_once_still_gives_each_member_their_token_and_links(
    app, role, user, other_user, make_user, user_client, other_client, add_comment
):
    question = add_comment(role, user, "Which shift?")
    third = app.test_client()
    third.login(make_user(email="nila@example.com", display_name="Nila").email)
    rahims, nilas, ashas = (_reply_form(client, question) for client in (other_client, third, user_client))
    assert _links(rahims) == _links(nilas) == ["Reply", "Report"]
    assert _links(ashas) == ["Reply", "Edit", "Delete"]
    tokens = [_comment_form_token_in(fragment) for fragment in (rahims, nilas, ashas)]
    assert len(set(tokens)) == 3
    for client, token, body in ((other_client, tokens[0], "Rahim replies"), (third, tokens[1], "Nila replies")):
        response = client.post(
            f"/roles/{role.slug}/comments", csrf=False, data={"csrf_token": token, "body": body, "parent_id": question}
        )
        assert response.status_code == 303
    assert comments_by(app, other_user) == ["Rahim replies"]


def test_a_reply_form_shows_the_comment_as_it_is_now(app, role, user, other_client, moderator_client, add_comment):
    question = add_comment(role, user, "First words")
    assert "First words" in _reply_form(other_client, question)
    with app.app_context():
        comment = db.session.get(Comment, question)
        comment.body_source = comment.body_html = "Second words"
        db.session.commit()
    fragment = _reply_form(other_client, question)
    assert "Second words" in fragment and "First words" not in fragment
    # Moderators get their controls under it, whoever opened it before them.
    assert ">Hide</button>" in _reply_form(moderator_client, question)
    assert ">Hide</button>" not in _reply_form(other_client, question)


def test_a_suspended_member_gets_the_reason_not_a_form_others_were_given(app, role, user, other_user, other_client, user_client, add_comment):
    question = add_comment(role, other_user, "Which shift?")
    assert "Post reply" in _reply_form(user_client, question)
    with app.app_context():
        db.session.get(User, user.id).suspended_at = utcnow()
        db.session.commit()
    fragment = _reply_form(user_client, question)
    assert "You cannot comment at the moment." in fragment and "Post reply" not in fragment
    assert "Post reply" in _reply_form(other_client, question)


def test_a_suspended_member_is_offered_no_reply_or_report_links_while_others_keep_theirs(app, role, user, other_user, other_client, user_client, add_comment):
    mine = add_comment(role, user, "My own words")
    question = add_comment(role, other_user, "Which shift?")
    user_client.get(f"/roles/{role.slug}")  # shows, and so clears, the "logged in" message
    assert _links(_card(user_client, role, question)) == ["Reply", "Report"]
    with app.app_context():
        db.session.get(User, user.id).suspended_at = utcnow()
        db.session.commit()
    assert _links(_card(user_client, role, question)) == []
    assert "Reply" not in _links(_card(user_client, role, mine))
    assert "You cannot comment at the moment." in user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert _links(_card(other_client, role, mine)) == ["Reply", "Report"]  # others keep theirs


def test_an_authors_edit_link_goes_when_the_edit_window_closes(role, user, user_client, add_comment, monkeypatch):
    mine = add_comment(role, user, "Fresh words")
    user_client.get(f"/roles/{role.slug}")  # shows, and so clears, the "logged in" message
    assert _links(_card(user_client, role, mine)) == ["Reply", "Edit", "Delete"]
    an_hour_later = utcnow() + timedelta(hours=1)
    monkeypatch.setattr("tracker.discussion.threads.utcnow", lambda: an_hour_later)
    assert _links(_card(user_client, role, mine)) == ["Reply", "Delete"]


def test_a_reply_deeper_than_the_limit_now_allows_keeps_its_authors_page_whole(
    app, role, user, other_user, user_client, add_comment
):
    question = add_comment(role, user, "My question")
    answer = add_comment(role, other_user, "An answer", parent=question)
    add_comment(role, user, "My thanks", parent=answer)  # depth 2
    app.config["MAX_COMMENT_DEPTH"] = 2  # lowered later: depth-2 replies are no longer drawn
    user_client.get(f"/roles/{role.slug}")  # shows, and so clears, the "logged in" message
    response = user_client.get(f"/roles/{role.slug}")
    assert response.status_code == 200
    assert _links(_card(user_client, role, question)) == ["Reply", "Edit", "Delete"]


