"""The CSV a reader downloads as proof of their job search."""
import csv
import io

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import format_datetime
from flask_babel import gettext as _

from ..extensions import db
from ..models import Application
from . import stages
from .tracking import INTERVIEW_KINDS

# Excel reads a file as UTF-8 (and shows Bengali) only when it starts with this mark.
BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet; a leading ' keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STAMP = "yyyy-MM-dd HH:mm"


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


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
        for interview in application.interviews
    )


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
    writer.writerow(
        [
            _("Role"), _("Organisation"), _("Status"), _("Applied on"), _("Next step"), _("Next step date"),
            _("Follow-up date"), _("Saved at"), _("Last change"),
            _("History (one stage change a line: date time, stage, note)"),
            _("Interviews (one a line: date time, kind, outcome)"), _("Notes"),
        ]
    )
    for application in applications:
        writer.writerow(
            _cell(value)
            for value in (
                application.title, application.organisation, stages.label(application.status),
                application.applied_on, application.next_step, application.next_step_on,
                application.follow_up_on, format_datetime(application.created_at, STAMP),
                format_datetime(application.last_changed_at, STAMP), _history(application),
                _interviews(application), application.notes,
            )
        )
    return BOM + out.getvalue()
