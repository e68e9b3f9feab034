"""A role page's thread: posting, editing and deleting comments, and reading a page of
threads with all their replies in one query.

The tree lives in three columns: root_id (the top-level comment), depth, and path (the
zero-padded ids from the root down), so ordering one thread's rows by path gives reading
order: every comment right after its parent, replies oldest first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.exc import IntegrityError
from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from ..arguments import parse_id, parse_page
from ..extensions import db
from ..limits import take_token
from ..models import Comment, Role, User, UTCDateTime, utcnow
from .notifications import notify_reply
from .sanitise import render_comment
from .visibility import can_read, published_clause

ORDERS = ("oldest", "newest")
PATH_SEPARATOR = "/"


@dataclass
class ThreadNode:
    """A comment as the thread shows it, with its replies."""

    comment: Comment
    replies: list[ThreadNode] = field(default_factory=list)
    # Whom the comment answers when it was attached higher up at the depth limit.
    answering: User | None = None
    # Shown only as "comment deleted" (or hidden) to the viewer, to keep its replies in place.
    is_placeholder: bool = False


@dataclass(frozen=True)
class Cursor:
    """Where "load more" goes on: after this top-level comment, among those up to id `upto`."""

    after: int
    upto: int


@dataclass
class ThreadPage:
    role: Role
    nodes: list[ThreadNode]
    page: int
    order: str
    next_cursor: Cursor | None

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None

    @property
    def order_param(self) -> str | None:
        return order_param(self.order)

    @property
    def previous_page_param(self) -> int | None:
        return page_param(self.page - 1)


def _listed_roots(role_id: int) -> sa.Select:
    # Every top-level comment takes its place in the pages; build_forest then drops the
    # withdrawn ones, or keeps them as placeholders when they have readable replies.
    return sa.select(Comment.id).where(Comment.role_id == role_id, Comment.parent_id.is_(None))


def parse_order(value: str | None) -> str:
    return value if value in ORDERS else ORDERS[0]


def order_param(order: str) -> str | None:
    """The order as a URL parameter: left out when it is the default."""
    return None if order == ORDERS[0] else order


def page_param(page: int) -> int | None:
    """The page as a URL parameter: left out for the first."""
    return page if page > 1 else None


def page_count(role_id: int) -> int:
    """How many pages the role page's threads fill (one when there are none)."""
    roots = db.session.scalar(sa.select(sa.func.count()).select_from(_listed_roots(role_id).subquery()))
    return max(1, -(-roots // current_app.config["COMMENTS_PER_PAGE"]))


def canonical_listing_args(role: Role, args) -> dict[str, int | str | None]:
    """The page and order of the threads that URL arguments `args` ask for, as the role
    page's own links write them: defaults left out, a page past the last made the last."""
    page = parse_page(args.get("page"))
    if page > 1:
        page = min(page, page_count(role.id))
    return {"page": page_param(page), "order": order_param(parse_order(args.get("order")))}


def parse_cursor(after: str | None, upto: str | None) -> Cursor | None:
    after_id, upto_id = parse_id(after), parse_id(upto)
    return Cursor(after_id, upto_id) if after_id and upto_id else None


def visible_count(role_id: int) -> int:
    """How many comments on the role page anyone can read (the heading's number)."""
    return db.session.scalar(
        sa.select(sa.func.count(Comment.id)).where(Comment.role_id == role_id, published_clause())
    )


@dataclass(frozen=True)
class PageRoots:
    """The top-level comments a page of the thread shows, in order, with the version of
    each one's whole thread (Comment.subtree_version), and where "load more" goes on."""

    ids: list[int]
    versions: dict[int, int]
    next_cursor: Cursor | None


def page_roots(role: Role, page: int = 1, order: str = "oldest", cursor: Cursor | None = None) -> PageRoots:
    """The top-level comments of one page, in one query (a second finds where a "load
    more" cursor points)."""
    per_page = current_app.config["COMMENTS_PER_PAGE"]
    direction = sa.desc if order == "newest" else sa.asc
    roots_query = (
        _listed_roots(role.id)
        .add_columns(
            Comment.subtree_version,
            # The newest thread's id rides along on every row: the bound for "load more".
            sa.func.max(Comment.id).over().label("newest_root_id"),
        )
        .order_by(direction(Comment.created_at), direction(Comment.id))
        .limit(per_page + 1)
    )
    start = db.session.get(Comment, cursor.after) if cursor else None
    if start is not None and start.role_id == role.id and start.parent_id is None:
        # "Load more" goes on from the last thread shown, among the threads there were
        # then, so comments posted since neither repeat a thread nor push one out.
        roots_query = roots_query.where(_comes_after(start, order), Comment.id <= cursor.upto)
    else:
        roots_query = roots_query.offset((page - 1) * per_page)
    rows = db.session.execute(roots_query).all()[: per_page + 1]
    shown = rows[:per_page]
    next_cursor = None
    if len(rows) > per_page:
        upto = cursor.upto if start is not None else rows[0].newest_root_id
        next_cursor = Cursor(after=shown[-1].id, upto=upto)
    return PageRoots([row.id for row in shown], {row.id: row.subtree_version for row in shown}, next_cursor)


def threads_of(role: Role, root_ids: list[int], viewer) -> tuple[dict[int, ThreadNode], list[Comment]]:
    """The threads under `root_ids` as `viewer` may see them (a thread they may see none
    of is left out), and every comment in them, in one query."""
    comments = []
    if root_ids:
        comments = db.session.scalars(
            sa.select(Comment)
            .where(Comment.role_id == role.id, Comment.root_id.in_(root_ids))
            .options(so.joinedload(Comment.author))
            .order_by(Comment.path.collate("C"))
        ).all()
    return {node.comment.id: node for node in build_forest(comments, viewer)}, comments


def thread_page(
    role: Role, page: int = 1, order: str = "oldest", cursor: Cursor | None = None, viewer=None
) -> ThreadPage:
    """One page of top-level comments with all their replies, any size, in two queries
    (a third finds where a "load more" cursor points), as `viewer` (the reader) may see them."""
    roots = page_roots(role, page, order, cursor)
    forest, _ = threads_of(role, roots.ids, current_user if viewer is None else viewer)
    nodes = [forest[root_id] for root_id in roots.ids if root_id in forest]
    return ThreadPage(role=role, nodes=nodes, page=page, order=order, next_cursor=roots.next_cursor)


def build_forest(comments: list[Comment], viewer) -> list[ThreadNode]:
    """Nest comments given in path order, dropping what the viewer may not see."""
    nodes: dict[int, ThreadNode] = {}
    roots: list[ThreadNode] = []
    for comment in comments:
        node = nodes[comment.id] = ThreadNode(comment, is_placeholder=not can_read(comment, viewer))
        parent = nodes.get(comment.parent_id)
        if parent is not None:
            parent.replies.append(node)
        elif comment.parent_id is None:
            roots.append(node)
        answered = nodes.get(comment.in_reply_to_id)
        if answered is not None and comment.in_reply_to_id != comment.parent_id:
            node.answering = answered.comment.author
    roots = [node for node in roots if _prune(node)]
    for root in roots:
        lift_answers(root.replies)
    return roots


def lift_answers(nodes: list[ThreadNode]) -> bool:
    """Reorder nodes in place so a reply a moderator marked as the answer comes first among
    its siblings, with the branches above it also first, so it is the first reply one
    reads; True if an answer is among them."""
    holding = {id(node) for node in nodes if _holds_answer(node)}
    nodes.sort(key=lambda node: id(node) not in holding)  # stable: the rest keep their order
    return bool(holding)


def _holds_answer(node: ThreadNode) -> bool:
    inside = lift_answers(node.replies)
    return node.comment.is_answer or inside


def every_node(nodes: list[ThreadNode]):
    """The nodes and all their replies, in reading order."""
    for node in nodes:
        yield node
        yield from every_node(node.replies)


def own_edit_deadlines(role_id: int, author_id: int) -> list[datetime]:
    """When the member may no longer edit each of their comments on the role; held and
    hidden ones count (they alone see them), deleted ones do not."""
    created = db.session.scalars(
        sa.select(Comment.created_at).where(
            Comment.author_id == author_id, Comment.role_id == role_id, Comment.deleted_at.is_(None)
        )
    )
    return [edit_deadline_of(moment) for moment in created]


def roots_written_by(author_id: int, role_id: int, root_ids: list[int]) -> set[int]:
    """Which of the threads `root_ids` the member wrote in (a comment not deleted)."""
    return set(db.session.scalars(
        sa.select(Comment.root_id).distinct().where(
            Comment.author_id == author_id,
            Comment.role_id == role_id,
            Comment.root_id.in_(root_ids),
            Comment.deleted_at.is_(None),
        )
    ))


def _prune(node: ThreadNode) -> bool:
    """Drop unreadable replies; keep an unreadable comment only as a placeholder for readable ones."""
    node.replies = [reply for reply in node.replies if _prune(reply)]
    return not node.is_placeholder or bool(node.replies)


def single_node(comment: Comment) -> ThreadNode:
    """One comment without its replies, for the fragments that redraw a single comment."""
    answering = None
    if comment.in_reply_to_id and comment.in_reply_to_id != comment.parent_id:
        answered = db.session.get(Comment, comment.in_reply_to_id)
        answering = answered.author if answered else None
    return ThreadNode(comment, answering=answering, is_placeholder=not can_read(comment, current_user))


def posting_refusal(user: User, role: Role) -> str | None:
    """Why this user may not write on this thread now, or None."""
    if role.thread_locked_at is not None:
        return _("This discussion is closed to new comments.")
    if user.is_suspended():
        if user.suspension_reason:
            return _("You cannot comment at the moment: %(reason)s", reason=user.suspension_reason)
        return _("You cannot comment at the moment.")
    return None


@dataclass(frozen=True)
class Refusal:
    message: str
    status: int


def refuse_post(user: User, role: Role, address: str) -> Refusal | None:
    """Why a valid comment from `address` (the reader's IP) may not be stored now (with the
    HTTP status to say so), or None.

    The rate limits are checked here rather than by a route decorator so the refusal
    shows in the form with the typed text kept, not on an error page.
    """
    refusal = posting_refusal(user, role)
    if refusal:
        return Refusal(refusal, 403)
    if not take_token("COMMENT_RATE_LIMIT", "comment", user.id):
        return Refusal(_("You are posting too fast. Wait a minute, then post again: your text is kept."), 429)
    if user.is_moderator:
        return None
    if user.is_new() and not take_token("NEW_ACCOUNT_COMMENT_ADDRESS_RATE_LIMIT", "comment-new-account-address", address):
        return Refusal(
            _("Too many comments from new accounts have come from your internet connection this hour. "
              "Try again later: your text is kept."),
            429,
        )
    if not take_token("COMMENT_ADDRESS_RATE_LIMIT", "comment-address", address):
        return Refusal(
            _("Too many comments have come from your internet connection today. Try again tomorrow: your text is kept."),
            429,
        )
    return None


def _ancestor_id(comment: Comment, depth: int) -> int:
    return int(comment.path.split(PATH_SEPARATOR)[depth])


def sent_before(author: User, submission_key: str | None) -> Comment | None:
    """The comment this author already posted from the form with this key, if any."""
    if submission_key is None:
        return None
    return db.session.scalar(
        sa.select(Comment).where(Comment.author_id == author.id, Comment.submission_key == submission_key)
    )


def post_once(role: Role, author: User, body: str, answered: Comment | None, submission_key: str | None) -> Comment | None:
    """post_comment, unless a request racing this one stored the same form first: then
    None, and nothing of this one is kept (no commit)."""
    try:
        with db.session.begin_nested():
            return post_comment(role, author, body, answered, submission_key)
    except IntegrityError:  # the unique (author, submission key) index: the other one won
        return None


def post_comment(
    role: Role, author: User, body: str, answered: Comment | None = None, submission_key: str | None = None
) -> Comment:
    """Add a comment, or a reply to `answered`, and notify whom it answers (no commit)."""
    parent = answered
    deepest_parent = current_app.config["MAX_COMMENT_DEPTH"] - 2
    if parent is not None and parent.depth > deepest_parent:
        parent = db.session.get(Comment, _ancestor_id(parent, deepest_parent))
    comment = Comment(
        role_id=role.id,
        author=author,
        parent_id=parent.id if parent else None,
        in_reply_to_id=answered.id if answered else None,
        depth=parent.depth + 1 if parent else 0,
        body_source=body,
        body_html=render_comment(body),
        submission_key=submission_key,
    )
    db.session.add(comment)
    db.session.flush()  # the path needs the new id
    comment.root_id = parent.root_id if parent else comment.id
    segment = f"{comment.id:010d}"
    comment.path = parent.path + PATH_SEPARATOR + segment if parent else segment
    if answered is not None:
        notify_reply(comment, answered)
    return comment


def edit_deadline(comment: Comment) -> datetime:
    """When the comment can no longer be changed."""
    return edit_deadline_of(comment.created_at)


def edit_deadline_of(created_at: datetime) -> datetime:
    return created_at + timedelta(minutes=current_app.config["COMMENT_EDIT_MINUTES"])


def before(deadline: datetime) -> bool:
    return utcnow() < deadline


def closed_edit_windows(deadlines) -> int:
    """How many of these edit deadlines have passed: what a reader's own kept listing
    depends on as time goes by."""
    return sum(not before(deadline) for deadline in deadlines)


def can_edit(comment: Comment, user) -> bool:
    return (
        user.is_authenticated
        and comment.author_id == user.id
        and comment.deleted_at is None
        and before(edit_deadline(comment))
    )


def edit_refusal(comment: Comment, user: User) -> str | None:
    """Why the author may not change this comment now, or None."""
    if utcnow() >= edit_deadline(comment):
        minutes = current_app.config["COMMENT_EDIT_MINUTES"]
        return _("A comment can be changed only in its first %(minutes)d minutes.", minutes=minutes)
    return posting_refusal(user, comment.role)


def refuse_edit_now(user: User) -> str | None:
    """Why a valid edit may not be saved at this moment (too many saves this minute), or
    None; counted as refuse_post counts posts."""
    if not take_token("COMMENT_EDIT_RATE_LIMIT", "comment-edit", user.id):
        return _("You are saving changes too fast. Wait a minute, then save again: your text is kept.")
    return None


def edit_comment(comment: Comment, body: str) -> None:
    """Replace a comment's text and mark it edited (no commit)."""
    if body == comment.body_source:
        return
    comment.body_source = body
    comment.body_html = render_comment(body)
    comment.edited_at = utcnow()


def _has_replies(comment_id: int) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(Comment.parent_id == comment_id)))


def delete_comment(comment: Comment) -> int | None:
    """Delete a comment (no commit).

    With replies it stays, text gone, as "comment deleted"; then None is returned.
    Otherwise its row goes, and so does any deleted parent kept only for it; the id of
    the highest comment removed is returned, so the page can drop that whole branch.
    """
    if _has_replies(comment.id):
        comment.deleted_at = utcnow()
        comment.body_source = ""
        comment.body_html = ""
        return None
    removed, parent_id = comment.id, comment.parent_id
    db.session.delete(comment)
    db.session.flush()
    while parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent.deleted_at is None or _has_replies(parent.id):
            break
        removed, parent_id = parent.id, parent.parent_id
        db.session.delete(parent)
        db.session.flush()
    return removed


def _comes_before(root: Comment, order: str):
    """SQL: the top-level comments shown before `root` in this order."""
    position = sa.tuple_(Comment.created_at, Comment.id)
    root_position = sa.tuple_(sa.literal(root.created_at, UTCDateTime), sa.literal(root.id))
    return position > root_position if order == "newest" else position < root_position


def _comes_after(root: Comment, order: str):
    return _comes_before(root, "oldest" if order == "newest" else "newest")


def page_of(comment: Comment, order: str = "oldest") -> int:
    """The page of the thread, in this order, that shows the comment."""
    root = comment if comment.root_id == comment.id else db.session.get(Comment, comment.root_id)
    before = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(_listed_roots(comment.role_id).where(_comes_before(root, order)).subquery())
    )
    return before // current_app.config["COMMENTS_PER_PAGE"] + 1
