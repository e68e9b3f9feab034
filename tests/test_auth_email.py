"""Changing an account's email: asked for with the password, done from the link mailed to
the new address (over a real SMTP server), told to the address it leaves."""
import re
import time
from functools import partial

import sqlalchemy as sa
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from tracker.auth.links import link_fingerprint
from tracker.extensions import db
from tracker.mail import queue_mail
from tracker.models import OutboxMail, User

from .conftest import PASSWORD, at_once, send_mail

NEW_EMAIL = "asha.new@example.com"
LINK = re.compile(r"http://\S+(/auth/email/confirm/\S+)")


def _email_of(app, user) -> str:
    with app.app_context():
        return db.session.get(User, user.id).email


def _mails(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(mail.to_address, mail.subject) for mail in db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id))]


def _ask(user_client, runner, mailbox, email=NEW_EMAIL) -> str:
    """Ask for `email` on the email page; return the path of the link mailed there."""
    response = user_client.post("/auth/email", data={"email": email, "password": PASSWORD}, follow_redirects=True)
    assert f"A link is on its way to {email}" in response.get_data(as_text=True)
    send_mail(runner)
    [message] = mailbox.to(email)
    assert message["Subject"] == "Confirm your new email"
    return LINK.search(message.get_content()).group(1)


def test_the_profile_links_to_the_email_page_which_names_the_current_email(user_client, user):
    assert 'href="/auth/email"' in user_client.get("/auth/profile").get_data(as_text=True)
    page = user_client.get("/auth/email").get_data(as_text=True)
    assert f"Your account uses {user.email} now." in page


def test_the_account_moves_to_the_new_email_only_once_its_link_is_opened(app, user_client, client, runner, mailbox, user):
    path = _ask(user_client, runner, mailbox)
    assert _email_of(app, user) == user.email  # not yet: the address may be mistyped

    page = client.get(path).get_data(as_text=True)  # opened in the mail program's browser, not logged in
    assert f"Move the account of <bdi>Asha</bdi> to {NEW_EMAIL}?" in page
    assert _email_of(app, user) == user.email  # opening the link changes nothing; the button does
    response = client.post(path)
    assert response.status_code == 303 and response.headers["Location"] == "/auth/login"
    assert _email_of(app, user) == NEW_EMAIL
    # The login form it lands on holds the new address, once, and the password box has the focus.
    login_page = client.get("/auth/login").get_data(as_text=True)
    assert f'value="{NEW_EMAIL}"' in login_page
    assert re.search(r'<input [^>]*autofocus[^>]* name="password"', login_page)
    assert NEW_EMAIL not in client.get("/auth/login").get_data(as_text=True)

    send_mail(runner)
    [notice] = mailbox.to(user.email)
    assert notice["Subject"] == "Your account's email was changed"
    # Masked: the address left behind may be a stranger's (a typo made when registering).
    assert "Your account now uses as***@example.com" in notice.get_content() and NEW_EMAIL not in notice.get_content()
    # The new address logs in; the old one no longer does.
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert client.post("/auth/login", data={"email": NEW_EMAIL, "password": PASSWORD}).status_code == 303
    again = client.get(path, follow_redirects=True).get_data(as_text=True)
    assert "That link has expired or was used already." in again


def test_a_logged_in_member_confirming_is_back_on_their_profile_with_the_new_email(app, user_client, runner, mailbox, user):
    path = _ask(user_client, runner, mailbox)
    page = user_client.post(path, follow_redirects=True).get_data(as_text=True)
    assert f"Your account now uses {NEW_EMAIL}." in page
    assert f"Sent to {NEW_EMAIL} only if you tick them" in page


def test_the_email_form_says_what_is_wrong_beside_the_field_and_keeps_what_was_typed(app, user_client, user):
    cases = {
        ("not-an-email", PASSWORD): "That does not look like an email address; check for typos.",
        (user.email, PASSWORD): "That is the email your account has now.",
        (NEW_EMAIL, "wrong password"): "That is not your current password.",
        (NEW_EMAIL, ""): "Enter your password to change the email.",
    }
    for (email, password), message in cases.items():
        response = user_client.post("/auth/email", data={"email": email, "password": password})
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and message in page, (email, password)
        assert f'value="{email.lower()}"' in page  # what was typed is still there
        assert not password or password not in page  # but never a password
    assert _mails(app) == [] and _email_of(app, user) == user.email


def test_an_address_another_account_took_meanwhile_is_refused_and_nothing_changes(app, user_client, client, runner, mailbox, user, make_user):
    path = _ask(user_client, runner, mailbox)
    make_user(email=NEW_EMAIL, display_name="Someone else")
    response = client.post(path)
    assert response.status_code == 409
    assert "Another account uses this email. Your account keeps the email it has." in response.get_data(as_text=True)
    assert _email_of(app, user) == user.email
    assert [to for to, _ in _mails(app)] == [NEW_EMAIL]  # no notice of a change that did not happen


def test_a_link_older_than_a_day_or_not_ours_does_nothing(app, client, user):
    class ADayAgo(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - 24 * 3600 - 1

    with app.test_request_context():
        old = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="email-change", signer=ADayAgo)
        token = old.dumps({"user": user.id, "to": NEW_EMAIL, "account": link_fingerprint(db.session.get(User, user.id))})
    for path in (f"/auth/email/confirm/{token}", "/auth/email/confirm/not-a-token"):
        assert "That link has expired or was used already." in client.post(path, follow_redirects=True).get_data(as_text=True)
    assert _email_of(app, user) == user.email


def test_a_link_asked_for_before_another_change_no_longer_works(app, user_client, client, runner, mailbox, user):
    first = _ask(user_client, runner, mailbox, "first@example.com")
    second = _ask(user_client, runner, mailbox, "second@example.com")
    assert client.post(second).status_code == 303
    assert "That link has expired or was used already." in client.post(first, follow_redirects=True).get_data(as_text=True)
    assert _email_of(app, user) == "second@example.com"


def test_confirming_while_someone_else_is_logged_in_here_does_not_land_on_their_profile(app, user_client, other_client, runner, mailbox, user):
    path = _ask(user_client, runner, mailbox)
    response = other_client.post(path)
    assert response.status_code == 303 and response.headers["Location"] == "/auth/login"
    assert _email_of(app, user) == NEW_EMAIL


def test_a_password_reset_mailed_to_the_old_address_ends_with_the_change(app, user_client, client, runner, mailbox, user):
    client.post("/auth/password/forgot", data={"email": user.email})
    send_mail(runner)
    [reset] = mailbox.to(user.email)
    reset_path = re.search(r"http://\S+(/auth/password/reset/\S+)", reset.get_content()).group(1)
    assert client.post(_ask(user_client, runner, mailbox)).status_code == 303
    page = client.get(reset_path, follow_redirects=True).get_data(as_text=True)
    assert "That link has expired or was used already." in page  # whoever reads the old mailbox cannot take the account


def test_a_link_works_once_even_when_the_account_moves_back(app, user_client, client, runner, mailbox, user):
    away = _ask(user_client, runner, mailbox, "away@example.com")
    assert client.post(away).status_code == 303
    user_client.post("/auth/email", data={"email": user.email, "password": PASSWORD})
    send_mail(runner)
    back = LINK.search(mailbox.to(user.email)[-1].get_content()).group(1)
    assert client.post(back).status_code == 303 and _email_of(app, user) == user.email
    assert "That link has expired or was used already." in client.post(away, follow_redirects=True).get_data(as_text=True)
    assert _email_of(app, user) == user.email


MOVED, SPENT = "Your account now uses", "That link has expired or was used already."


def _confirmed_at_once(app, *paths) -> list[str]:
    """Press the button of each of `paths` in a browser of its own (logged out), all at
    once: what each says next (MOVED or SPENT)."""
    browsers = [app.test_client() for _ in paths]
    presses = [partial(browser.post, path) for browser, path in zip(browsers, paths)]
    pages = [
        browser.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
        for browser, response in zip(browsers, at_once(app, *presses, writing="UPDATE users"))
    ]
    return [" and ".join(said for said in (MOVED, SPENT) if said in page) for page in pages]


def _changes(app, user) -> int:
    with app.app_context():
        return db.session.get(User, user.id).email_changes


def test_one_link_confirmed_twice_at_once_moves_the_account_once_and_tells_the_old_address_once(
    app, user_client, runner, mailbox, user
):
    path = _ask(user_client, runner, mailbox)
    # A double tap, or a mail program's link checker opening it as the owner does.
    assert sorted(_confirmed_at_once(app, path, path)) == sorted([MOVED, SPENT])
    assert _email_of(app, user) == NEW_EMAIL and _changes(app, user) == 1
    assert _mails(app) == [(NEW_EMAIL, "Confirm your new email"), (user.email, "Your account's email was changed")]


def test_two_links_of_one_account_confirmed_at_once_move_it_once(app, user_client, runner, mailbox, user):
    links = {address: _ask(user_client, runner, mailbox, address) for address in ("first@example.com", "second@example.com")}
    said = dict(zip(links, _confirmed_at_once(app, *links.values())))
    [moved_to] = [address for address, page in said.items() if page == MOVED]
    [refused] = [address for address, page in said.items() if page == SPENT]
    assert _email_of(app, user) == moved_to and _changes(app, user) == 1
    # One notice, to the address the account left; the other link is spent.
    assert [to for to, subject in _mails(app) if subject == "Your account's email was changed"] == [user.email]
    assert SPENT in app.test_client().post(links[refused], follow_redirects=True).get_data(as_text=True)
    assert _email_of(app, user) == moved_to


def test_a_new_password_ends_a_pending_change(app, user_client, client, runner, mailbox, user):
    path = _ask(user_client, runner, mailbox)
    new_password = {"current_password": PASSWORD, "password": "another long password", "password2": "another long password"}
    assert user_client.post("/auth/password", data=new_password).status_code == 303
    assert "That link has expired or was used already." in client.post(path, follow_redirects=True).get_data(as_text=True)
    assert _email_of(app, user) == user.email


def test_a_deleted_account_cannot_be_moved(app, user_client, client, runner, mailbox, user):
    path = _ask(user_client, runner, mailbox)
    user_client.post("/auth/account/delete", data={"password": PASSWORD, "understood": "y"})
    assert "That link has expired or was used already." in client.post(path, follow_redirects=True).get_data(as_text=True)


def test_mails_not_yet_sent_follow_the_account_to_its_new_address(app, user_client, client, runner, mailbox, user):
    path = _ask(user_client, runner, mailbox)
    with app.test_request_context():
        queue_mail(db.session.get(User, user.id), "password_changed", link="http://x/")
        db.session.commit()
    client.post(path)
    send_mail(runner)
    assert [m["Subject"] for m in mailbox.to(NEW_EMAIL)] == ["Confirm your new email", "Your password was changed"]
    assert [m["Subject"] for m in mailbox.to(user.email)] == ["Your account's email was changed"]


def test_a_member_gets_a_few_links_a_day_and_then_is_told_so_with_the_form_kept(app, user_client, user):
    app.config["EMAIL_CHANGE_RATE_LIMIT"] = "2 per day"
    for _ in range(3):  # forms sent back mail nothing, and are not counted
        assert user_client.post("/auth/email", data={"email": "n0@example.com", "password": "mistyped"}).status_code == 200
    for number in range(2):
        assert user_client.post("/auth/email", data={"email": f"n{number}@example.com", "password": PASSWORD}).status_code == 303
    refused = user_client.post("/auth/email", data={"email": "third@example.com", "password": PASSWORD})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and "You asked for several new emails today." in page
    assert 'value="third@example.com"' in page
    assert [to for to, _ in _mails(app)] == ["n0@example.com", "n1@example.com"]


def test_the_mails_are_in_the_members_language(app, user_client, client, runner, mailbox, user):
    with app.app_context():
        db.session.get(User, user.id).preferred_language = "bn"
        db.session.commit()
    client.post(_ask_in_bengali(user_client, runner, mailbox))
    send_mail(runner)
    [notice] = mailbox.to(user.email)
    assert notice["Subject"] == "আপনার অ্যাকাউন্টের ইমেইল বদলানো হয়েছে"
    assert "প্রিয় Asha," in notice.get_content()


def _ask_in_bengali(user_client, runner, mailbox) -> str:
    assert user_client.post("/auth/email", data={"email": NEW_EMAIL, "password": PASSWORD}).status_code == 303
    send_mail(runner)
    [message] = mailbox.to(NEW_EMAIL)
    assert message["Subject"] == "নতুন ইমেইল নিশ্চিত করুন"
    return LINK.search(message.get_content()).group(1)
