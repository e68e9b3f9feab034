"""Who may read which comment: the one place the rule lives, in SQL and in Python, and
loading a comment by it (comment_or_404), for every area.

Moderation (hidden_at) and holding for review (held_reason) keep a comment from
readers; a deleted comment (deleted_at) survives only as a placeholder for its replies.
"""
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort

from ..extensions import db
from ..models import Comment


def published_clause(comment=Comment):
    """SQL for comments (or those of an alias of Comment) everyone may read; is_published()
    is the same rule in Python."""
    return sa.and_(comment.deleted_at.is_(None), comment.hidden_at.is_(None), comment.held_reason.is_(None))


def is_published(comment: Comment) -> bool:
    return comment.deleted_at is None and comment.hidden_at is None and comment.held_reason is None


def is_withdrawn(comment: Comment) -> bool:
    """Hidden or held, not deleted: readers do not see it; its author or moderators may."""
    return comment.deleted_at is None and not is_published(comment)


def can_read(comment: Comment, user) -> bool:
    """Whether `user` (None or anonymous for a reader) sees the comment's text.

    Everyone reads published comments; the author also reads their own held or hidden
    comment (shown "awaiting moderation", or hidden with the moderator's reason, so they
    know what to mend), and moderators read hidden and held ones (greyed out). Deleted
    text is gone for everyone.
    """
    if is_published(comment):
        return True
    if comment.deleted_at is not None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_moderator or comment.author_id == user.id


def appears_to_clause(user, user_id=None):
    """SQL for the comments `user` may look at: those can_read allows, and placeholders.

    `user_id` stands for user.id in a statement built once for every such reader (a
    bind parameter)."""
    if getattr(user, "is_authenticated", False):
        if user.is_moderator:
            return sa.true()
        return sa.or_(not_withdrawn_clause(), Comment.author_id == (user.id if user_id is None else user_id))
    return not_withdrawn_clause()


def not_withdrawn_clause():
    """SQL for comments that may appear at all: published ones and "comment deleted" placeholders."""
    return sa.and_(Comment.hidden_at.is_(None), Comment.held_reason.is_(None))


@dataclass(frozen=True)
class _Reader:
    """A kind of reader, as far as which comments they may look at goes."""

    is_authenticated: bool
    is_moderator: bool = False


# One statement per kind of reader, built once: building it took longer than running it.
_COMMENT_AS_SEEN_BY = {
    reader: sa.select(Comment)
    .where(Comment.id == sa.bindparam("comment_id"), appears_to_clause(reader, sa.bindparam("reader_id")))
    .options(so.joinedload(Comment.author), so.joinedload(Comment.role))
    for reader in (_Reader(False), _Reader(True), _Reader(True, True))
}


def comment_or_404(comment_id: int, reader) -> Comment:
    """The comment if `reader` (a user, or anonymous) may look at it (appears_to_clause):
    published, a "comment deleted" placeholder, their own held or hidden comment, or anything for
    moderators; else a 404."""
    member = reader.is_authenticated
    comment = db.session.scalar(
        _COMMENT_AS_SEEN_BY[_Reader(member, member and reader.is_moderator)],
        {"comment_id": comment_id, "reader_id": reader.id if member else None},
    )
    if comment is None:
        abort(404)
    return comment
