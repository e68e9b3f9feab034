"""What the templates call: the comment form's state, the thread of a role page (its
pieces are in pieces.py), whether the reader may edit a comment, the unread count in the
navigation bar, and times written the reader's way."""
from flask import render_template, request
from flask_babel import format_timedelta
from flask_login import current_user
from markupsafe import Markup

from ..arguments import parse_page
from ..catalogue import parts as catalogue_parts
from ..formatting import local_digits, local_moment
from ..models import Comment, Role, utcnow
from . import bp, parts, threads, visibility
from .forms import CommentForm
from .notifications import unread_count
from .pieces import thread_listing


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


bp.add_app_template_global(thread_listing)


def comment_card(node: threads.ThreadNode, role: Role) -> Markup:
    """A comment's card as the current reader sees it, alone (a fragment htmx swaps in)."""
    return Markup(render_template("discussion/_comment.html", node=node, role=role))  # nosec B704: autoescaped


# The templates areas above put at a place on a card or a thread (discussion/parts.py).
bp.add_app_template_global(parts.templates_at, "discussion_parts")
bp.add_app_template_global(visibility.is_withdrawn)

def _listing_args(role: Role, reader, args) -> dict:
    return {"thread_page": parse_page(args.get("page")), "thread_order": threads.parse_order(args.get("order"))}


# The thread below a role's guide, at one URL per page and order.
catalogue_parts.add(
    catalogue_parts.Part(
        "discussion/_section.html",
        catalogue_parts.BELOW_GUIDE,
        context=_listing_args,
        canonical_args=threads.canonical_listing_args,
    )
)


@bp.app_template_global()
def unread_notifications() -> int:
    return unread_count(current_user) if current_user.is_authenticated else 0


@bp.app_template_global()
def may_edit_comment(comment: Comment, reader) -> bool:
    return threads.can_edit(comment, reader)


@bp.app_template_filter()
def time_ago(moment) -> str:
    """'3 hours ago' (or '৩ ঘণ্টা আগে')."""
    return local_digits(format_timedelta(moment - utcnow(), add_direction=True))


@bp.app_template_filter()
def exact_time(moment) -> str:
    """The full date and time in the reader's time zone, for hovering over a relative time."""
    return local_moment(moment)
