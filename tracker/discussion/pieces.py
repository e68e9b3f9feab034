"""The discussion's pieces (tracker/pieces.py): a page of a role's thread (LISTING), made of
its threads (THREAD: a top-level comment and its replies, each card drawn in it).

Both are kept for every visitor and every member; a member who wrote on the role gets
theirs (AUTHOR), their threads with their own Edit and Delete links, kept until the thread
changes or one of their comments can no longer be edited. A new reply draws its own thread
again, not the others of the page. Moderators see controls on every card: theirs is drawn
for them alone.
"""
from flask import render_template
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from .. import pieces
from ..extensions import db
from ..models import Role
from . import threads


def _thread_contexts(wanted: list[dict], reader: pieces.SharedReader) -> list[dict]:
    """Threads of one role's page, in one query."""
    role = db.session.get(Role, wanted[0]["role_id"])
    forest, _ = threads.threads_of(role, [each["root_id"] for each in wanted], reader)
    return [{"node": forest.get(each["root_id"]), "role": role} for each in wanted]


THREAD = pieces.Piece(
    "thread",
    "discussion/_thread.html",
    context=lambda reader, **arguments: _thread_contexts([arguments], reader)[0],
    contexts=_thread_contexts,
)


def _listing_context(reader: pieces.SharedReader, role_id: int, page: int, order: str, locked: bool, **versions) -> dict:
    """The page's threads kept one by one; an author's own threads drawn for them."""
    role = db.session.get(Role, role_id)
    roots = threads.page_roots(role, page, order)
    own_roots = set()
    if reader.kind == pieces.AUTHOR:
        own_roots = threads.roots_written_by(reader.id, role_id, roots.ids)
    member = pieces.SharedReader(pieces.MEMBER) if reader.kind == pieces.AUTHOR else reader

    def arguments(root_id):
        return {"role_id": role_id, "root_id": root_id, "version": roots.versions[root_id], "locked": locked}

    others = [root_id for root_id in roots.ids if root_id not in own_roots]
    drawn = dict(zip(others, pieces.draw_many(THREAD, member, [arguments(root_id) for root_id in others])))
    if own_roots:
        own = [root_id for root_id in roots.ids if root_id in own_roots]
        closed = {"closed": versions["closed"]}
        drawn.update(zip(own, pieces.draw_many(THREAD, reader, [arguments(root_id) | closed for root_id in own])))
    return {
        "role": role,
        "thread": threads.ThreadPage(role, [], page, order, roots.next_cursor),
        "threads_html": [drawn[root_id] for root_id in roots.ids],
        "count": threads.visible_count(role_id),
    }


LISTING = pieces.Piece("listing", "discussion/_listing.html", context=_listing_context)


@pass_context
def thread_listing(context, role: Role, page: int, order: str) -> Markup:
    """The role page's thread heading and a page of its threads, as the reader sees it."""
    reader = pieces.drawn_for(context)
    kind = reader.kind if reader else pieces.reader_kind()
    if kind is None:  # a moderator: every card has their controls
        thread = threads.thread_page(role, page, order)
        return Markup(render_template(  # nosec B704: autoescaped
            "discussion/_listing.html", role=role, thread=thread, count=threads.visible_count(role.id)
        ))
    arguments = {
        "role_id": role.id,
        "updated": role.updated_at.timestamp(),
        "version": role.thread_version,
        "locked": role.thread_locked_at is not None,
        "page": page,
        "order": order,
    }
    if kind == pieces.MEMBER and reader is None:
        deadlines = threads.own_edit_deadlines(role.id, current_user.id)
        if deadlines:  # they wrote on this role: theirs, kept until an edit window closes
            author = pieces.SharedReader(pieces.AUTHOR, current_user.id)
            return pieces.draw(LISTING, author, closed=threads.closed_edit_windows(deadlines), **arguments)
    return pieces.draw(LISTING, reader or pieces.SharedReader(kind), **arguments)
