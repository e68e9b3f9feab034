"""What the templates call: reasons and actions in words, and forms for a moderator;
and what moderation draws on the discussion's cards and threads, each template deciding
whom it shows to."""

from ..discussion import parts
from . import bp
from .actions import ACTIONS
from .forms import HideForm, LockForm
from .holds import describe_hold
from .reports import describe_reason


@bp.app_template_global()
def hold_reason_text(code: str | None) -> str:
    return describe_hold(code)


@bp.app_template_global()
def report_reason_text(code: str) -> str:
    return describe_reason(code)


@bp.app_template_global()
def audit_action_text(code: str) -> str:
    return str(ACTIONS.get(code, code))


@bp.app_template_global()
def new_lock_form() -> LockForm:
    return LockForm(formdata=None)


@bp.app_template_global()
def new_hide_form(comment, place: str = "") -> HideForm:
    form = HideForm(formdata=None)
    form.name_for(comment, place)
    return form


parts.put(parts.COMMENT_LINKS, "moderation/_report_link.html")
parts.put(parts.UNDER_COMMENT, "moderation/_held_reason.html")
parts.put(parts.UNDER_COMMENT, "moderation/_comment_actions.html")
parts.put(parts.UNDER_COMMENT, "moderation/_report.html")
parts.put(parts.COMMENT_LINKS, "moderation/_ask_again_link.html")
parts.put(parts.UNDER_COMMENT, "moderation/_ask_again.html")
parts.put(parts.THREAD_FOOT, "moderation/_thread_controls.html")
