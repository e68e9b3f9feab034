"""What the templates call: whether the reader moderates, and reasons and actions in words."""
from flask_login import current_user

from ..discussion.visibility import is_published
from ..models import Comment
from . import bp
from .actions import ACTIONS
from .forms import LockForm
from .holds import describe_hold
from .reports import describe_reason


@bp.app_template_global()
def viewer_moderates() -> bool:
    return current_user.is_authenticated and current_user.is_moderator


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
def is_withdrawn(comment: Comment) -> bool:
    """Hidden or held, not deleted: readers do not see it; its author or moderators may."""
    return comment.deleted_at is None and not is_published(comment)


@bp.app_template_global()
def new_lock_form() -> LockForm:
    return LockForm(formdata=None)
