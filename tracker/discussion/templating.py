"""What the templates call: the thread section of a role page, each comment's card, the
unread count in the navigation bar, and times written the reader's way.

A page of the thread is kept whole for each kind of reader (anonymous, member), drawn
from comment cards that are kept one by one (tracker/caching.py): a new comment draws
its own card and the listing around the others. A member who wrote on the page gets the
listing put together for them from the same cards, theirs with their own links.
"""
from flask import g, render_template, request
from flask_babel import format_datetime, format_timedelta
from flask_login import current_user
from markupsafe import Markup

from .. import caching
from ..formatting import local_digits, per_locale_cache
from ..models import Comment, Role, utcnow
from . import bp, threads
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
    kind = caching.reader_kind()
    if kind is not None:
        html, readers_with_own_cards = caching.remembered(
            caching.listing_key(role, page, order, kind), lambda: _shared_listing(role, page, order, kind)
        )
        if kind == caching.ANONYMOUS or current_user.id not in readers_with_own_cards:
            return Markup(html)  # nosec B704: an autoescaped Jinja rendering
    thread = threads.thread_page(role, page, order)
    return draw_listing("discussion/_listing.html", thread, count=threads.visible_count(role.id))


def _shared_listing(role: Role, page: int, order: str, kind: str) -> tuple[str, frozenset[int]]:
    """The listing drawn for every reader of `kind`, and the members who would see cards
    of their own in it (their links, or their comments held for review)."""
    thread = threads.thread_page(role, page, order, viewer=caching.SharedReader(kind))
    _prefetch_cards(thread)
    html = caching.render_shared(
        kind, "discussion/_listing.html", role=role, thread=thread, count=threads.visible_count(role.id)
    )
    readers = frozenset()
    if kind == caching.MEMBER:
        readers = frozenset(threads.authors_in(thread)) | threads.authors_with_held(role.id)
    return html, readers


def draw_listing(template: str, thread: threads.ThreadPage, **context) -> Markup:
    """A listing of `thread` drawn for the current reader from the kept cards."""
    _prefetch_cards(thread)
    return Markup(render_template(template, role=thread.role, thread=thread, **context))  # nosec B704: autoescaped


def _prefetch_cards(thread: threads.ThreadPage) -> None:
    keys = [_card_key(node, thread.role) for node in threads.every_node(thread.nodes)]
    g.cards = {**g.get("cards", {}), **caching.prefetched([key for key in keys if key])}


def _owns(node: threads.ThreadNode) -> bool:
    return current_user.is_authenticated and not node.is_placeholder and node.comment.author_id == current_user.id


def _card_key(node: threads.ThreadNode, role: Role) -> str | None:
    kind = caching.reader_kind()
    if kind is None:
        return None
    own = _owns(node)
    kind = caching.AUTHOR if own else kind
    return caching.card_key(node, role, kind, own and threads.can_edit(node.comment, current_user))


@bp.app_template_global()
def comment_card(node: threads.ThreadNode, role: Role) -> Markup:
    """A comment's card as the current reader sees it: kept for every reader of its kind,
    and for its author with their own links; drawn afresh for moderators."""
    own = _owns(node)
    context = {"node": node, "role": role, "own": own, "editable": own and threads.can_edit(node.comment, current_user)}
    key = _card_key(node, role)
    if key is None:
        return Markup(render_template("discussion/_comment.html", **context))  # nosec B704: autoescaped
    html = g.get("cards", {}).get(key)
    if html is not None:
        return Markup(html)  # nosec B704: an autoescaped Jinja rendering
    return caching.shared(key, caching.reader_kind(), "discussion/_comment.html", **context)


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
