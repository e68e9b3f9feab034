"""What the templates call: the thread section of a role page, the unread count in the
navigation bar, and times written the reader's way."""
from flask import render_template, request
from flask_babel import format_datetime, format_timedelta
from flask_login import current_user
from markupsafe import Markup

from ..formatting import local_digits, per_locale_cache
from ..models import Comment, Role, utcnow
from . import bp, threads
from .cache import listing_for_reader
from .forms import CommentForm
from .notifications import unread_count


@bp.app_template_global()
def new_comment_state(role: Role, form: CommentForm | None = None) -> dict:
    """What the foot of a thread shows the reader: the comment form, or why there is none.

    `form` is a comment form sent back with its messages after a post without JavaScript.
    """
    refusal = None
    if current_user.is_authenticated:
        refusal = threads.posting_refusal(current_user, role)
        form = form or CommentForm(role, formdata=None)
    return {"form": form, "refusal": refusal, "order": threads.parse_order(request.args.get("order"))}


@bp.app_template_global()
def thread_listing(role: Role) -> Markup:
    """The role page's thread heading and the page of threads its URL asks for."""
    page = threads.parse_page(request.args.get("page"))
    order = threads.parse_order(request.args.get("order"))

    def draw(viewer):
        thread = threads.thread_page(role, page, order, viewer=viewer)
        count = threads.visible_count(role.id)
        return render_template("discussion/_listing.html", role=role, thread=thread, count=count, viewer=viewer), thread

    return listing_for_reader(role, ("page", page, order), draw)


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
@per_locale_cache
def exact_time(moment) -> str:
    """The full date and time in the reader's time zone, for hovering over a relative time."""
    return local_digits(format_datetime(moment, "medium"))
