"""Readers reporting comments, and the moderation queue built from their reports."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Comment, Report, User, utcnow

OTHER = "other"
REASONS = {
    "spam": _l("Spam or advertising"),
    "abuse": _l("Abuse or harassment"),
    "wrong": _l("Wrong information"),
    OTHER: _l("Something else"),
}
# Not offered to readers: the author of a hidden comment asking the moderators to look again.
REVIEW = "review"
QUEUE_LIMIT = 50


def describe_reason(code: str) -> str:
    if code == REVIEW:
        return str(_l("its author asks to look again"))
    return str(REASONS.get(code, code))


def report_refusal(reporter: User) -> str | None:
    """Why this member may not report now, or None: a suspended member may not."""
    if not reporter.is_suspended():
        return None
    if reporter.suspension_reason:
        return _("You cannot report comments at the moment: %(reason)s", reason=reporter.suspension_reason)
    return _("You cannot report comments at the moment.")


def has_reported(comment: Comment, reporter: User) -> bool:
    return db.session.scalar(
        sa.select(sa.exists().where(Report.comment_id == comment.id, Report.reporter_id == reporter.id))
    )


def file_report(comment: Comment, reporter: User, reason: str, details: str) -> bool:
    """Store a report, flushed (no commit); False when this reader had already reported
    the comment.

    A second click racing the first is caught only by the unique constraint, so the insert
    is flushed in a savepoint: losing the race undoes it alone, not the caller's transaction.
    """
    if has_reported(comment, reporter):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Report(comment_id=comment.id, reporter_id=reporter.id, reason=reason, details=details))
    except IntegrityError:
        return False
    return True


def resolve_reports(comment: Comment, moderator: User) -> None:
    """Close the comment's open reports: a moderator has acted on it (no commit)."""
    db.session.execute(
        sa.update(Report)
        .where(Report.comment_id == comment.id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=moderator.id)
        .execution_options(synchronize_session=False)
    )


@dataclass
class ReportedComment:
    """A comment in the queue with its open reports, newest first."""

    comment: Comment
    reports: list[Report] = field(default_factory=list)


def reported_comments() -> list[ReportedComment]:
    """Comments with open reports, the most recently reported first, in one query."""
    reports = db.session.scalars(
        sa.select(Report)
        .join(Report.comment)
        .where(Report.resolved_at.is_(None), Comment.deleted_at.is_(None))
        .options(
            so.joinedload(Report.reporter),
            so.joinedload(Report.comment).joinedload(Comment.author),
            so.joinedload(Report.comment).joinedload(Comment.role),
        )
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(QUEUE_LIMIT * 5)
    ).all()
    grouped: dict[int, ReportedComment] = {}
    for report in reports:
        grouped.setdefault(report.comment_id, ReportedComment(report.comment)).reports.append(report)
    return list(grouped.values())[:QUEUE_LIMIT]


def _comments_with_author_and_role() -> sa.Select:
    return sa.select(Comment).options(so.joinedload(Comment.author), so.joinedload(Comment.role))


def held_comments() -> list[Comment]:
    """Comments waiting for approval, the longest waiting first."""
    return db.session.scalars(
        _comments_with_author_and_role()
        .where(Comment.held_reason.is_not(None), Comment.deleted_at.is_(None))
        .order_by(Comment.created_at, Comment.id)
        .limit(QUEUE_LIMIT)
    ).all()


def recent_comments(author: User | None = None) -> list[Comment]:
    """The latest comments across all role pages (or by one author), newest first."""
    query = _comments_with_author_and_role().where(Comment.deleted_at.is_(None))
    if author is not None:
        query = query.where(Comment.author_id == author.id)
    return db.session.scalars(query.order_by(Comment.created_at.desc(), Comment.id.desc()).limit(QUEUE_LIMIT)).all()
