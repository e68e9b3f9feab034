"""Mail through the outbox to a real SMTP server, a password reset by a mailed link, a
password change."""
import logging
import re
import shutil
import subprocess
import time
from functools import partial

import pytest
import sqlalchemy as sa
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker

from tracker.auth.links import link_fingerprint
from tracker.extensions import db
from tracker.mail import queue_mail
from tracker.models import OutboxMail, User, UserSession

from .conftest import PASSWORD, at_once, free_port, send_mail

NEW_PASSWORD = "a new long password"
LINK = re.compile(r"http://\S+/auth/password/reset/\S+")


def _outbox(app) -> list[OutboxMail]:
    with app.app_context():
        return list(db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)))


def _queue_reset_mail(app, user) -> None:
    with app.test_request_context():
        queue_mail(db.session.get(User, user.id), "password_reset", link="http://x/auth/password/reset/t", hours=1)
        db.session.commit()


def test_a_queued_mail_waits_in_the_outbox_until_the_worker_sends_it_over_smtp(app, runner, mailbox, user):
    _queue_reset_mail(app, user)
    assert mailbox.messages == [] and _outbox(app)[0].sent_at is None
    assert "sent 1 mails, 0 failed" in send_mail(runner)
    [message] = mailbox.to(user.email)
    assert message["Subject"] == "Choose a new password"
    assert "Hello Asha," in message.get_content()
    assert _outbox(app)[0].sent_at is not None
    assert "sent 0 mails" in send_mail(runner)  # never twice
    assert len(mailbox.messages) == 1


def test_a_mail_that_cannot_be_sent_stays_and_is_sent_on_a_later_try(app, runner, smtp_server, user):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nothing listens there
    _queue_reset_mail(app, user)
    assert "sent 0 mails, 1 failed" in send_mail(runner)
    [mail] = _outbox(app)
    assert mail.sent_at is None and mail.attempts == 1 and "Connection" in mail.last_error
    assert "sent 0 mails, 0 failed" in send_mail(runner)  # not due yet
    app.config.update(MAIL_PORT=smtp_server.port)
    with app.app_context():
        db.session.execute(sa.update(OutboxMail).values(next_attempt_at=mail.created_at))
        db.session.commit()
    assert "sent 1 mails" in send_mail(runner)
    assert len(smtp_server.to(user.email)) == 1


def test_without_a_mail_server_mails_are_written_to_the_log_after_the_request(app, client, user, caplog):
    with caplog.at_level(logging.INFO, logger="tracker.mail"):
        client.post("/auth/password/forgot", data={"email": user.email})
    assert "Choose a new password" in caplog.text and user.email in caplog.text
    assert LINK.search(caplog.text)
    assert _outbox(app)[0].sent_at is not None


def test_a_mail_is_in_the_accounts_language(app, runner, mailbox, user):
    with app.app_context():
        db.session.get(User, user.id).preferred_language = "bn"
        db.session.commit()
    _queue_reset_mail(app, user)
    send_mail(runner)
    [message] = mailbox.to(user.email)
    assert message["Subject"] == "নতুন পাসওয়ার্ড বেছে নিন"


def _reset_link(mailbox, address) -> str:
    [message] = mailbox.to(address)
    return LINK.search(message.get_content()).group(0).split("127.0.0.1", 1)[-1].removeprefix("localhost")


def _path(link: str) -> str:
    return "/auth/" + link.split("/auth/", 1)[1]


def _ask_for_reset(client, runner, mailbox, email) -> str:
    response = client.post("/auth/password/forgot", data={"email": email})
    assert response.status_code == 303
    send_mail(runner)
    [message] = mailbox.to(email)
    return _path(LINK.search(message.get_content()).group(0))


def test_the_reset_request_answers_the_same_with_or_without_an_account(app, client, runner, mailbox, user):
    known = client.post("/auth/password/forgot", data={"email": user.email}, follow_redirects=True)
    unknown = client.post("/auth/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True)
    say = re.compile(r'<p class="flash[^"]*">If an account uses [^ ]+, (.*?)</p>')
    assert say.search(known.get_data(as_text=True)).group(1) == say.search(unknown.get_data(as_text=True)).group(1)
    send_mail(runner)
    # Each is mailed what it needs: a link, or word that the address has no account.
    assert [(m["To"], m["Subject"]) for m in mailbox.messages] == [
        (user.email, "Choose a new password"), ("nobody@example.com", "No account uses this address")]


def test_a_reset_link_sets_a_new_password_once_and_ends_every_session(app, client, runner, mailbox, user, user_client):
    path = _ask_for_reset(client, runner, mailbox, user.email)
    page = client.get(path).get_data(as_text=True)
    assert "Choose a new password" in page
    short = client.post(path, data={"password": "short", "password2": "short"}).get_data(as_text=True)
    assert "Use at least 8 characters" in short and 'value="short"' not in short
    response = client.post(path, data={"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/auth/login"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 0
    assert user_client.get("/tracker/").status_code == 302  # Asha's other browser is logged out
    client.login(user.email, NEW_PASSWORD)
    again = client.get(path, follow_redirects=True).get_data(as_text=True)
    assert "expired or was used already" in again
    send_mail(runner)
    assert [m["Subject"] for m in mailbox.to(user.email)] == ["Choose a new password", "Your password was changed"]


def test_one_reset_link_used_twice_at_once_sets_one_password(app, client, runner, mailbox, user):
    path = _ask_for_reset(client, runner, mailbox, user.email)
    passwords = ["the first new password", "the second new password"]
    browsers = [app.test_client() for _ in passwords]
    tries = [partial(browser.post, path, data={"password": new, "password2": new}) for browser, new in zip(browsers, passwords)]
    said = [
        browser.get(response.headers["Location"]).get_data(as_text=True)
        for browser, response in zip(browsers, at_once(app, *tries, writing="UPDATE users"))
    ]
    changed = ["Your password is changed" in page for page in said]
    spent = ["expired or was used already" in page for page in said]
    assert sorted(changed) == [False, True] and spent == [not done for done in changed]
    [set_password] = [new for new, done in zip(passwords, changed) if done]
    with app.app_context():
        account = db.session.get(User, user.id)
        assert [account.check_password(new) for new in passwords] == [new == set_password for new in passwords]
    assert [mail.subject for mail in _outbox(app)] == ["Choose a new password", "Your password was changed"]


def test_a_reset_link_expires_after_an_hour(app, client, user):
    class AnHourAgo(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - 3601

    with app.test_request_context():
        account = db.session.get(User, user.id)
        old = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="password-reset", signer=AnHourAgo)
        token = old.dumps({"user": user.id, "account": link_fingerprint(account)})
    page = client.get(f"/auth/password/reset/{token}", follow_redirects=True).get_data(as_text=True)
    assert "expired or was used already" in page
    forged = client.get("/auth/password/reset/not-a-token", follow_redirects=True).get_data(as_text=True)
    assert "expired or was used already" in forged


def test_changing_the_password_needs_the_current_one_ends_the_other_sessions_and_says_so_by_mail(
    app, runner, mailbox, user, user_client, client
):
    client.login(user.email)  # a second browser
    wrong = user_client.post(
        "/auth/password", data={"current_password": "not it", "password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    ).get_data(as_text=True)
    assert "That is not your current password." in wrong and NEW_PASSWORD not in wrong
    mismatch = user_client.post(
        "/auth/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD, "password2": "other one"}
    ).get_data(as_text=True)
    assert "The two passwords do not match." in mismatch
    done = user_client.post(
        "/auth/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert done.status_code == 303
    assert user_client.get("/tracker/").status_code == 200  # this browser stays
    assert client.get("/tracker/").status_code == 302  # the other is logged out
    with app.app_context():
        assert db.session.get(User, user.id).check_password(NEW_PASSWORD)
    send_mail(runner)
    [message] = mailbox.to(user.email)
    assert message["Subject"] == "Your password was changed"
    assert "/auth/password/forgot" in message.get_content()


@pytest.fixture
def redis_url(tmp_path):
    """A Redis server of this test's own, on a free port of 127.0.0.1."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    connection = Redis.from_url(url)
    for _ in range(50):
        try:
            connection.ping()
            break
        except RedisError:
            time.sleep(0.1)
    yield url
    connection.close()
    server.terminate()
    server.wait()


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
def test_with_redis_a_requests_mail_is_sent_by_an_rq_job_at_once(app, client, mailbox, user, redis_url):
    app.config["MAIL_RQ_URL"] = redis_url
    client.post("/auth/password/forgot", data={"email": user.email})
    queue = Queue("mail", connection=Redis.from_url(redis_url))
    assert queue.count == 1 and mailbox.messages == []
    with app.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert [message["Subject"] for message in mailbox.to(user.email)] == ["Choose a new password"]
    assert _outbox(app)[0].sent_at is not None
