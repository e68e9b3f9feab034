"""What the areas above the catalogue know about a role and pass to each other through it:
they sit side by side (applications, discussion) and import neither. Applications tells
the stage a member reached on a role (offered on the comment form); the discussion tells
a role's answered questions (listed to prepare an interview). Each fills its hook at
start; until then, or in an app without that area, the hook answers "nothing".
"""
from collections.abc import Callable
from dataclasses import dataclass

# The road to a job, as a commenter may show it beside their name and as a role page
# counts its members: the open stages in order, and hired (their names for readers:
# templates/catalogue/_road_stages.html).
STAGES = ("saved", "applied", "interviewing", "offer", "hired")


@dataclass(frozen=True)
class Answered:
    """A question in a role's thread with the reply a moderator marked as its answer."""

    question: str  # its text as typed (a summary shows its start)
    answer_html: str
    url: str  # the question in its thread


_stage_of: Callable[[int, int], str | None] = lambda user_id, role_id: None
_answered_on: Callable[[int], list[Answered]] = lambda role_id: []


def tell_stage_with(stage_of: Callable[[int, int], str | None]) -> None:
    global _stage_of
    _stage_of = stage_of


def tell_answers_with(answered_on: Callable[[int], list[Answered]]) -> None:
    global _answered_on
    _answered_on = answered_on


def stage_of(user_id: int, role_id: int) -> str | None:
    """The furthest stage of STAGES the member's applications for the role are at, or None."""
    return _stage_of(user_id, role_id)


def answered_on(role_id: int) -> list[Answered]:
    """The role's answered questions, newest answer first."""
    return _answered_on(role_id)
