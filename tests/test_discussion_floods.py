"""Floods of comments and edits (issue 24, finding 7): many accounts behind one address,
and one member saving an edit again and again. Each limit trips at its number, set small
here, and its refusal keeps the typed text in the form, with htmx and without."""
from datetime import timedelta

import pytest

from tracker.extensions import db
from tracker.models import User, utcnow

from .discussion_support import add_comment, comments_by, load_comment, post, role, textarea_holds  # noqa: F401

FLOOD_ADDRESS = "203.0.113.7"
NEW_ACCOUNTS_REFUSAL = "Too many comments from new accounts have come from your internet connection this hour."
ADDRESS_REFUSAL = "Too many comments have come from your internet connection today."


@pytest.fixture
def member_from(app, make_user):
    """Log in a new member (or one whose account is `age` old) from the IP `address`;
    return who it is and their client."""
    made = iter(range(1000))

    def log_in(address: str = FLOOD_ADDRESS, age: timedelta = timedelta(0), moderator: bool = False):
        n = next(made)
        person = make_user(email=f"member{n}@example.com", display_name=f"Member {n}", moderator=moderator)
        with app.app_context():
            db.session.get(User, person.id).created_at = utcnow() - age
            db.session.commit()
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        client.login(person.email)
        return person, client

    return log_in


def _refused(response, message: str, text: str, htmx: bool) -> bool:
    html = response.get_data(as_text=True)
    return response.status_code == (200 if htmx else 429) and message in html and textarea_holds(html, text)


def test_new_accounts_flooding_from_one_address_stop_at_the_hourly_number(app, role, member_from):
    # The finding: 12 new accounts from one address posted 60 published comments in 9 s.
    app.config["NEW_ACCOUNT_COMMENT_ADDRESS_RATE_LIMIT"] = "10 per hour"
    flood = [member_from() for _ in range(4)]
    for n in range(5):
        for _, client in flood:
            post(client, role, f"flood {n}")
    assert sum(len(comments_by(app, person)) for person, _ in flood) == 10


@pytest.mark.parametrize("htmx", [False, True])
def test_a_new_account_past_the_hourly_number_is_refused_with_its_text_kept(app, role, member_from, htmx):
    app.config["NEW_ACCOUNT_COMMENT_ADDRESS_RATE_LIMIT"] = "2 per hour"
    for _ in range(2):
        _, client = member_from()
        assert post(client, role, "hello").status_code == 303
    latecomer, client = member_from()
    assert _refused(post(client, role, "my question", htmx=htmx), NEW_ACCOUNTS_REFUSAL, "my question", htmx)
    assert comments_by(app, latecomer) == []


def test_the_hourly_number_counts_only_new_accounts_from_that_address(app, role, member_from):
    app.config["NEW_ACCOUNT_COMMENT_ADDRESS_RATE_LIMIT"] = "1 per hour"
    _, first = member_from()
    assert post(first, role, "first").status_code == 303
    member, older = member_from(age=timedelta(days=2))
    newcomer, elsewhere = member_from(address="198.51.100.4")
    moderator, moderating = member_from(moderator=True)
    for person, client in ((member, older), (newcomer, elsewhere), (moderator, moderating)):
        assert post(client, role, "still heard").status_code == 303
        assert comments_by(app, person) == ["still heard"]


@pytest.mark.parametrize("htmx", [False, True])
def test_an_address_past_its_daily_number_is_refused_with_the_text_kept(app, role, member_from, htmx):
    app.config["COMMENT_ADDRESS_RATE_LIMIT"] = "3 per day"
    members = [member_from(age=timedelta(days=30)) for _ in range(3)]
    for _, client in members:
        assert post(client, role, "a day's comment").status_code == 303
    person, client = members[0]
    assert _refused(post(client, role, "one more", htmx=htmx), ADDRESS_REFUSAL, "one more", htmx)
    assert comments_by(app, person) == ["a day's comment"]
    other, elsewhere = member_from(address="198.51.100.4", age=timedelta(days=30))
    assert post(elsewhere, role, "from another address").status_code == 303
    assert comments_by(app, other) == ["from another address"]


def test_a_moderator_is_not_counted_against_the_address(app, role, member_from):
    app.config["COMMENT_ADDRESS_RATE_LIMIT"] = "1 per day"
    _, client = member_from(age=timedelta(days=30))
    assert post(client, role, "the address's one").status_code == 303
    moderator, moderating = member_from(moderator=True)
    assert post(moderating, role, "an answer").status_code == 303
    assert comments_by(app, moderator) == ["an answer"]


def _save(client, comment_id: int, body: str, htmx: bool):
    url = f"/comments/{comment_id}/edit"
    return client.htmx("POST", url, data={"body": body}) if htmx else client.post(url, data={"body": body})


@pytest.mark.parametrize("htmx", [False, True])
def test_saving_edits_too_fast_is_refused_with_the_text_kept(app, role, member_from, add_comment, htmx):
    app.config["COMMENT_EDIT_RATE_LIMIT"] = "2 per minute"
    person, client = member_from()
    mine = add_comment(role, person, "first words")
    for n in range(2):
        assert _save(client, mine, f"change {n}", htmx).status_code == (200 if htmx else 303)
    response = _save(client, mine, "change 2", htmx)
    assert _refused(response, "You are saving changes too fast.", "change 2", htmx)
    assert load_comment(app, mine).body_source == "change 1"
    # Counted per member, over all their comments.
    another = add_comment(role, person, "second comment")
    assert "You are saving changes too fast." in _save(client, another, "changed", htmx).get_data(as_text=True)
    assert load_comment(app, another).body_source == "second comment"


def test_a_bengali_reader_is_refused_in_bengali(app, role, member_from):
    app.config["COMMENT_ADDRESS_RATE_LIMIT"] = "1 per day"
    _, client = member_from(age=timedelta(days=30))
    client.set_cookie("lang", "bn")
    assert post(client, role, "প্রথম").status_code == 303
    html = post(client, role, "দ্বিতীয়").get_data(as_text=True)
    assert "আজ আপনার ইন্টারনেট সংযোগ থেকে অনেক মন্তব্য এসেছে।" in html and textarea_holds(html, "দ্বিতীয়")
