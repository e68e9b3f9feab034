"""What the templates call: the save button's state, stage names and moves, and dates
and percentages written the reader's way (Dhaka time, Bengali digits in bn; a date with
its time is formatting.local_moment); and the save button on the catalogue's pages."""
from datetime import date, datetime

from flask import g
from flask_babel import format_date, format_percent
from flask_login import current_user

from ..catalogue import parts as catalogue_parts
from ..formatting import local_digits, per_locale_cache
from . import bp, stages
from .tracking import INTERVIEW_KINDS, SOURCES, first_application_id, tracked_role_ids


@bp.app_template_global()
def tracked_roles() -> dict[int, int]:
    """Map each role the reader tracks to their application's id.

    Once per request, so a page of catalogue rows costs one query, not one per row.
    """
    if "tracked_roles" not in g:
        g.tracked_roles = tracked_role_ids(current_user.id) if current_user.is_authenticated else {}
    return g.tracked_roles


def _saved_application(role, reader, args) -> dict:
    """The save button's state on a role page: the reader's application for this one role
    (a list of roles asks for every tracked role at once, tracked_roles)."""
    return {"saved_id": first_application_id(reader.id, role.id) if reader.is_authenticated else None}


catalogue_parts.add(
    catalogue_parts.Part("applications/_save_button.html", catalogue_parts.BESIDE_TITLE, context=_saved_application)
)
catalogue_parts.add(catalogue_parts.Part("applications/_save_button.html", catalogue_parts.RESULT_ROW))


@bp.app_template_global()
@per_locale_cache
def stage_label(status: str) -> str:
    return stages.label(status)


@bp.app_template_global()
def next_stages(status: str) -> tuple[str, ...]:
    return stages.allowed_next(status)


bp.add_app_template_global(stages.is_open, "is_open_stage")
bp.add_app_template_global(stages.is_reopening, "is_reopening")


@bp.app_template_global()
@per_locale_cache
def interview_kind(kind: str) -> str:
    return str(INTERVIEW_KINDS[kind])


@bp.app_template_global()
@per_locale_cache
def job_source(source: str) -> str:
    return str(SOURCES.get(source, source))


@bp.app_template_global()
@per_locale_cache
def local_date(day: date | datetime) -> str:
    """'Nov 23, 2026' (a datetime is first moved into the reader's time zone)."""
    return local_digits(format_date(day))


@bp.app_template_global()
@per_locale_cache
def local_percent(share: float) -> str:
    return local_digits(format_percent(share))
