"""What the templates call: the save button's state, stage names and moves, and dates
and percentages written the reader's way (Dhaka time, Bengali digits in bn; a date with
its time is formatting.local_moment); the reader's fit and pay checks; and what this area
puts on the catalogue's pages (the save button, the fit box, the "roles I fit" filter)."""
from datetime import date, datetime

from flask import g
from flask_babel import format_date, format_percent
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..catalogue import parts as catalogue_parts
from ..catalogue import search as catalogue_search
from ..formatting import local_digits, per_locale_cache
from . import bp, fit, pay, stages
from .tracking import INTERVIEW_KINDS, SOURCES, first_application_id, local_today, tracked_role_ids


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


def _role_checks(role, reader, args) -> dict:
    """The fit box and the offers members shared, on a role page. A visitor is shown only
    what the check compares: their page is drawn once for every visitor."""
    if not reader.is_authenticated:
        return {"fit_asked": fit.asked(role), "fit": None, "fit_verdict": None, "shared_offers": None}
    requirements = fit.check_fit(fit.Profile.of(reader), role, local_today().year)
    verdict = fit.overall(requirements)
    return {
        "fit_asked": [],  # a member is shown their verdicts instead
        "fit": requirements,
        "fit_verdict": str(fit.VERDICTS[verdict]) if verdict else None,
        "shared_offers": pay.shared_offers(role.id),
    }


catalogue_parts.add(
    catalogue_parts.Part("applications/_role_checks.html", catalogue_parts.BESIDE_TITLE, context=_role_checks)
)


def _fitting_roles() -> set[int]:
    return fit.fitting_role_ids(fit.Profile.of(current_user), local_today().year)


catalogue_search.offer_member_filter(catalogue_search.MemberFilter("fit", _l("Roles I fit"), _fitting_roles))


@bp.app_template_global()
def role_fit(role) -> str | None:
    """The reader's verdict on a role as a whole, in their words (None: the guide states
    no requirement). The role's facets must be loaded with it, as the tracker's list does."""
    verdict = fit.overall(fit.check_fit(fit.Profile.of(current_user), role, local_today().year))
    return str(fit.VERDICTS[verdict]) if verdict else None


@bp.app_template_global()
def pay_place(application) -> str | None:
    """Where an application's pay stands against its role's range: BELOW, WITHIN, ABOVE or None."""
    role = application.role
    if role is None:
        return None
    return pay.place_pay(application.pay_min, application.pay_max, role.salary_min_bdt, role.salary_max_bdt)


bp.add_app_template_global(pay.may_share, "may_share_pay")


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
