"""What the templates call: the thread section of a role page, the unread count in the
navigation bar, and times written the reader's way."""
from flask import current_app, render_template, request
from flask_babel import format_datetime, format_timedelta, get_locale
from flask_login import current_user
from markupsafe import Markup

from ..formatting import local_digits
from ..models import Comment, Role, utcnow
from . import bp, threads
from .cache import rendered_threads
from .forms import CommentForm
from .notifications import unread_count


@bp.app_template_global()
def role_discussion(role: Role, form: CommentForm | None = None) -> dict:
    """Gather what a role page's thread section shows: one page of threads, the count, the form.

    `form` is a comment form sent back with its messages after a post without JavaScript.
    """
    thread = threads.thread_page(
        role, threads.parse_page(request.args.get("page")), threads.parse_order(request.args.get("order"))
    )
    refusal = None
    if current_user.is_authenticated:
        refusal = threads.posting_refusal(current_user, role)
        form = form or CommentForm(role, formdata=None)
    return {"thread": thread, "count": threads.visible_count(role.id), "form": form, "refusal": refusal}


@bp.app_template_global()
def thread_section(role: Role, comment_form: CommentForm | None = None) -> Markup:
    """Render a role page's thread; anonymous readers share one cached rendering."""

    def render() -> str:
        return render_template("discussion/_section.html", role=role, comment_form=comment_form)

    if current_user.is_authenticated or comment_form is not None:
        return Markup(render())  # nosec B704: an autoescaped Jinja rendering
    key = (
        role.id,
        role.thread_version,
        role.thread_locked_at,
        threads.parse_page(request.args.get("page")),
        threads.parse_order(request.args.get("order")),
        str(get_locale()),
    )
    return rendered_threads(current_app).get_or_render(key, render)


@bp.app_template_global()
def unread_notifications() -> int:
    return unread_count(current_user) if current_user.is_authenticated else 0


@bp.app_template_global()
def can_edit_comment(comment: Comment) -> bool:
    return threads.can_edit(comment, current_user)


@bp.app_template_filter()
def time_ago(moment) -> str:
    """'3 hours ago' (or '৩ ঘণ্টা আগে')."""
    return local_digits(format_timedelta(moment - utcnow(), add_direction=True))


@bp.app_template_filter()
def exact_time(moment) -> str:
    """The full date and time in the reader's time zone, for hovering over a relative time."""
    return local_digits(format_datetime(moment, "medium"))
