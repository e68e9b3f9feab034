"""No page tells who has an account (issue 24, finding 5): registering, logging in,
asking for a new password and changing the email answer the same words, after the same
work, for an address with an account and one without; the mail sent there says the rest.
And the limits on what one address can make the site do: new accounts a day, mails to
one address an hour."""
import statistics
import time

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import User

from .conftest import PASSWORD, finish_link, mails_to, register, without_tokens

# What the old register form took: a browser that still sends it gets the same answers.
OLD_FORM = {"display_name": "Nadia", "password": "s3cret-pass", "password2": "s3cret-pass"}


def _answer(client, path: str, email: str, remote_address: str = "127.0.0.1", **data) -> str:
    """The page a form lands on (after its redirect), the typed address left out."""
    response = client.post(path, data={"email": email, **data}, follow_redirects=True,
                           environ_base={"REMOTE_ADDR": remote_address})
    assert response.status_code == 200
    return without_tokens(response.get_data(as_text=True)).replace(email, "ADDRESS")


def _bodies(app, address: str) -> list[str]:
    return [mail.body for mail in mails_to(app, address)]


def test_register_answers_the_same_for_an_address_with_an_account_and_mails_each_what_it_needs(app, client, user):
    known = _answer(client, "/auth/register", user.email, **OLD_FORM)
    unknown = _answer(client, "/auth/register", "nobody@example.com", **OLD_FORM)
    assert known == unknown and "Check your mail" in known and "A mail is on its way to ADDRESS." in known
    with app.app_context():  # nothing is made before the address is proven
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
    [told] = _bodies(app, user.email)
    assert "it has one already" in told and "/auth/login" in told and "/auth/password/forgot" in told
    assert "/auth/register/finish/" not in told
    [invited] = _bodies(app, "nobody@example.com")
    assert "/auth/register/finish/" in invited


def test_the_mailed_link_makes_the_account_logs_in_and_works_once(app, client):
    client.post("/auth/register?next=/tracker/", data={"email": "nadia@example.com"})
    path = finish_link(app, "nadia@example.com")
    made = client.post(path, data={"display_name": "Nadia", "password": "s3cret-pass", "password2": "s3cret-pass"})
    assert made.status_code == 303 and made.headers["Location"] == "/tracker/"
    assert "Welcome, <bdi>Nadia</bdi>! Your account is ready." in client.get("/tracker/").get_data(as_text=True)
    client.post("/auth/logout")
    again = client.get(path)  # the link's account is made: to the login form, the address in it
    assert again.status_code == 303 and again.headers["Location"].startswith("/auth/login")
    assert 'value="nadia@example.com"' in client.get(again.headers["Location"]).get_data(as_text=True)
    expired = client.get("/auth/register/finish/not-a-token", follow_redirects=True).get_data(as_text=True)
    assert "That link has expired." in expired


def test_forgot_password_answers_the_same_and_mails_both_addresses(app, client, user):
    known = _answer(client, "/auth/password/forgot", user.email)
    unknown = _answer(client, "/auth/password/forgot", "nobody@example.com")
    assert known == unknown
    assert "/auth/password/reset/" in _bodies(app, user.email)[0]
    [told] = _bodies(app, "nobody@example.com")
    assert "no account uses it" in told and "/auth/register" in told


def test_email_change_answers_the_same_for_a_taken_address_and_tells_its_owner(app, user_client, other_user):
    taken = _answer(user_client, "/auth/email", other_user.email, password=PASSWORD)
    free = _answer(user_client, "/auth/email", "free@example.com", password=PASSWORD)
    assert taken == free and "A link is on its way to ADDRESS." in taken
    [told] = _bodies(app, other_user.email)
    assert "has an account already" in told and "/auth/email/confirm/" not in told
    assert "/auth/email/confirm/" in _bodies(app, "free@example.com")[0]


def test_a_wrong_password_is_all_the_email_form_says_of_a_taken_address(app, user_client, other_user):
    taken = _answer(user_client, "/auth/email", other_user.email, password="wrong-password")
    free = _answer(user_client, "/auth/email", "free@example.com", password="wrong-password")
    assert taken == free and "That is not your current password." in taken
    assert "Another account" not in taken
    assert mails_to(app, other_user.email) == []


def test_asks_for_a_taken_address_count_against_the_daily_email_change_limit(app, user_client, other_user):
    app.config["EMAIL_CHANGE_RATE_LIMIT"] = "2 per day"
    for _ in range(2):
        assert user_client.post("/auth/email", data={"email": other_user.email, "password": PASSWORD}).status_code == 303
    refused = user_client.post("/auth/email", data={"email": "free@example.com", "password": PASSWORD})
    assert refused.status_code == 429 and "You asked for several new emails today." in refused.get_data(as_text=True)
    assert len(mails_to(app, other_user.email)) == 2 and mails_to(app, "free@example.com") == []


def _median_seconds(app, path: str, data_for, tries: int = 15) -> tuple[float, float]:
    """Medians of posting `data_for(kind, n)` for the known and the unknown address, taken
    in turn, each by a new visitor from its own connection (whatever one post did, such as
    logging in, and the per-address limits stay out of the next)."""
    spent = {"known": [], "unknown": []}
    for n in range(-1, tries):  # the first round warms up
        for kind in spent:
            visitor = app.test_client()
            visitor.csrf_token()
            started = time.perf_counter()
            visitor.post(path, data=data_for(kind, n), environ_base={"REMOTE_ADDR": f"10.{len(kind)}.{n % 250}.1"})
            if n >= 0:
                spent[kind].append(time.perf_counter() - started)
    return statistics.median(spent["known"]), statistics.median(spent["unknown"])


def _within(known: float, unknown: float, factor: float = 1.5) -> bool:
    return known / factor < unknown < known * factor


def test_forgot_password_takes_as_long_for_an_address_without_an_account(app, user):
    app.config["RESET_MAIL_RATE_LIMIT"] = "1000 per hour"  # the timing, not the limit
    known, unknown = _median_seconds(
        app, "/auth/password/forgot",
        lambda kind, n: {"email": user.email if kind == "known" else f"nobody{n}@example.com"})
    assert _within(known, unknown), (known, unknown)


def test_register_takes_as_long_for_an_address_with_an_account(app, user):
    app.config["REGISTER_MAIL_RATE_LIMIT"] = "1000 per hour"
    known, unknown = _median_seconds(
        app, "/auth/register",
        lambda kind, n: {"email": user.email if kind == "known" else f"nobody{n}@example.com", **OLD_FORM})
    assert _within(known, unknown), (known, unknown)


def test_login_takes_as_long_for_an_unknown_email_as_for_a_wrong_password(app, user):
    """(Its words are the same too: tests/test_auth.py.) A stand-in hash is checked."""
    known, unknown = _median_seconds(
        app, "/auth/login",
        lambda kind, n: {"email": user.email if kind == "known" else f"nobody{n}@example.com", "password": "wrong-password"})
    assert _within(known, unknown), (known, unknown)


def test_reset_mails_to_one_address_stop_at_the_limit_and_the_answer_stays_the_same(app, client, user):
    app.config["RESET_MAIL_RATE_LIMIT"] = "3 per hour"
    # From ten connections, as in the probe: the limit is the target's, not the sender's.
    answers = {_answer(client, "/auth/password/forgot", user.email, remote_address=f"10.0.0.{n}") for n in range(10)}
    assert len(answers) == 1
    assert len(mails_to(app, user.email)) == 3
    # Another address is not held up by it.
    client.post("/auth/password/forgot", data={"email": "other@example.com"})
    assert len(mails_to(app, "other@example.com")) == 1


def test_register_mails_to_one_address_stop_at_the_limit(app, client):
    app.config["REGISTER_MAIL_RATE_LIMIT"] = "3 per hour"
    for n in range(5):
        response = client.post("/auth/register", data={"email": "nadia@example.com"}, environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        assert response.status_code == 303
    assert len(mails_to(app, "nadia@example.com")) == 3


def test_new_accounts_from_one_address_stop_at_the_days_limit_with_the_form_kept(app, client):
    app.config["ACCOUNTS_PER_ADDRESS_LIMIT"] = "3 per day"
    for n in range(4):  # links asked for while the day's accounts were not yet made
        assert client.post("/auth/register", data={"email": f"new{n}@example.com"}).status_code == 303
    for n in range(3):
        made = client.post(finish_link(app, f"new{n}@example.com"),
                           data={"display_name": f"New {n}", "password": "s3cret-pass", "password2": "s3cret-pass"})
        assert made.status_code == 303
        client.post("/auth/logout")
    refused = client.post(finish_link(app, "new3@example.com"),
                          data={"display_name": "Fourth", "password": "s3cret-pass", "password2": "s3cret-pass"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and "Many accounts were made from this connection today." in page
    assert 'value="Fourth"' in page and "s3cret-pass" not in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 3
    # Asked for now, no link is mailed that would lead nowhere: the form says so at once.
    asked = client.post("/auth/register", data={"email": "fifth@example.com"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 429 and "Many accounts were made from this connection today." in page
    assert 'value="fifth@example.com"' in page and mails_to(app, "fifth@example.com") == []
    # Another connection (another person) still can.
    other = register(client, email="sixth@example.com", display_name="Sixth", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 303
