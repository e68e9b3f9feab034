"""Reading the audit log.

The log is append-only in the app: actions.py adds entries, this module reads them, and
no route or function changes or deletes one.
"""
import sqlalchemy as sa
import sqlalchemy.orm as so

from ..extensions import db
from ..models import AuditEntry, User

PER_PAGE = 50


def audit_entries(page: int, action: str | None = None, moderator_id: int | None = None):
    """One page of entries, newest first, narrowed to one action and/or one moderator."""
    query = sa.select(AuditEntry).options(
        so.joinedload(AuditEntry.moderator), so.joinedload(AuditEntry.target_user), so.joinedload(AuditEntry.role)
    )
    if action:
        query = query.where(AuditEntry.action == action)
    if moderator_id:
        query = query.where(AuditEntry.moderator_id == moderator_id)
    query = query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def entries_about(user: User, limit: int = 20) -> list[AuditEntry]:
    """The latest actions taken on a user or their comments."""
    return db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.target_user_id == user.id)
        .options(so.joinedload(AuditEntry.moderator), so.joinedload(AuditEntry.role))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    ).all()


def moderators_in_log() -> list[User]:
    """Everyone who can be picked in the log's moderator filter."""
    return db.session.scalars(
        sa.select(User)
        .where(sa.or_(User.is_moderator.is_(True), User.id.in_(sa.select(AuditEntry.moderator_id))))
        .order_by(User.display_name)
    ).all()
