"""The people on the same road: the stage a member reached on a role (which they may show
beside their comments there), and how far the members tracking a role got, in counts
from ROAD_MINIMUM members up, below the role's guide for every reader.

The counts are drawn into the visitor's role page, kept whole under the role's
thread_version (tracker/caching.py names it): a write that changes what they count moves
that version in the same transaction.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from ..catalogue import parts as catalogue_parts
from ..catalogue import road
from ..extensions import db
from ..models import Application, StatusChange

# Fewer members than this are not counted aloud: a count of one or two points at people.
ROAD_MINIMUM = 5

# The road is the tracker's pipeline (stages.PIPELINE, a test holds them equal), as
# catalogue/road.py names it for the other areas.
_RANKS = {stage: rank for rank, stage in enumerate(road.STAGES)}


def _rank(status):
    """SQL for how far along the road `status` is: a closed stage counts as tracking."""
    return sa.case(_RANKS, value=status, else_=0)


@dataclass(frozen=True)
class RoadCounts:
    members: int
    # For each stage of the road, how many members got that far and no further.
    got_to: dict[str, int]


def road_counts(role_id: int) -> RoadCounts | None:
    """How far the members tracking the role got (one query), or None below ROAD_MINIMUM."""
    now_at = sa.select(Application.user_id, _rank(Application.status).label("rank")).where(
        Application.role_id == role_id
    )
    # A member rejected after an interview still got as far as the interview.
    was_at = (
        sa.select(Application.user_id, _rank(StatusChange.to_status).label("rank"))
        .join(StatusChange, StatusChange.application_id == Application.id)
        .where(Application.role_id == role_id)
    )
    every = sa.union_all(now_at, was_at).subquery()
    furthest = sa.select(every.c.user_id, sa.func.max(every.c.rank).label("rank")).group_by(every.c.user_id).subquery()
    rows = db.session.execute(sa.select(furthest.c.rank, sa.func.count()).group_by(furthest.c.rank)).all()
    at = dict(rows)
    members = sum(at.values())
    if members < ROAD_MINIMUM:
        return None
    return RoadCounts(members, {stage: at.get(rank, 0) for stage, rank in _RANKS.items()})


def stage_of(user_id: int, role_id: int) -> str | None:
    """The furthest stage of the road the member's applications for the role are at now
    (a closed one is not offered: "rejected" is not a badge anyone asked for)."""
    statuses = db.session.scalars(
        sa.select(Application.status).where(
            Application.user_id == user_id, Application.role_id == role_id, Application.status.in_(road.STAGES)
        )
    ).all()
    return max(statuses, key=_RANKS.__getitem__, default=None)


road.tell_stage_with(stage_of)
catalogue_parts.add(
    catalogue_parts.Part(
        "applications/_road.html", catalogue_parts.BELOW_GUIDE, shared_context=lambda role_id: {"road": road_counts(role_id)}
    )
)
