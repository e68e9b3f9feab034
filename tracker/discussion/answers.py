"""Answers kept: a question (a top-level comment) with the reply a moderator marked as its
answer, listed below a role's guide ("Asked and answered"), found by the catalogue's
search, and given to applications (catalogue/road.py) for an interview's preparation.

Only what every reader sees counts: the question and its answer both published. Marking
an answer writes a comment, which moves the role's thread_version, and that keys the
visitor's whole role page (tracker/caching.py): the section is never stale.
"""
import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import url_for

from ..catalogue import parts as catalogue_parts
from ..catalogue import road
from ..catalogue.search import containing, search_also
from ..extensions import db
from ..models import Comment, Role
from .visibility import published_clause

# The newest answers a role page lists; the thread holds every one.
ANSWERED_SHOWN = 10


def _answered(answer) -> sa.Select:
    """Questions (as Comment) joined to their published answer (`answer`, an alias)."""
    return (
        sa.select(Comment.id)
        .join(answer, sa.and_(answer.root_id == Comment.id, answer.is_answer.is_(True)))
        .where(Comment.parent_id.is_(None), published_clause(), published_clause(answer))
    )


def answered_on(role_id: int) -> list[road.Answered]:
    """The role's answered questions, newest answer first (one query)."""
    answer = so.aliased(Comment)
    rows = db.session.execute(
        _answered(answer)
        .add_columns(Comment.body_source, answer.body_html)
        .where(Comment.role_id == role_id)
        .order_by(answer.id.desc())
        .limit(ANSWERED_SHOWN)
    ).all()
    return [
        road.Answered(question, answer_html, url_for("discussion.show_comment", comment_id=question_id))
        for question_id, question, answer_html in rows
    ]


def _found_in_answers(word: str) -> sa.ColumnElement[bool]:
    """A role whose answered questions (question or answer) hold `word` (folded)."""
    answer = so.aliased(Comment)
    holding = sa.or_(
        containing(sa.func.lower(Comment.body_source), word), containing(sa.func.lower(answer.body_source), word)
    )
    return Role.id.in_(_answered(answer).with_only_columns(Comment.role_id).where(holding))


road.tell_answers_with(answered_on)
search_also(_found_in_answers)
# Above the thread (discussion/templating.py adds it after this module is imported).
catalogue_parts.add(
    catalogue_parts.Part(
        "discussion/_answered.html", catalogue_parts.BELOW_GUIDE, shared_context=lambda role_id: {"answered": answered_on(role_id)}
    )
)
