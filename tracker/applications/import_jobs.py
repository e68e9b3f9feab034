"""CSV imports too long for their request (more than IMPORT_JOB_ROWS applications), run
as jobs the way mail is sent (tracker/mail.py): the file is kept in `import_jobs` and
imported by RQ (`rq worker imports`) when IMPORT_RQ_URL is set, by `flask --app tracker
imports run --watch` otherwise, and on a laptop straight after the request. A job checks
the whole file (its progress kept for the import page), then writes every application
and marks itself done in one transaction: a job that stops halfway has imported nothing,
and is taken up again."""
import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from ..extensions import db
from ..models import ImportJob, utcnow
from .importing import ImportRefused, import_rows, read_csv

logger = logging.getLogger("tracker.imports")
RQ_QUEUE = "imports"
# Far longer than a job of IMPORT_MAX_ROWS takes: one running longer died, and is run again.
STALE_AFTER = timedelta(minutes=10)
WAITING, RUNNING, DONE, REFUSED = "waiting", "running", "done", "refused"


def start(user_id: int, text: str, rows: int, skip_tracked: bool = False) -> ImportJob:
    """Keep the file as a job to import (added and flushed, no commit; `dispatch` it after)."""
    job = ImportJob(user_id=user_id, text=text, rows=rows, skip_tracked=skip_tracked, language=str(get_locale()))
    db.session.add(job)
    db.session.flush()
    return job


def dispatch(job: ImportJob) -> None:
    """Have the committed job run: queued for RQ with IMPORT_RQ_URL, else on a laptop
    straight after this request; in production without RQ `flask imports run --watch` takes it."""
    config = current_app.config
    if config["IMPORT_RQ_URL"]:
        try:
            connection = Redis.from_url(config["IMPORT_RQ_URL"], socket_connect_timeout=1, socket_timeout=1)
            Queue(RQ_QUEUE, connection=connection).enqueue(
                "tracker.jobs.run_import", job.id, job_timeout=int(STALE_AFTER.total_seconds())
            )
        except RedisError as problem:
            logger.warning("import %s left for `flask imports run`: %s", job.id, problem)
    elif config["ENVIRONMENT"] != "production":
        g.import_after_request = job.id


def get_own_job_or_404(job_id: int, user_id: int) -> ImportJob:
    """The user's import job with this id, or 404 for anyone else's or a missing one."""
    return db.first_or_404(sa.select(ImportJob).where(ImportJob.id == job_id, ImportJob.user_id == user_id))


def unfinished(user_id: int) -> list[ImportJob]:
    """The user's jobs not yet ended, oldest first."""
    return list(db.session.scalars(
        sa.select(ImportJob)
        .where(ImportJob.user_id == user_id, ImportJob.state.in_((WAITING, RUNNING)))
        .order_by(ImportJob.id)
    ))


def _claimable() -> sa.ColumnElement[bool]:
    """Waiting, or running in a process that died (no job takes STALE_AFTER)."""
    died = (ImportJob.state == RUNNING) & (ImportJob.started_at < utcnow() - STALE_AFTER)
    return (ImportJob.state == WAITING) | died


def _claim(job_id: int) -> bool:
    """Take the job for this process, unless another has it (committed)."""
    claimed = db.session.execute(
        sa.update(ImportJob)
        .where(ImportJob.id == job_id, _claimable())
        .values(state=RUNNING, started_at=utcnow(), checked=0)
    ).rowcount
    db.session.commit()
    return claimed == 1


def run(job_id: int) -> bool:
    """Import the job's file if no other process has it; False if one had. Commits."""
    if not _claim(job_id):
        return False
    job = db.session.get(ImportJob, job_id)

    def checked(count: int) -> None:
        job.checked = count
        db.session.commit()  # nothing is written yet: the page can show how far it has got

    with force_locale(job.language):
        try:
            _added, job.skipped = import_rows(job.user_id, read_csv(job.text, checked), job.skip_tracked)
        except ImportRefused as refused:
            db.session.rollback()
            job.state, job.errors = REFUSED, "\n".join(refused.errors)
        except sa.exc.IntegrityError:  # one of them was added meanwhile, by a form or another import
            db.session.rollback()
            job.state = REFUSED
            job.errors = _("Some of these applications were added meanwhile: import the file again.")
        else:
            job.state = DONE
    job.checked, job.text, job.finished_at = job.rows, "", utcnow()
    db.session.commit()
    return True


def run_after_request() -> None:
    """Run the job `dispatch` left for the end of this request, if any; if the database
    fails it, leave it to `flask imports run`."""
    job_id = g.pop("import_after_request", None)
    if job_id is None:
        return
    try:
        run(job_id)
    except sa.exc.SQLAlchemyError as problem:
        db.session.rollback()
        logger.warning("import %s left for `flask imports run`: %s", job_id, problem)


def run_waiting() -> int:
    """Run every job waiting, and those of a process that died, oldest first; return how
    many this process ran."""
    waiting = list(db.session.scalars(sa.select(ImportJob.id).where(_claimable()).order_by(ImportJob.id)))
    return sum(run(job_id) for job_id in waiting)
