"""Read-only views over all of a user's applications: the list, what is coming up,
the board and the funnel. Each costs a fixed number of queries, however many rows."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from ..catalogue.search import containing
from ..extensions import db
from ..models import Application, Interview, Role, StatusChange, fold_text
from . import stages
from .tracking import CLOSING_SOON_DAYS, local_to_utc

FILTERS = ("", "open", "closed") + stages.STATUSES
_BOARD_ORDER = sa.case({status: rank for rank, status in enumerate(stages.STATUSES)}, value=Application.status)
SORTS = {
    "changed": (_l("Last change"), (Application.last_changed_at.desc(),)),
    "applied": (_l("Applied date"), (Application.applied_on.desc().nulls_last(),)),
    "next": (_l("Next step date"), (Application.next_step_on.asc().nulls_last(),)),
    "role": (
        _l("Job title"),
        (sa.func.coalesce(Role.title_sort_key, sa.func.lower(Application.title)).collate("C"), Application.organisation),
    ),
    "status": (_l("Status"), (_BOARD_ORDER,)),
}
DEFAULT_SORT = "changed"
UPCOMING_LIMIT = 10
# What lists show of a role. SQLite keeps a row's columns in order, and those after the
# guide's long body (sections) are read through its overflow pages: about 20 KB a row.
ROLE_NAME_COLUMNS = (Role.id, Role.slug, Role.title, Role.title_sort_key)
# What the list also shows of a role: the reader's fit (fit.py) for its requirements.
ROLE_FIT_COLUMNS = (Role.age_min, Role.age_max, Role.experience_min_years, Role.experience_max_years,
                    Role.education_min)
# Long lists are paged so a phone on mobile data gets a light page.
APPLICATIONS_PER_PAGE = 25


def _own_with_role(user_id: int, with_fit: bool = False) -> sa.Select:
    role = so.contains_eager(Application.role)
    if with_fit:  # its facets in one more query, for the whole page
        role = role.load_only(*ROLE_NAME_COLUMNS, *ROLE_FIT_COLUMNS).selectinload(Role.facets)
    else:
        role = role.load_only(*ROLE_NAME_COLUMNS)
    return sa.select(Application).outerjoin(Application.role).where(Application.user_id == user_id).options(role)


# What a search looks through.
SEARCHED = (Application.title, Application.organisation, Application.notes)


def matching(stmt: sa.Select, words: str) -> sa.Select:
    """Keep the applications holding every word typed in their title, organisation or
    notes, or in their catalogue role's titles in either language (`stmt` joins the role),
    letter case ignored."""
    for word in fold_text(words).split():
        stmt = stmt.where(
            sa.or_(
                *(containing(sa.func.lower(column), word) for column in SEARCHED),
                containing(Role.search_text, word),  # already folded
            )
        )
    return stmt


def list_applications(user_id: int, status_filter: str = "", sort: str = DEFAULT_SORT, page: int = 1, words: str = ""):
    """A page of the user's applications with their roles (what a fit check reads of them
    too), filtered by stage and by the words searched, and sorted."""
    stmt = matching(_own_with_role(user_id, with_fit=True), words)
    if status_filter == "open":
        stmt = stmt.where(Application.status.in_(stages.OPEN))
    elif status_filter == "closed":
        stmt = stmt.where(Application.status.in_(stages.CLOSED))
    elif status_filter:
        stmt = stmt.where(Application.status == status_filter)
    order = SORTS.get(sort, SORTS[DEFAULT_SORT])[1]
    return db.paginate(
        stmt.order_by(*order, Application.id.desc()), page=page, per_page=APPLICATIONS_PER_PAGE, error_out=False
    )


def status_counts(user_id: int) -> dict[str, int]:
    """How many applications sit at each stage (every stage present, zero included)."""
    rows = db.session.execute(
        sa.select(Application.status, sa.func.count())
        .where(Application.user_id == user_id)
        .group_by(Application.status)
    )
    counts = dict.fromkeys(stages.STATUSES, 0)
    counts.update(rows.all())
    return counts


@dataclass(frozen=True)
class UpcomingItem:
    when: date | datetime
    kind: str  # "interview", "follow_up", "next_step" or "deadline"
    application: Application
    interview: Interview | None = None

    @property
    def day(self) -> date:
        return self.when if not isinstance(self.when, datetime) else self.when.date()


def upcoming(user_id: int, today: date, limit: int = UPCOMING_LIMIT) -> list[UpcomingItem]:
    """The next interviews, follow-ups and next steps of open applications in date order
    (two queries).

    Follow-ups and next steps already past stay in the list (they are overdue, the most
    urgent of all); interviews from earlier today stay too, for their outcome.
    """
    interviews = db.session.scalars(
        sa.select(Interview)
        .join(Interview.application)
        .outerjoin(Application.role)
        .where(
            Application.user_id == user_id,
            Application.status.in_(stages.OPEN),  # a closed application's interviews will not happen
            Interview.scheduled_at >= local_to_utc(today, time.min),
        )
        .options(
            so.contains_eager(Interview.application).contains_eager(Application.role).load_only(*ROLE_NAME_COLUMNS)
        )
        .order_by(Interview.scheduled_at)
        .limit(limit)
    )
    items = [UpcomingItem(i.scheduled_at, "interview", i.application, i) for i in interviews]
    dated = db.session.scalars(
        _own_with_role(user_id).where(
            Application.status.in_(stages.OPEN),
            sa.or_(
                Application.follow_up_on.is_not(None),
                Application.next_step_on.is_not(None),
                sa.and_(Application.deadline.is_not(None), Application.status == stages.SAVED),
            ),
        )
    )
    for application in dated:
        if application.follow_up_on:
            items.append(UpcomingItem(application.follow_up_on, "follow_up", application))
        if application.next_step_on:
            items.append(UpcomingItem(application.next_step_on, "next_step", application))
        if application.deadline and application.status == stages.SAVED:
            items.append(UpcomingItem(application.deadline, "deadline", application))
    # Dates sort as the start of their day, before that day's interviews.
    items.sort(key=lambda item: (item.day, isinstance(item.when, datetime), str(item.when)))
    return items[:limit]


def closing_soon(user_id: int, today: date) -> list[Application]:
    """Applications not yet sent whose deadline falls in the next CLOSING_SOON_DAYS days,
    soonest first (one query)."""
    return list(
        db.session.scalars(
            _own_with_role(user_id)
            .where(
                Application.status == stages.SAVED,
                Application.deadline >= today,
                Application.deadline <= today + timedelta(days=CLOSING_SOON_DAYS),
            )
            .order_by(Application.deadline, Application.id)
        )
    )


@dataclass(frozen=True)
class Column:
    status: str
    applications: list[Application]

    @property
    def label(self) -> str:
        return stages.label(self.status)


def board_columns(user_id: int) -> list[Column]:
    """One column per stage, in board order, each with its applications (one query)."""
    by_status = {status: [] for status in stages.STATUSES}
    stmt = _own_with_role(user_id).order_by(Application.last_changed_at.desc(), Application.id.desc())
    for application in db.session.scalars(stmt):
        by_status[application.status].append(application)
    return [Column(status, apps) for status, apps in by_status.items()]


@dataclass(frozen=True)
class FunnelStep:
    status: str
    reached: int
    share: float  # of the first step, 0..1, for the bar's length
    conversion: float | None  # of the step before, 0..1; None for the first step or after zero

    @property
    def label(self) -> str:
        return stages.label(self.status)


def funnel(user_id: int) -> list[FunnelStep]:
    """How many applications reached each pipeline stage, and the rate from one to the next.

    An application counts as reaching every stage up to the furthest one in its
    timeline, so a later rejection does not erase that it got an interview (one query).
    """
    rank = sa.case({status: rank for rank, status in enumerate(stages.PIPELINE)}, value=StatusChange.to_status, else_=-1)
    furthest = (
        sa.select(sa.func.max(rank).label("rank"))
        .join(StatusChange.application)
        .where(Application.user_id == user_id)
        .group_by(StatusChange.application_id)
        .subquery()
    )
    rows = db.session.execute(sa.select(furthest.c.rank, sa.func.count()).group_by(furthest.c.rank)).all()
    at_rank = {rank: count for rank, count in rows}
    reached = [sum(count for rank, count in at_rank.items() if rank >= step) for step in range(len(stages.PIPELINE))]
    first = reached[0]
    steps = []
    for index, status in enumerate(stages.PIPELINE):
        before = reached[index - 1] if index else 0
        steps.append(
            FunnelStep(
                status=status,
                reached=reached[index],
                share=reached[index] / first if first else 0.0,
                conversion=reached[index] / before if before else None,
            )
        )
    return steps


@dataclass(frozen=True)
class Proof:
    """What a user did in their job search between two days, for a job centre or a sponsor."""

    changes: list[StatusChange]
    interviews: list[Interview]

    @property
    def applications(self) -> list[Application]:
        """Every application with a stage change or an interview in the range, once each, by title."""
        seen = {change.application.id: change.application for change in self.changes}
        seen.update({interview.application.id: interview.application for interview in self.interviews})
        return sorted(seen.values(), key=lambda application: (application.title.casefold(), application.id))


def proof_of_search(user_id: int, start: date, end: date) -> Proof:
    """Every stage change and interview of the user's applications from `start` to `end`
    (whole days, the reader's time), with their applications (two queries)."""
    since, until = local_to_utc(start, time.min), local_to_utc(end + timedelta(days=1), time.min)

    def dated(model, moment):
        return list(
            db.session.scalars(
                sa.select(model)
                .join(model.application)
                .where(Application.user_id == user_id, moment >= since, moment < until)
                .options(so.contains_eager(model.application))
                .order_by(moment, model.id)
            )
        )

    return Proof(dated(StatusChange, StatusChange.changed_at), dated(Interview, Interview.scheduled_at))
