"""Mail that never blocks a request and is never lost.

A mail is written to the outbox (OutboxMail) in the transaction of what caused it, in the
language of the account it goes to, and sent afterwards by `flask --app tracker mail send
--watch` over SMTP (MAIL_SERVER, ...). A failed send stays in the outbox and is tried
again later, longer and longer apart (at most MAIL_RETRY_MAX_SECONDS), until it goes.
Without MAIL_SERVER (a laptop) mails are written to the log instead, by the worker or
straight after the request that wrote them.
"""
import logging
import smtplib
import ssl
from contextlib import contextmanager
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, render_template
from flask_babel import force_locale, get_locale
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from .extensions import db
from .models import OutboxMail, User, utcnow

logger = logging.getLogger("tracker.mail")
ERROR_LENGTH = 500
RQ_QUEUE = "mail"


def mail_language(user: User | None) -> str:
    """The language of the account's mails: its own choice, else the page's it acted on."""
    if user is not None and user.preferred_language:
        return user.preferred_language
    return str(get_locale()) if has_request_context() else current_app.config["BABEL_DEFAULT_LOCALE"]


@contextmanager
def _in_language(language: str):
    """Render in `language`, whatever the page around is in. The template helpers remember
    their answers by the request's locale (formatting.py), looked up once into g: set it
    aside, so the mail's words are neither taken from nor left in the page's language."""
    page_locale = g.pop("reader_locale", None)
    try:
        with force_locale(language):
            yield
    finally:
        g.pop("reader_locale", None)
        if page_locale is not None:
            g.reader_locale = page_locale


def queue_mail(
    user: User | None, template: str, *, unsubscribe_url: str | None = None, to_address: str | None = None, **context
) -> OutboxMail:
    """Write the mail `mail/<template>.txt` (its subject from `<template>.subject.txt`) to
    the account's address (or `to_address`) into the outbox, in the account's language
    (added, no commit). Without an account (an address that has none, told so) it goes to
    `to_address` in the page's language."""
    with _in_language(mail_language(user)):
        context.update(user=user, unsubscribe_url=unsubscribe_url)
        subject = render_template(f"mail/{template}.subject.txt", **context)
        body = render_template(f"mail/{template}.txt", **context)
    mail = OutboxMail(
        user_id=user.id if user is not None else None,
        to_address=to_address or user.email,
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        unsubscribe_url=unsubscribe_url,
    )
    db.session.add(mail)
    g.mail_queued = True
    return mail


def _message(mail: OutboxMail, config) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = formatdate(mail.created_at.timestamp(), usegmt=True)
    message["Message-ID"] = make_msgid(idstring=f"outbox-{mail.id}")
    if mail.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.body)
    return message


@contextmanager
def _smtp(config):
    """A connection to MAIL_SERVER, logged in when MAIL_USERNAME is set."""
    timeout = config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        connection = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout,
                                      context=ssl.create_default_context())
    else:
        connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
    try:
        if config["MAIL_USE_TLS"]:
            connection.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        yield connection.send_message
    finally:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()


@contextmanager
def _log_transport(config):
    def write_to_log(message: EmailMessage) -> None:
        # As it reads, not as it travels (quoted-printable would break the links).
        headers = "".join(f"{name}: {value}\n" for name, value in message.items() if not name.startswith(("Content", "MIME")))
        logger.info("mail (no MAIL_SERVER set, so not sent)\n%s\n%s", headers, message.get_content())

    yield write_to_log


def _retry_delay(attempts: int, config) -> timedelta:
    return timedelta(seconds=min(config["MAIL_RETRY_SECONDS"] * 2 ** (attempts - 1), config["MAIL_RETRY_MAX_SECONDS"]))


def _pending(limit: int) -> list[OutboxMail]:
    query = (
        sa.select(OutboxMail)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= utcnow())
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        # Two workers never send one mail twice: each takes the rows the other has not.
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


def send_pending(limit: int = 100) -> tuple[int, int]:
    """Send the outbox's mails that are due; return (sent, failed). A failed mail is tried
    again after a delay (flushed, no commit)."""
    config = current_app.config
    mails = _pending(limit)
    if not mails:
        return 0, 0
    transport = _smtp if config["MAIL_SERVER"] else _log_transport
    failed: list[OutboxMail] = []
    try:
        with transport(config) as send:
            for mail in mails:
                try:
                    send(_message(mail, config))
                except (OSError, smtplib.SMTPException) as error:  # this address refused, say
                    _failed(mail, error, config)
                    failed.append(mail)
                else:
                    mail.sent_at = utcnow()
    except (OSError, smtplib.SMTPException) as error:  # no connection, or the login refused
        for mail in mails:
            if mail.sent_at is None and mail not in failed:
                _failed(mail, error, config)
                failed.append(mail)
    db.session.flush()
    return len(mails) - len(failed), len(failed)


def _failed(mail: OutboxMail, error: Exception, config) -> None:
    mail.attempts += 1
    mail.last_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    mail.next_attempt_at = utcnow() + _retry_delay(mail.attempts, config)
    logger.warning("mail %s to %s not sent (attempt %s): %s", mail.id, mail.to_address, mail.attempts, mail.last_error)


@sa.event.listens_for(db.session, "after_commit")
def _note_committed_mail(session):
    if has_request_context() and g.get("mail_queued"):
        g.mail_committed = True


def send_and_commit() -> None:
    """Send what is due in the outbox, and keep what became of each mail."""
    send_pending()
    db.session.commit()


def _enqueue_delivery(redis_url: str) -> None:
    # Named, not imported: the job makes the app, which imports every area (tracker/jobs.py).
    Queue(RQ_QUEUE, connection=Redis.from_url(redis_url)).enqueue("tracker.jobs.deliver_mail", job_timeout=300)


def init_app(app: Flask) -> None:
    """Once a request has committed mails: without MAIL_SERVER write them to the log; with
    MAIL_SERVER and Redis (REDIS_URL), have RQ send them now. Either way the outbox keeps
    them until sent, for `flask mail send --watch` to try again."""
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)  # a mail written to the log, and a failed send, are always said
    if app.config["ENVIRONMENT"] == "production" and not app.config["MAIL_SERVER"]:
        logger.warning("MAIL_SERVER is not set: mails, password reset links among them, go to the log, not to people")

    @app.teardown_request
    def _deliver_committed_mail(error):
        if not g.get("mail_committed"):
            return
        try:
            if not app.config["MAIL_SERVER"]:
                send_and_commit()
            elif app.config["MAIL_RQ_URL"]:
                _enqueue_delivery(app.config["MAIL_RQ_URL"])
        except (sa.exc.SQLAlchemyError, RedisError, OSError) as problem:
            db.session.rollback()
            logger.warning("mails left in the outbox for the worker: %s", problem)
