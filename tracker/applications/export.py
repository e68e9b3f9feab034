"""The CSV a reader downloads as proof of their job search, and the columns an import
reads back (applications/importing.py)."""
import csv
import io

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Application
from ..spreadsheet import BOM, cell
from . import stages
from .tracking import INTERVIEW_KINDS, SOURCES

STAMP = "yyyy-MM-dd HH:mm"
# Between an interview's outcome and its notes on the interview's line.
NOTES_MARK = " | "

# Every column, in the file's order: a key for the import and its header. The first four
# are also the least an imported file must hold.
COLUMNS = (
    ("title", _l("Job title")),
    ("organisation", _l("Organisation")),
    ("status", _l("Status")),
    ("applied_on", _l("Applied on")),
    ("next_step", _l("Next step")),
    ("next_step_on", _l("Next step date")),
    ("follow_up_on", _l("Follow-up date")),
    ("created_at", _l("Saved at")),
    ("last_changed_at", _l("Last change")),
    ("history", _l("History (one stage change a line: date time, stage, note)")),
    ("interviews", _l("Interviews (one a line: date time, kind: outcome | notes)")),
    ("notes", _l("Notes")),
    ("link", _l("Link")),
    ("district", _l("District")),
    ("source", _l("Found on")),
    ("pay_min", _l("Pay from (৳ a month)")),
    ("pay_max", _l("Pay up to (৳ a month)")),
    ("deadline", _l("Deadline")),
    ("role", _l("Catalogue role")),
    ("attempt", _l("Application number")),
)


def _history(application: Application) -> str:
    return "\n".join(
        f"{format_datetime(change.changed_at, STAMP)} {stages.label(change.to_status)}"
        + (f" ({change.note})" if change.note else "")
        for change in application.status_changes
    )


def _interviews(application: Application) -> str:
    return "\n".join(
        f"{format_datetime(interview.scheduled_at, STAMP)} {INTERVIEW_KINDS[interview.kind]}"
        + (f": {interview.outcome}" if interview.outcome else "")
        # One line each: the notes' own line breaks become spaces.
        + (f"{NOTES_MARK}{' '.join(interview.notes.split())}" if interview.notes else "")
        for interview in application.interviews
    )


def _values(application: Application) -> dict:
    return {
        "status": stages.label(application.status),
        "created_at": format_datetime(application.created_at, STAMP),
        "last_changed_at": format_datetime(application.last_changed_at, STAMP),
        "history": _history(application),
        "interviews": _interviews(application),
        "source": SOURCES[application.source] if application.source in SOURCES else None,
        "role": application.role.slug if application.role else None,
    }


def applications_csv(user_id: int) -> str:
    """One row per application; its every stage change, dated, in the history column.

    Times are local (BABEL_DEFAULT_TIMEZONE), as the reader saw them in the tracker.
    """
    applications = db.session.scalars(
        sa.select(Application)
        .where(Application.user_id == user_id)
        .options(
            so.joinedload(Application.role),
            so.selectinload(Application.status_changes),
            so.selectinload(Application.interviews),
        )
        .order_by(Application.created_at, Application.id)
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(header) for _key, header in COLUMNS])
    for application in applications:
        values = _values(application)
        writer.writerow(
            cell(values[key] if key in values else getattr(application, key)) for key, _header in COLUMNS
        )
    return BOM + out.getvalue()
