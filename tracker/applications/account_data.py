"""A member's applications when they take their data out or delete their account
(auth's account signals)."""
import sqlalchemy as sa
import sqlalchemy.orm as so

from ..auth.accounts import as_json
from ..auth.signals import account_deleting, account_exporting
from ..extensions import db
from ..models import Application, ImportJob
from .export import applications_csv
from ..versions import touch_threads


@account_deleting.connect
def _delete_applications(sender, user, **extra):
    # The roles they tracked count one member fewer (a statement passes the flush by).
    touch_threads(db.session, sa.select(Application.role_id).where(Application.user_id == user.id).scalar_subquery())
    # Their history, interviews and preparation go with them (ON DELETE CASCADE).
    db.session.execute(sa.delete(Application).where(Application.user_id == user.id))
    # A file not yet imported holds applications too.
    db.session.execute(sa.delete(ImportJob).where(ImportJob.user_id == user.id))


@account_exporting.connect
def _export_applications(sender, user, **extra):
    applications = db.session.scalars(
        sa.select(Application)
        .where(Application.user_id == user.id)
        .options(so.joinedload(Application.role), so.selectinload(Application.status_changes),
                 so.selectinload(Application.interviews), so.selectinload(Application.prepared_skills))
        .order_by(Application.id)
    )
    data = [
        {
            "id": application.id,
            "title": application.title,
            "role_slug": application.role.slug if application.role else None,
            "organisation": application.organisation,
            "link": application.link,
            "district": application.district,
            "source": application.source,
            "pay_min": application.pay_min,
            "pay_max": application.pay_max,
            # Set while this offer's pay counts, anonymously, among its role's shared offers.
            "pay_shared_at": application.pay_shared_at,
            "deadline": application.deadline,
            "attempt": application.attempt,
            "status": application.status,
            "applied_on": application.applied_on,
            "next_step": application.next_step,
            "next_step_on": application.next_step_on,
            "follow_up_on": application.follow_up_on,
            "notes": application.notes,
            "created_at": application.created_at,
            "last_changed_at": application.last_changed_at,
            "history": [
                {"from": change.from_status, "to": change.to_status, "at": change.changed_at, "note": change.note}
                for change in application.status_changes
            ],
            "prepared_skills": [prepared.skill for prepared in application.prepared_skills],
            "interviews": [
                {"at": interview.scheduled_at, "kind": interview.kind, "outcome": interview.outcome,
                 "notes": interview.notes}
                for interview in application.interviews
            ],
        }
        for application in applications
    ]
    return {"applications.json": as_json(data), "applications.csv": applications_csv(user.id)}
