"""Holding comments for review, locking threads and suspending users: what the author,
other readers and moderators see, what the database holds, and the audit entries."""
import re
from datetime import timedelta

import pytest

from tracker.extensions import db
from tracker.models import Comment, Role, User, utcnow

from .discussion_support import add_comment, comments_by, load_comment, other_role, post, role  # noqa: F401
from .moderation_support import age_account, audit_rows, held  # noqa: F401


def stored(app, author) -> Comment:
    with app.app_context():
        comment = db.session.scalar(db.select(Comment).where(Comment.author_id == author.id).order_by(Comment.id.desc()))
        db.session.expunge(comment)
        return comment


# ---- Hold for review ----

@pytest.mark.parametrize(
    "body, old_account, published_before, reason",
    [
        ("See https://a.example and https://b.example", True, True, "links"),
        ("See https://a.example", False, True, "new_account_link"),
        ("See https://a.example", True, False, "first_link"),
        ("See https://a.example", True, True, None),
        ("Is the salary negotiable?", False, False, None),
    ],
)
def test_the_hold_rules(app, role, user, user_client, add_comment, body, old_account, published_before, reason):
    if old_account:
        age_account(app, user)
    if published_before:
        add_comment(role, user, "An earlier question")
    post(user_client, role, body)
    assert stored(app, user).held_reason == reason


@pytest.mark.parametrize(
    "body",
    [
        "Call 01712345678 for the job",
        "কল করুন ০১৭১২-৩৪৫৬৭৮",
        "WhatsApp +880 1712 345 678",
        "8801812345678",
        "Dial 0 1 9 1 2 . 3 4 5 . 6 7 8",
        "Form fee: send ৫০০ টাকা bKash",
        "ফি ৫০০ টাকা বিকাশ করুন",
        "Nagad 300 taka and you get the job",
        "Pay by b-kash, 1000 only",
    ],
)
def test_a_first_comment_with_a_phone_or_a_mobile_money_number_is_held(
    app, role, user, user_client, other_client, body
):
    age_account(app, user)
    post(user_client, role, body)
    assert stored(app, user).held_reason == "first_number"
    assert body not in other_client.get(f"/roles/{role.slug}").get_data(as_text=True)


@pytest.mark.parametrize(
    "body",
    [
        "The salary is 15000 taka, 10 vacancies",
        "বেতন ১৫,০০০ টাকা, আবেদনের শেষ তারিখ ২০২৬-০১-১৫",
        "Is 0171234 the office's extension?",
        "Roll 0171234567890123 passed",
        "Do they pay salaries by bKash?",
    ],
)
def test_numbers_that_are_not_a_phone_or_a_payment_are_published(app, role, user, user_client, body):
    age_account(app, user)
    post(user_client, role, body)
    assert stored(app, user).held_reason is None


def test_after_a_published_comment_a_number_is_not_held(app, role, user, user_client, add_comment):
    age_account(app, user)
    add_comment(role, user, "Where is the office?")
    post(user_client, role, "Call the office on 01712-345678")
    assert stored(app, user).held_reason is None


def test_a_held_or_deleted_comment_does_not_make_the_next_one_a_second(app, role, user, user_client, add_comment):
    age_account(app, user)
    post(user_client, role, "Call 01712345678")
    post(user_client, role, "Or call 01812345678")
    assert stored(app, user).held_reason == "first_number"
    with app.app_context():
        for comment in db.session.scalars(db.select(Comment).where(Comment.author_id == user.id)):
            comment.held_reason, comment.deleted_at = None, utcnow()
        db.session.commit()
    post(user_client, role, "Send ৫০০ টাকা bKash")
    assert stored(app, user).held_reason == "first_number"


def test_the_queue_says_why_a_first_comment_is_held(app, role, user, user_client, moderator_client):
    age_account(app, user)
    post(user_client, role, "Form fee: send ৫০০ টাকা bKash to 01712345678")
    page = moderator_client.get("/moderation/").get_data(as_text=True)
    section = page[page.index('id="held"'):page.index('id="recent"')]
    assert "Form fee: send ৫০০ টাকা bKash" in section
    assert "Held because: It has a phone number or a bKash, Nagad or Rocket number and its author has no published comment yet." in section


def test_editing_a_number_into_a_first_comment_holds_it(app, role, user, user_client):
    age_account(app, user)
    post(user_client, role, "Plain question")
    comment = stored(app, user)
    assert comment.held_reason is None
    user_client.post(f"/comments/{comment.id}/edit", data={"body": "Plain question, bKash ৫০০ টাকা"})
    assert load_comment(app, comment.id).held_reason == "first_number"


def test_repeating_ones_previous_comment_is_held(app, role, user, user_client):
    post(user_client, role, "Call me for jobs")
    post(user_client, role, "call me for jobs ")
    assert len(comments_by(app, user)) == 2
    assert stored(app, user).held_reason == "repeated"


def test_the_thresholds_come_from_config(app, role, user, user_client, add_comment):
    app.config["HOLD_LINK_THRESHOLD"] = 3
    app.config["HOLD_NEW_ACCOUNT_HOURS"] = 0
    add_comment(role, user, "An earlier question")
    post(user_client, role, "See https://a.example and https://b.example")
    assert stored(app, user).held_reason is None


def test_moderators_are_never_held(app, role, moderator, moderator_client):
    post(moderator_client, role, "Guides: https://a.example https://b.example https://c.example")
    assert stored(app, moderator).held_reason is None


def test_editing_links_in_holds_the_comment(app, role, user, user_client):
    age_account(app, user)
    post(user_client, role, "Plain question")
    comment = stored(app, user)
    user_client.post(f"/comments/{comment.id}/edit", data={"body": "Now https://a.example https://b.example"})
    assert load_comment(app, comment.id).held_reason == "links"


def test_a_held_comment_awaits_moderation_for_its_author_only(
    app, role, user, user_client, other_client, client, moderator_client
):
    response = post(user_client, role, "Apply at https://a.example", htmx=True)
    fragment = response.get_data(as_text=True)
    assert "awaiting moderation" in fragment and "Apply at" in fragment
    comment_id = stored(app, user).id
    own = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "Apply at" in own and '<span class="badge badge-withdrawn">awaiting moderation</span>' in own
    assert "Held because" not in own  # the rule that held it is for moderators
    assert "0 thoughts on" in own  # not counted until published
    for reader in (other_client, client):
        page = reader.get(f"/roles/{role.slug}").get_data(as_text=True)
        assert "Apply at" not in page and f"comment-{comment_id}" not in page
    assert other_client.get(f"/comments/{comment_id}").status_code == 404
    # Nobody can reply to it while it is held.
    assert "Reply</a>" not in own[own.index(f'id="card-{comment_id}"'):]


def test_held_comments_are_in_the_queue_with_the_reason(app, held, moderator_client):
    page = moderator_client.get("/moderation/").get_data(as_text=True)
    section = page[page.index('id="held"'):page.index('id="recent"')]
    assert f'id="held-{held}"' in section
    assert "Held because: It has several links." in section
    assert f'action="/moderation/comments/{held}/approve"' in section
    assert f'action="/moderation/comments/{held}/reject"' in section
    thread = moderator_client.get("/roles/cashier").get_data(as_text=True)
    assert "It has several links." in thread and "is-withdrawn" in thread


def test_approving_from_the_queue_publishes_and_empties_the_queue(app, role, held, moderator_client, other_client):
    response = moderator_client.post(f"/moderation/comments/{held}/approve", data={"back": "queue"})
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/"
    queue = moderator_client.get("/moderation/").get_data(as_text=True)
    assert "Nothing is waiting for approval." in queue and "The comment is published." in queue
    assert "Apply at" in other_client.get(f"/roles/{role.slug}").get_data(as_text=True)


def test_the_queue_lists_recent_comments_across_role_pages(app, role, other_role, user, add_comment, moderator_client):
    add_comment(role, user, "On the cashier page")
    add_comment(other_role, user, "On the driver page")
    page = moderator_client.get("/moderation/").get_data(as_text=True)
    recent = page[page.index('id="recent"'):]
    assert recent.index("On the driver page") < recent.index("On the cashier page")
    assert "ড্রাইভার" in recent and "ক্যাশিয়ার" in recent


# ---- Locking ----

def test_locking_closes_the_thread_with_a_reason(app, role, user, moderator, add_comment, moderator_client, user_client):
    question = add_comment(role, user, "Which shift?")
    response = moderator_client.post(f"/moderation/roles/{role.slug}/lock", data={"reason": "Too many off-topic posts."})
    assert response.status_code == 303 and response.headers["Location"] == f"/roles/{role.slug}#comments"
    page = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "This discussion is closed to new comments. Too many off-topic posts." in page
    assert "<textarea" not in page and "Reply</a>" not in page
    refused = post(user_client, role, "Still here?")
    assert refused.status_code == 403 and "This discussion is closed to new comments." in refused.get_data(as_text=True)
    refused = post(user_client, role, "A reply", parent=question, htmx=True)
    assert "This discussion is closed to new comments." in refused.get_data(as_text=True)
    assert comments_by(app, user) == ["Which shift?"]
    assert audit_rows(app) == [("lock", moderator.id, None, None, role.id, "Too many off-topic posts.")]


def test_locking_needs_a_reason_and_keeps_the_page(app, role, moderator_client):
    response = moderator_client.post(f"/moderation/roles/{role.slug}/lock", data={"reason": " "})
    assert response.status_code == 422
    assert "Say why: the reason is shown to the people it affects." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Role, role.id).thread_locked_at is None


def test_unlocking_opens_the_thread_again(app, role, moderator, moderator_client, user_client):
    moderator_client.post(f"/moderation/roles/{role.slug}/lock", data={"reason": "Cooling off."})
    assert "Unlock the discussion" in moderator_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    response = moderator_client.post(f"/moderation/roles/{role.slug}/unlock")
    assert response.status_code == 303
    assert post(user_client, role, "Back again").status_code == 303
    assert [row[0] for row in audit_rows(app)] == ["lock", "unlock"]


# ---- Suspending ----

def test_suspending_for_days_shows_the_reason_when_posting(app, role, user, moderator, moderator_client, user_client):
    response = moderator_client.post(f"/moderation/users/{user.id}", data={"days": "3", "reason": "Repeated spam links."})
    assert response.status_code == 303 and response.headers["Location"] == f"/moderation/users/{user.id}"
    with app.app_context():
        person = db.session.get(User, user.id)
        assert person.is_suspended()
        assert timedelta(days=2, hours=23) < person.suspended_until - utcnow() <= timedelta(days=3)
    page = user_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "You cannot comment at the moment: Repeated spam links." in page and "<textarea" not in page
    refused = post(user_client, role, "Hello?")
    assert refused.status_code == 403 and "Repeated spam links." in refused.get_data(as_text=True)
    assert comments_by(app, user) == []
    assert audit_rows(app) == [("suspend", moderator.id, None, user.id, None, "Repeated spam links.")]
    profile = moderator_client.get(f"/moderation/users/{user.id}").get_data(as_text=True)
    assert "Suspended until" in profile and "Repeated spam links." in profile
    assert f"<bdi>{user.display_name}</bdi> cannot comment now." in profile  # the flash, the name isolated


def test_suspending_until_lifted_then_lifting(app, role, user, moderator_client, user_client):
    moderator_client.post(f"/moderation/users/{user.id}", data={"days": "", "reason": "Abuse."})
    with app.app_context():
        person = db.session.get(User, user.id)
        assert person.suspended_until is None and person.is_suspended(utcnow() + timedelta(days=3650))
    assert "Suspended until a moderator lifts it." in moderator_client.get(f"/moderation/users/{user.id}").get_data(as_text=True)
    response = moderator_client.post(f"/moderation/users/{user.id}/lift")
    assert response.status_code == 303
    assert f"<bdi>{user.display_name}</bdi> can comment again." in moderator_client.get(response.headers["Location"]).get_data(as_text=True)
    assert post(user_client, role, "Sorry.").status_code == 303
    assert [row[0] for row in audit_rows(app)] == ["suspend", "lift_suspension"]


@pytest.mark.parametrize("days, message", [("0", "Enter a number of days from 1 to 3650."), ("abc", "Type a whole number, such as 3.")])
def test_bad_suspensions_are_explained_next_to_the_field(app, user, moderator_client, days, message):
    response = moderator_client.post(f"/moderation/users/{user.id}", data={"days": days, "reason": "Spam."})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert re.search(r'<input[^>]*id="reason"[^>]*value="Spam."', page)
    with app.app_context():
        assert not db.session.get(User, user.id).is_suspended()
    assert audit_rows(app) == []


def test_moderators_cannot_suspend_themselves_or_each_other(app, moderator, make_user, moderator_client):
    other_moderator = make_user("mod2@example.com", "Moderator Two", moderator=True)
    for person in (moderator, other_moderator):
        page = moderator_client.post(f"/moderation/users/{person.id}", data={"reason": "x"}).get_data(as_text=True)
        assert "Suspend from commenting" not in page
        with app.app_context():
            assert not db.session.get(User, person.id).is_suspended()
    assert audit_rows(app) == []


def test_the_user_page_lists_their_comments(app, role, user, add_comment, moderator_client):
    add_comment(role, user, "My first comment")
    page = moderator_client.get(f"/moderation/users/{user.id}").get_data(as_text=True)
    assert "Asha" in page and "My first comment" in page and "Can comment." in page
    assert moderator_client.get("/moderation/users/999").status_code == 404


def test_the_queue_and_the_held_comment_speak_bengali(app, held, moderator_client, user_client):
    moderator_client.set_cookie("lang", "bn")
    page = moderator_client.get("/moderation/").get_data(as_text=True)
    assert "পর্যালোচনার জন্য আটকে আছে" in page and "আটকে রাখার কারণ: এতে কয়েকটি লিংক আছে।" in page
    assert ">অনুমোদন করুন</button>" in page
    user_client.set_cookie("lang", "bn")
    assert "মডারেশনের অপেক্ষায়" in user_client.get("/roles/cashier").get_data(as_text=True)


def test_from_the_queue_a_moderator_reaches_the_authors_page_to_suspend_them(app, role, user, add_comment, moderator_client):
    add_comment(role, user, "Buy now")
    queue = moderator_client.get("/moderation/").get_data(as_text=True)
    assert f'<a href="/moderation/users/{user.id}#suspend">About the author</a>' in queue
    page = moderator_client.get(f"/moderation/users/{user.id}").get_data(as_text=True)
    assert '<h2 id="suspend">Commenting</h2>' in page and "Suspend from commenting" in page


def test_moderators_get_the_same_pages_of_threads_as_everyone(app, role, user, other_user, add_comment, moderator_client, other_client):
    app.config["COMMENTS_PER_PAGE"] = 3
    for number in range(7):
        question = add_comment(role, user, f"Question {number}")
        add_comment(role, other_user, f"Answer {number}", parent=question)
    member_page = other_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    moderator_page = moderator_client.get(f"/roles/{role.slug}").get_data(as_text=True)
    for page in (member_page, moderator_page):
        assert page.count('class="comment-card') == 6  # three threads of two
        assert "Load more comments" in page
    assert moderator_page.count('class="moderation-actions"') == 6
