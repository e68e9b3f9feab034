"""Who may read which comment: the one place the rule lives, in SQL and in Python.

Moderation (hidden_at) and holding for review (held_reason) keep a comment from
readers; a deleted comment (deleted_at) survives only as a placeholder for its replies.
"""
import sqlalchemy as sa

from ..models import Comment


def published_clause():
    """SQL for comments everyone may read; is_published() is the same rule in Python."""
    return sa.and_(Comment.deleted_at.is_(None), Comment.hidden_at.is_(None), Comment.held_reason.is_(None))


def is_published(comment: Comment) -> bool:
    return comment.deleted_at is None and comment.hidden_at is None and comment.held_reason is None


def not_withdrawn_clause():
    """SQL for comments that may appear at all: published ones and "comment deleted" placeholders."""
    return sa.and_(Comment.hidden_at.is_(None), Comment.held_reason.is_(None))
