"""Jobs RQ runs (`rq worker mail imports`), each in an app made from the environment."""
from flask import has_app_context

from .applications import import_jobs
from .mail import send_and_commit


def _in_app(work) -> None:
    if has_app_context():  # run inside an app it was given (the tests)
        work()
        return
    from . import create_app

    with create_app().app_context():
        work()


def deliver_mail() -> None:
    """Send what is due in the outbox: queued by a request that wrote mails (tracker/mail.py)."""
    _in_app(send_and_commit)


def run_import(job_id: int) -> None:
    """Import a long CSV file kept as a job: queued by the request that sent it (applications/import_jobs.py)."""
    _in_app(lambda: import_jobs.run(job_id))
