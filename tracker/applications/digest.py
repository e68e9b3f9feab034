"""The weekly mail of a member's coming interviews and deadlines, for those who asked."""
from datetime import timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..auth.mail_choices import mail_if_chosen
from ..extensions import db
from ..models import Application, Interview, User, utcnow
from . import stages
from .tracking import local_today

DIGEST_DAYS = 7


def _coming(user: User, now, today, until) -> tuple[list[Interview], list[Application]]:
    interviews = db.session.scalars(
        sa.select(Interview)
        .join(Interview.application)
        .where(Application.user_id == user.id, Application.status.in_(stages.OPEN),
               Interview.scheduled_at >= now, Interview.scheduled_at < now + timedelta(days=DIGEST_DAYS))
        .options(so.joinedload(Interview.application))
        .order_by(Interview.scheduled_at)
    ).all()
    deadlines = db.session.scalars(
        sa.select(Application)
        .where(Application.user_id == user.id, Application.status.in_(stages.OPEN),
               # A follow-up whose day has passed is still owed: it stays in the digest until done.
               sa.or_(Application.next_step_on.between(today, until), Application.follow_up_on <= until,
                      sa.and_(Application.status == stages.SAVED, Application.deadline.between(today, until))))
        .order_by(sa.func.coalesce(Application.deadline, Application.next_step_on, Application.follow_up_on),
                  Application.id)
    ).all()
    return interviews, deadlines


def queue_digests() -> int:
    """Queue the digest to every member who asked for it, has something coming in the
    next week and was sent none in the last week; return how many (added, no commit)."""
    now, today = utcnow(), local_today()
    until = today + timedelta(days=DIGEST_DAYS - 1)
    queued = 0
    not_this_week = sa.or_(User.digest_queued_on.is_(None), User.digest_queued_on <= today - timedelta(days=DIGEST_DAYS))
    for user in db.session.scalars(
        sa.select(User).where(User.email_digest, User.deleted_at.is_(None), not_this_week).order_by(User.id)
    ):
        interviews, deadlines = _coming(user, now, today, until)
        if interviews or deadlines:
            mail_if_chosen(user, "digest", "digest", interviews=interviews, deadlines=deadlines, today=today, until=until)
            user.digest_queued_on = today
            queued += 1
    return queued
