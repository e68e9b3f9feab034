"""What a user does to their applications: save a role, move it along, plan interviews.

Every function takes the owner's id or an application already checked to be theirs.
None of them commits: the view that calls them commits once, so what a request writes
lands whole or not at all.
"""
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..formatting import latin_digits
from ..models import Application, Interview, Role, StatusChange, utcnow
from . import stages

# Where a job was found.
SOURCES = {
    "bdjobs": _l("bdjobs"),
    "facebook": _l("Facebook"),
    "newspaper": _l("A newspaper"),
    "referral": _l("A referral"),
    "walk_in": _l("Walk-in"),
    "other": _l("Other"),
}
# A monthly pay above this is a slip of the keyboard (an extra zero or two).
MAX_PAY = 10_000_000
# A deadline this many days ahead or fewer puts an application at the top of the tracker.
CLOSING_SOON_DAYS = 7
# What the user tells about a job besides its title, organisation and role.
JOB_DETAILS = ("link", "district", "source", "pay_min", "pay_max", "deadline")

INTERVIEW_KINDS = {
    "phone": _l("Phone"),
    "video": _l("Video"),
    "in_person": _l("In person"),
    "test": _l("Test"),
}


class TransitionError(ValueError):
    """A status change the rules refuse; the message says why, in the reader's language."""


def read_amount(typed: str) -> int | None:
    """A whole number of taka: Bengali or ASCII digits, with commas, spaces or ৳ around
    them; None for nothing typed; ValueError for anything else."""
    digits = latin_digits(typed).replace(",", "").replace("৳", "").replace(" ", "").strip()
    if not digits:
        return None
    if digits.isascii() and digits.isdigit() and int(digits) <= MAX_PAY:
        return int(digits)
    raise ValueError(typed)


def local_today() -> date:
    """Today's date where our readers live (BABEL_DEFAULT_TIMEZONE), not in UTC."""
    return datetime.now(get_timezone()).date()


def local_to_utc(day: date, at: time) -> datetime:
    """The UTC instant of a wall-clock date and time typed by the reader."""
    # pytz zones need localize(); replacing tzinfo would use the zone's 1890 offset.
    return get_timezone().localize(datetime.combine(day, at)).astimezone(timezone.utc)


def normalise_organisation(name: str | None) -> str:
    # Inner runs of spaces collapse too, so "Grameen  phone" is not a second organisation.
    return normalise_text(name)


def get_own_application_or_404(application_id: int, user_id: int) -> Application:
    """The user's application with this id, or 404 for anyone else's or a missing one."""
    return db.first_or_404(
        sa.select(Application)
        .where(Application.id == application_id, Application.user_id == user_id)
        .options(so.joinedload(Application.role))
    )


def get_own_interview_or_404(application: Application, interview_id: int) -> Interview:
    return db.first_or_404(
        sa.select(Interview).where(Interview.id == interview_id, Interview.application_id == application.id)
    )


def _same_job(user_id: int, role_id: int | None, title: str, organisation: str) -> sa.Select:
    """The user's applications to this job: the same catalogue role, or (without one)
    the same title, at the same organisation, case ignored."""
    stmt = sa.select(Application).where(
        Application.user_id == user_id,
        sa.func.lower(Application.organisation) == normalise_organisation(organisation).lower(),
    )
    if role_id is not None:
        return stmt.where(Application.role_id == role_id)
    return stmt.where(
        Application.role_id.is_(None), sa.func.lower(Application.title) == normalise_text(title).lower()
    )


def find_tracked(
    user_id: int, role_id: int | None, organisation: str, exclude_id: int | None = None,
    title: str = "", attempt: int | None = None,
) -> Application | None:
    """The user's first application to this job at this organisation (see _same_job), if
    any; only the one with that `attempt` when given."""
    stmt = _same_job(user_id, role_id, title, organisation)
    if exclude_id is not None:
        stmt = stmt.where(Application.id != exclude_id)
    if attempt is not None:
        stmt = stmt.where(Application.attempt == attempt)
    return db.session.scalar(stmt.order_by(Application.id).limit(1))


def normalise_text(text: str | None) -> str:
    """A one-line text as typed, with its runs of spaces squeezed, and Bengali in one
    form (NFC), however the keyboard composed it, so a search finds it."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


# Asked on every role page a member opens (the save button), so built once.
_FIRST_APPLICATION_ID = sa.select(sa.func.min(Application.id)).where(
    Application.user_id == sa.bindparam("user_id"), Application.role_id == sa.bindparam("role_id")
)


def first_application_id(user_id: int, role_id: int) -> int | None:
    """The id of the user's first application for the role, if they track it."""
    return db.session.scalar(_FIRST_APPLICATION_ID, {"user_id": user_id, "role_id": role_id})


def tracked_role_ids(user_id: int) -> dict[int, int]:
    """Map each role the user tracks to the id of their first application for it (one query)."""
    rows = db.session.execute(
        sa.select(Application.role_id, sa.func.min(Application.id))
        .where(Application.user_id == user_id)
        .group_by(Application.role_id)
    )
    return dict(rows.all())


def save_role(user_id: int, role_id: int, organisation: str = "", again: bool = False) -> tuple[Application, bool]:
    """Track a catalogue role at an organisation, titled as the role; see track_job."""
    role = db.session.get(Role, role_id)
    return track_job(user_id, title=role.title, role_id=role_id, organisation=organisation, again=again)


def track_job(
    user_id: int, title: str, organisation: str = "", role_id: int | None = None, again: bool = False, **details
) -> tuple[Application, bool]:
    """Track a job (a catalogue role or any other); return (application, created),
    flushed (no commit). `details` are columns of JOB_DETAILS.

    Tracking what is already tracked returns the existing application unchanged, so a
    double click or a second tab never makes a duplicate; `again` tracks a second
    application to the same job on purpose, with its own history.
    """
    organisation = normalise_organisation(organisation)
    title = normalise_text(title)
    attempt = 1
    existing = find_tracked(user_id, role_id, organisation, None, title)
    if existing is not None:
        if not again:
            return existing, False
        attempt = 1 + db.session.scalar(
            _same_job(user_id, role_id, title, organisation).with_only_columns(sa.func.max(Application.attempt))
        )
    now = utcnow()
    application = Application(
        user_id=user_id, role_id=role_id, title=title, organisation=organisation, status=stages.SAVED,
        attempt=attempt, created_at=now, last_changed_at=now,
        **{name: value for name, value in details.items() if name in JOB_DETAILS},
    )
    application.status_changes.append(
        StatusChange(from_status=None, to_status=stages.SAVED, changed_at=now, changed_by_id=user_id)
    )
    try:
        # A savepoint, so losing the race undoes only this insert, not the caller's transaction.
        with db.session.begin_nested():
            db.session.add(application)
    except sa.exc.IntegrityError:
        # Another request saved the same role a moment ago: that one is the application.
        return find_tracked(user_id, role_id, organisation, None, title, attempt), False
    return application, True


def check_transition(from_status: str, to_status: str) -> None:
    """Raise TransitionError unless the rules allow moving from one stage to the other."""
    if to_status not in stages.STATUSES:
        raise TransitionError(_("“%(status)s” is not a stage we know. Choose one from the list.", status=to_status))
    if from_status == to_status:
        raise TransitionError(_("This application is already at “%(stage)s”.", stage=stages.label(to_status)))
    allowed = stages.allowed_next(from_status)
    if not allowed:
        raise TransitionError(
            _("“%(stage)s” closed this application: reopen it to move it again.", stage=stages.label(from_status))
        )
    if not stages.can_move(from_status, to_status):
        raise TransitionError(
            _(
                "An application cannot go from “%(from)s” to “%(to)s”. From “%(from)s” it can go to: %(allowed)s.",
                **{"from": stages.label(from_status)},
                to=stages.label(to_status),
                allowed=", ".join(stages.label(s) for s in allowed),
            )
        )


def change_status(application: Application, to_status: str, by_user_id: int | None, note: str = "") -> StatusChange:
    """Move an application to another stage and record it (no commit); by_user_id None
    means the system."""
    check_transition(application.status, to_status)
    return _record_move(application, to_status, by_user_id, note)


def reopen(application: Application, to_status: str, by_user_id: int, note: str) -> StatusChange:
    """Open a closed application again at an open stage, with a note saying why (no
    commit). The closing stays in the timeline: the reopening is a line after it."""
    if stages.is_open(application.status):
        raise TransitionError(_("This application is open: there is nothing to reopen."))
    if not stages.is_open(to_status):
        raise TransitionError(_("Reopen it at an open stage: saved, applied, interviewing or offer."))
    return _record_move(application, to_status, by_user_id, note)


def stage_before_closing(application: Application) -> str:
    """The open stage an application was at before it closed (where reopening takes it)."""
    for change in reversed(application.status_changes):
        if change.from_status and stages.is_open(change.from_status) and not stages.is_open(change.to_status):
            return change.from_status
    return stages.APPLIED


def _record_move(application: Application, to_status: str, by_user_id: int | None, note: str) -> StatusChange:
    now = utcnow()
    change = StatusChange(
        from_status=application.status, to_status=to_status, changed_at=now,
        changed_by_id=by_user_id, note=(note or "").strip(),
    )
    application.status_changes.append(change)
    application.status = to_status
    application.last_changed_at = now
    if to_status == stages.APPLIED and application.applied_on is None:
        application.applied_on = local_today()
    return change


def update_details(application: Application, **details) -> None:
    """Set edited details (title, role, organisation, pay, dates, next step, notes) (no commit)."""
    details["organisation"] = normalise_organisation(details.get("organisation", application.organisation))
    if "title" in details:
        details["title"] = normalise_text(details["title"])
    for name, value in details.items():
        setattr(application, name, value)
    application.last_changed_at = utcnow()


def interview_refusal(application: Application) -> str | None:
    """Why the application takes no new interviews, or None when it does (while it is open)."""
    if stages.is_open(application.status):
        return None
    return _(
        "This application is closed (“%(stage)s”), so it takes no new interviews.",
        stage=stages.label(application.status),
    )


def add_interview(application: Application, scheduled_at: datetime, kind: str, notes: str = "") -> Interview:
    """Plan an interview for an application; return it flushed (no commit)."""
    if kind not in INTERVIEW_KINDS:
        raise ValueError(f"unknown interview kind {kind!r}")
    interview = Interview(scheduled_at=scheduled_at, kind=kind, notes=(notes or "").strip())
    application.interviews.append(interview)
    application.last_changed_at = utcnow()
    db.session.flush()
    return interview


def update_interview(interview: Interview, scheduled_at: datetime, kind: str, notes: str, outcome: str) -> None:
    """Correct an interview: when, what kind, its notes and how it went (no commit)."""
    if kind not in INTERVIEW_KINDS:
        raise ValueError(f"unknown interview kind {kind!r}")
    interview.scheduled_at = scheduled_at
    interview.kind = kind
    interview.notes = (notes or "").strip()
    interview.outcome = (outcome or "").strip() or None
    interview.application.last_changed_at = utcnow()


def remove_interview(interview: Interview) -> None:
    """Take out an interview entered by mistake (or one called off) (no commit)."""
    interview.application.last_changed_at = utcnow()
    db.session.delete(interview)


def record_outcome(interview: Interview, outcome: str) -> None:
    """Note how an interview went (no commit)."""
    interview.outcome = outcome.strip()
    interview.application.last_changed_at = utcnow()


def remove_application(application: Application) -> None:
    """Delete an application with its timeline and interviews, for good (no commit)."""
    db.session.delete(application)


@dataclass(frozen=True)
class Flags:
    """What needs the reader's attention, judged against one moment for a whole page."""

    today: date
    quiet_before: datetime

    @classmethod
    def now(cls) -> "Flags":
        days = current_app.config["GONE_QUIET_DAYS"]
        return cls(today=local_today(), quiet_before=utcnow() - timedelta(days=days))

    def overdue(self, application: Application) -> bool:
        """An open application whose follow-up or next-step date has passed."""
        if not stages.is_open(application.status):
            return False
        return any(day is not None and day < self.today for day in (application.follow_up_on, application.next_step_on))

    def deadline_passed(self, application: Application) -> bool:
        """Not applied to yet, and the last day to apply is gone."""
        return application.status == stages.SAVED and application.deadline is not None and application.deadline < self.today

    def closing_soon(self, application: Application) -> bool:
        """Not applied to yet, and the last day to apply is within CLOSING_SOON_DAYS days."""
        return (
            application.status == stages.SAVED and application.deadline is not None
            and self.today <= application.deadline <= self.today + timedelta(days=CLOSING_SOON_DAYS)
        )

    def gone_quiet(self, application: Application) -> bool:
        """Waiting on the employer with no change for GONE_QUIET_DAYS days."""
        return application.status in stages.AWAITING_REPLY and application.last_changed_at <= self.quiet_before
