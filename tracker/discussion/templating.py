"""What the templates call: the thread section of a role page, each comment's card, the
unread count in the navigation bar, and times written the reader's way.

A page of the thread is kept whole for each kind of reader (anonymous, member), drawn
from comment cards that are kept one by one (tracker/caching.py): a new comment draws
its own card and the listing around the others. A member who wrote on the page gets the
listing put together for them from the same cards, theirs with their own links.
"""
from flask import g, render_template, request
from flask_babel import format_timedelta
from flask_login import current_user
from markupsafe import Markup

from .. import caching
from ..arguments import parse_page
from ..catalogue import parts as catalogue_parts
from ..formatting import local_digits, local_moment
from ..models import Comment, Role, utcnow
from . import bp, parts, threads, visibility
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
    page = parse_page(request.args.get("page"))
    order = threads.parse_order(request.args.get("order"))
    kind = caching.reader_kind()
    if kind is None:  # a moderator: every card has their controls
        thread = threads.thread_page(role, page, order)
        return draw_listing("discussion/_listing.html", thread, count=threads.visible_count(role.id))
    html, own_cards = caching.remembered(
        caching.listing_key(role, page, order, kind), lambda: _listing(role, page, order, caching.SharedReader(kind))
    )
    deadlines = own_cards.get(current_user.id) if kind == caching.MEMBER else None
    if deadlines is None:
        return Markup(html)  # nosec B704: an autoescaped Jinja rendering
    # The reader wrote on this page: theirs, kept for them until the thread changes or
    # one of their comments can no longer be edited.
    passed = threads.closed_edit_windows(deadlines)
    author = caching.SharedReader(caching.MEMBER, reader_id=current_user.id)
    html, _ = caching.remembered(
        caching.listing_key(role, page, order, caching.AUTHOR, current_user.id, passed),
        lambda: _listing(role, page, order, author),
    )
    return Markup(html)  # nosec B704: an autoescaped Jinja rendering


def _listing(role: Role, page: int, order: str, reader: caching.SharedReader) -> tuple[str, dict]:
    """The listing drawn for `reader` from threads kept one by one, and when each member
    who wrote some of it may no longer edit each of their comments there (held ones too,
    which they alone see, and hidden ones). A new reply draws its own thread again, not the others."""
    roots = threads.page_roots(role, page, order)
    member = caching.SharedReader(caching.MEMBER) if reader.id is not None else reader
    kept = _threads(role, roots, member)
    if reader.id is not None:  # theirs: the threads they wrote in, with their own cards
        own = {root_id: entry[1][reader.id] for root_id, entry in kept.items() if reader.id in entry[1]}
        kept.update(_threads(role, roots, reader, own))
    html = caching.render_shared(
        reader,
        "discussion/_listing.html",
        role=role,
        thread=threads.ThreadPage(role, [], page, order, roots.next_cursor),
        threads_html=[Markup(kept[root_id][0]) for root_id in roots.ids],  # nosec B704: autoescaped drawings
        count=threads.visible_count(role.id),
    )
    own_cards: dict[int, tuple] = {}
    if reader.id is None and reader.kind == caching.MEMBER:
        for _, deadlines in kept.values():
            for author_id, times in deadlines.items():
                own_cards[author_id] = tuple(sorted(own_cards.get(author_id, ()) + times))
    return html, own_cards


def _threads(role: Role, roots: threads.PageRoots, reader: caching.SharedReader, own: dict | None = None) -> dict:
    """Each thread of `roots` (or of `own`, the reader's) as kept for `reader`: its drawing
    and its authors' edit deadlines; the missing ones drawn, from one query."""
    root_ids = list(own) if own is not None else roots.ids
    extra = {root_id: () for root_id in root_ids}
    if own is not None:  # kept until the thread changes or one of their comments' edit time ends
        extra = {root_id: (reader.id, threads.closed_edit_windows(own[root_id])) for root_id in root_ids}
    kind = caching.AUTHOR if own is not None else reader.kind
    keys = {root_id: caching.one_thread_key(role, root_id, roots.versions[root_id], kind, *extra[root_id]) for root_id in root_ids}
    found = caching.prefetched(list(keys.values()))
    missing = [root_id for root_id in root_ids if keys[root_id] not in found]
    if missing:
        forest, comments = threads.threads_of(role, missing, reader)
        deadlines = threads.edit_deadlines_by_root(comments)
        with caching.drawn_as(reader):
            _prefetch_cards(list(forest.values()), role)
        for root_id in missing:
            node = forest.get(root_id)
            html = caching.render_shared(reader, "discussion/_thread.html", node=node, role=role) if node else ""
            found[keys[root_id]] = (html, deadlines.get(root_id, {}))
            caching.keep(keys[root_id], found[keys[root_id]])
    return {root_id: found[keys[root_id]] for root_id in root_ids}


def draw_listing(template: str, thread: threads.ThreadPage, **context) -> Markup:
    """A listing of `thread` drawn for the current reader from the kept cards."""
    _prefetch_cards(thread.nodes, thread.role)
    return Markup(render_template(template, role=thread.role, thread=thread, **context))  # nosec B704: autoescaped


def _prefetch_cards(nodes: list[threads.ThreadNode], role: Role) -> None:
    keys = [_card(node, role)[1] for node in threads.every_node(nodes)]
    g.cards = {**g.get("cards", {}), **caching.prefetched([key for key in keys if key])}


def _card(node: threads.ThreadNode, role: Role) -> tuple[dict, str | None]:
    """What a comment's card is drawn with for the current reader, and the key it is kept
    under (None for a moderator, whose cards are theirs alone)."""
    own = current_user.is_authenticated and not node.is_placeholder and node.comment.author_id == current_user.id
    editable = own and threads.can_edit(node.comment, current_user)
    kind = caching.reader_kind()
    key = None if kind is None else caching.card_key(node, role, caching.AUTHOR if own else kind, editable)
    return {"node": node, "role": role, "own": own, "editable": editable}, key


@bp.app_template_global()
def comment_card(node: threads.ThreadNode, role: Role) -> Markup:
    """A comment's card as the current reader sees it: kept for every reader of its kind,
    and for its author with their own links; drawn afresh for moderators."""
    context, key = _card(node, role)
    if key is None:
        return Markup(render_template("discussion/_comment.html", **context))  # nosec B704: autoescaped
    html = g.get("cards", {}).get(key)
    if html is not None:
        return Markup(html)  # nosec B704: an autoescaped Jinja rendering
    return caching.shared(key, caching.reader_kind(), "discussion/_comment.html", **context)


# The templates areas above put at a place on a card or a thread (discussion/parts.py).
bp.add_app_template_global(parts.templates_at, "discussion_parts")
bp.add_app_template_global(visibility.is_withdrawn)

# The thread below a role's guide, at one URL per page and order.
catalogue_parts.add(
    catalogue_parts.Part(
        "discussion/_section.html", catalogue_parts.BELOW_GUIDE, canonical_args=threads.canonical_listing_args
    )
)


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
    return local_moment(moment)
