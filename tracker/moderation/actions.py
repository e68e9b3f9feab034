"""What moderators do to comments, threads and accounts.

Each function changes the rows and adds the AuditEntry that records it to the same
session, so the action and its record are committed together or not at all (the caller
commits). Acting on a comment also closes its open reports. An action that would change
nothing (hiding a hidden comment, say, after a double click) records nothing.
"""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..discussion import threads
from ..discussion.notifications import mail_news_of, notify_answered
from ..extensions import db
from ..models import AuditEntry, Comment, Notification, Role, User, utcnow
from .reports import resolve_reports

HIDE = "hide"
RESTORE = "restore"
DELETE = "delete"
APPROVE = "approve"
REJECT = "reject"
MARK_ANSWER = "mark_answer"
UNMARK_ANSWER = "unmark_answer"
DISMISS_REPORTS = "dismiss_reports"
LOCK = "lock"
UNLOCK = "unlock"
SUSPEND = "suspend"
LIFT_SUSPENSION = "lift_suspension"

ACTIONS = {
    HIDE: _l("Hid a comment"),
    RESTORE: _l("Restored a comment"),
    DELETE: _l("Deleted a comment for good"),
    APPROVE: _l("Approved a held comment"),
    REJECT: _l("Rejected a held comment"),
    MARK_ANSWER: _l("Marked the answer"),
    UNMARK_ANSWER: _l("Unmarked the answer"),
    DISMISS_REPORTS: _l("Dismissed reports"),
    LOCK: _l("Locked a discussion"),
    UNLOCK: _l("Unlocked a discussion"),
    SUSPEND: _l("Suspended a user"),
    LIFT_SUSPENSION: _l("Lifted a suspension"),
}


def _record(moderator: User, action: str, *, comment: Comment | None = None, user: User | None = None,
            role: Role | None = None, reason: str = "") -> None:
    if comment is not None:
        user, role = comment.author, comment.role
    db.session.add(
        AuditEntry(
            moderator_id=moderator.id,
            action=action,
            comment_id=comment.id if comment else None,
            target_user_id=user.id if user else None,
            role_id=role.id if role else None,
            reason=reason,
        )
    )


def _acted_on(comment: Comment, moderator: User, action: str, reason: str = "") -> None:
    resolve_reports(comment, moderator)
    _record(moderator, action, comment=comment, reason=reason)


def hide(comment: Comment, moderator: User, reason: str = "") -> None:
    """Take a comment away from readers; moderators still see it, greyed out, and its
    author sees it marked hidden with the reason."""
    if comment.hidden_at is not None:
        return
    comment.hidden_at = utcnow()
    comment.hidden_by_id = moderator.id
    comment.hidden_reason = reason
    _acted_on(comment, moderator, HIDE, reason)


def restore(comment: Comment, moderator: User) -> None:
    """Give a hidden comment back to readers."""
    if comment.hidden_at is None:
        return
    comment.hidden_at = None
    comment.hidden_by_id = None
    comment.hidden_reason = None
    _acted_on(comment, moderator, RESTORE)


def delete_for_good(comment: Comment, moderator: User, reason: str = "", action: str = DELETE) -> int | None:
    """Delete a comment as its author's delete does: its text is gone for good; with replies
    it stays as a placeholder so they keep their place (threads.delete_comment).

    Returns the id of the highest comment removed, or None when a placeholder stays.
    """
    _acted_on(comment, moderator, action, reason)
    return threads.delete_comment(comment)


def approve(comment: Comment, moderator: User) -> None:
    """Publish a held comment; whoever it answers now finds it among their notifications as new."""
    if comment.held_reason is None:
        return
    comment.held_reason = None
    # The notification was written when the reply was posted, and stayed out of sight
    # while the reply was held; it becomes news now.
    db.session.execute(
        sa.update(Notification)
        .where(Notification.comment_id == comment.id)
        .values(created_at=utcnow(), read_at=None)
        .execution_options(synchronize_session=False)
    )
    mail_news_of(comment)
    _acted_on(comment, moderator, APPROVE)


def reject(comment: Comment, moderator: User) -> int | None:
    """Delete a held comment without publishing it."""
    return delete_for_good(comment, moderator, action=REJECT)


def mark_answer(comment: Comment, moderator: User) -> None:
    """Make a reply the answer of its thread, in place of any earlier answer, and tell
    whoever asked."""
    if comment.is_answer:
        return
    db.session.execute(
        sa.update(Comment)
        .where(Comment.root_id == comment.root_id, Comment.is_answer.is_(True))
        .values(is_answer=False)
        .execution_options(synchronize_session=False)
    )
    comment.is_answer = True
    notify_answered(comment)
    _acted_on(comment, moderator, MARK_ANSWER)


def unmark_answer(comment: Comment, moderator: User) -> None:
    if not comment.is_answer:
        return
    comment.is_answer = False
    _acted_on(comment, moderator, UNMARK_ANSWER)


def dismiss_reports(comment: Comment, moderator: User) -> None:
    """Keep a reported comment as it is: the reports were unfounded."""
    _acted_on(comment, moderator, DISMISS_REPORTS)


def lock_thread(role: Role, moderator: User, reason: str) -> None:
    """Close a role page's thread to new comments and replies, saying why."""
    role.thread_locked_at = utcnow()
    role.thread_lock_reason = reason
    _record(moderator, LOCK, role=role, reason=reason)


def unlock_thread(role: Role, moderator: User) -> None:
    if role.thread_locked_at is None:
        return
    role.thread_locked_at = None
    role.thread_lock_reason = None
    _record(moderator, UNLOCK, role=role)


def suspend(user: User, moderator: User, days: int | None, reason: str) -> None:
    """Stop a user commenting for `days` days, or until lifted when days is None."""
    user.suspended_at = utcnow()
    user.suspended_until = user.suspended_at + timedelta(days=days) if days else None
    user.suspension_reason = reason
    _record(moderator, SUSPEND, user=user, reason=reason)


def lift_suspension(user: User, moderator: User) -> None:
    if user.suspended_at is None:
        return
    user.suspended_at = user.suspended_until = user.suspension_reason = None
    _record(moderator, LIFT_SUSPENSION, user=user)


def suspension_refusal(user: User, moderator: User) -> str | None:
    """Why the moderator may not suspend this account, or None."""
    if user.id == moderator.id:
        return str(_l("You cannot suspend yourself."))
    if user.is_moderator:
        return str(_l("Moderators cannot be suspended; revoke the moderator role first."))
    return None
