"""Jobs RQ runs (`rq worker mail`), each in an app made from the environment."""
from flask import has_app_context

from .mail import send_and_commit


def deliver_mail() -> None:
    """Send what is due in the outbox: queued by a request that wrote mails (tracker/mail.py)."""
    if has_app_context():  # run inside an app it was given (the tests)
        send_and_commit()
        return
    from . import create_app

    with create_app().app_context():
        send_and_commit()
