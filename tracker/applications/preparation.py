"""Ready for the interview: at the interview stage, an application linked to a catalogue
role shows a short preparation list drawn from the role: the skills its guide names (the
member ticks those they have prepared, kept), the questions its thread has answered
(discussion, through catalogue/road.py), and the member's own notes from interviews for
the same role in their other applications."""
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..catalogue import road
from ..extensions import db
from ..models import Application, Interview, PreparedSkill, utcnow
from . import stages

SKILL_FACETS = ("core_skill", "special_skill")
# Earlier interviews' notes shown; the newest first.
EARLIER_NOTES_SHOWN = 10


@dataclass(frozen=True)
class Preparation:
    skills: list[str]
    ticked: set[str]
    answered: list[road.Answered]
    earlier: list[Interview]


def guide_skills(application: Application) -> list[str]:
    return [facet.value for facet in application.role.facets if facet.kind in SKILL_FACETS]


def preparation(application: Application) -> Preparation | None:
    """The list for an application at the interview stage with a role, else None."""
    if application.status != stages.INTERVIEWING or application.role is None:
        return None
    earlier = db.session.scalars(
        sa.select(Interview)
        .join(Interview.application)
        .where(
            Application.user_id == application.user_id,
            Application.role_id == application.role_id,
            Application.id != application.id,
            Interview.scheduled_at < utcnow(),
            sa.or_(Interview.notes != "", Interview.outcome.is_not(None)),
        )
        .options(so.contains_eager(Interview.application))
        .order_by(Interview.scheduled_at.desc())
        .limit(EARLIER_NOTES_SHOWN)
    ).all()
    return Preparation(
        skills=guide_skills(application),
        ticked={prepared.skill for prepared in application.prepared_skills},
        answered=road.answered_on(application.role_id),
        earlier=earlier,
    )


def tick_skills(application: Application, skills: list[str]) -> None:
    """Keep `skills` (of the guide's) as the ones prepared, and only those (no commit)."""
    wanted = set(skills) & set(guide_skills(application))
    application.prepared_skills = [
        *(prepared for prepared in application.prepared_skills if prepared.skill in wanted),
        *(PreparedSkill(skill=skill) for skill in sorted(wanted - {p.skill for p in application.prepared_skills})),
    ]
