"""Helpers shared by the moderation tests: reading the audit log and comments' states
straight from the database, and a comment held for review."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import AuditEntry, Comment, Report, User, utcnow


def audit_rows(app) -> list[tuple]:
    """(action, moderator id, comment id, target user id, role id, reason) of every entry, oldest first."""
    with app.app_context():
        return [
            (e.action, e.moderator_id, e.comment_id, e.target_user_id, e.role_id, e.reason)
            for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))
        ]


def open_reports(app, comment_id) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).where(Report.comment_id == comment_id, Report.resolved_at.is_(None))
        )


def set_comment(app, comment_id, **values) -> None:
    with app.app_context():
        db.session.execute(sa.update(Comment).where(Comment.id == comment_id).values(**values))
        db.session.commit()


def age_account(app, person, days=30) -> None:
    """Make an account old, so the new-account hold rule leaves it alone."""
    with app.app_context():
        db.session.get(User, person.id).created_at = utcnow() - timedelta(days=days)
        db.session.commit()


def add_report(app, comment_id, reporter, reason="spam", details="") -> None:
    with app.app_context():
        db.session.add(Report(comment_id=comment_id, reporter_id=reporter.id, reason=reason, details=details))
        db.session.commit()


@pytest.fixture
def held(app, role, user, add_comment):
    """A comment by Asha held for review because it has several links."""
    comment_id = add_comment(role, user, "Apply at https://a.example and https://b.example")
    set_comment(app, comment_id, held_reason="links")
    return comment_id
