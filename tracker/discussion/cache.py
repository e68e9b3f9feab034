"""Rendered thread listings, shared by the readers who see them alike.

Most readers see a role page's thread exactly as others do: anonymous readers all alike,
and logged-in readers alike but for the links on their own comments. So a listing is
drawn once per process for anyone and once for "any member" (who wrote none of it), and
a member's own Edit and Delete links are put in place of the Report link on their own
comments. Moderators, and members who have comments held for review that only they can
see, get a drawing of their own.

Correctness rests on Role.thread_version: every flush that writes a comment bumps its
role's version in the same transaction, and the version is part of the key, so a changed
thread is never served from the cache, whichever worker process drew it. Entries expire
after half a minute (tracker/rendered.py) so relative times ("5 minutes ago") and renamed
authors stay close to true.
"""
from dataclasses import dataclass
from datetime import datetime
from itertools import chain

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, get_template_attribute
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from ..extensions import db
from ..models import Comment, Role, utcnow
from ..rendered import drawing_for_every_member, refuse_session_token, rendered_cache
from .threads import ThreadNode, ThreadPage, can_edit, edit_deadline, posting_refusal


class AnyMember:
    """Whom a drawing shared by all members is made for: logged in, not a moderator,
    author of nothing in it."""

    is_authenticated = True
    is_moderator = False
    id = None


@dataclass(frozen=True)
class OwnLinks:
    """What to put in place of a comment's Report link when its author reads the thread."""

    report_link: Markup
    editable_until: datetime
    while_editable: Markup
    afterwards: Markup


@dataclass(frozen=True)
class SharedListing:
    html: Markup
    # Each author's readable comments in the drawing, with the links to swap in.
    own_comments: dict[int, tuple[OwnLinks, ...]]
    # Members who would also see comments of their own that are held for review.
    authors_with_held: frozenset[int]


def listing_for_reader(role: Role, key: tuple, draw) -> Markup:
    """A listing of the role's thread for the current user.

    `draw(viewer)` renders it for viewer and returns the HTML and the ThreadPage drawn;
    `key` names what is drawn (which page, which order) apart from the role and reader.
    """
    if current_user.is_authenticated and current_user.is_moderator:
        return Markup(draw(current_user)[0])  # nosec B704: an autoescaped Jinja rendering
    member = current_user.is_authenticated
    cache = rendered_cache(current_app, "threads")
    full_key = (
        role.id, role.updated_at, role.thread_version, role.thread_locked_at, str(get_locale()), member, *key
    )
    listing = cache.get(full_key)
    if listing is None:
        html, thread = draw(AnyMember() if member else current_user)
        authors_with_held = _authors_with_held(role.id) if member else frozenset()
        listing = SharedListing(Markup(refuse_session_token(html)), _own_comments(thread), authors_with_held)  # nosec B704
        cache.put(full_key, listing)
    if not member:
        return listing.html
    fix = OwnLinksFix(listing)
    drawing = drawing_for_every_member()
    if drawing is not None:  # the page around it is shared too: it puts each reader's links in
        drawing.fixes.append(fix)
        return listing.html
    variant = fix.variant(current_user.id)
    if variant is None:
        return Markup(draw(current_user)[0])  # nosec B704: an autoescaped Jinja rendering
    return fix.apply(listing.html, variant)


def reply_form_key(comment: Comment) -> tuple | None:
    """What the reply form under `comment` (the card and the form) shows the current user,
    as a key for drawing it once; None when it is theirs alone: moderators get their
    controls, and whoever may not post gets the reason. The card differs only for the
    comment's author (their own links), and comment writes move the thread's version."""
    role = comment.role
    if current_user.is_moderator or posting_refusal(current_user, role) is not None:
        return None
    own = comment.author_id == current_user.id
    return ("reply", comment.id, role.thread_version, own, can_edit(comment, current_user))


def _authors_with_held(role_id: int) -> frozenset[int]:
    return frozenset(
        db.session.scalars(
            sa.select(Comment.author_id)
            .distinct()
            .where(
                Comment.role_id == role_id,
                Comment.held_reason.is_not(None),
                Comment.hidden_at.is_(None),
                Comment.deleted_at.is_(None),
            )
        )
    )


def _own_comments(thread: ThreadPage) -> dict[int, tuple[OwnLinks, ...]]:
    report_link = get_template_attribute("discussion/_macros.html", "report_link")
    own_links = get_template_attribute("discussion/_macros.html", "own_links")
    found: dict[int, list[OwnLinks]] = {}

    def visit(nodes: list[ThreadNode]) -> None:
        for node in nodes:
            comment = node.comment
            if not node.is_placeholder:
                found.setdefault(comment.author_id, []).append(
                    OwnLinks(
                        report_link(comment.id),
                        edit_deadline(comment),
                        own_links(comment.id, True),
                        own_links(comment.id, False),
                    )
                )
            visit(node.replies)

    visit(thread.nodes)
    return {author_id: tuple(links) for author_id, links in found.items()}


@dataclass(frozen=True)
class OwnLinksFix:
    """Puts a member's Edit and Delete links on their own comments in a page holding a
    listing drawn for any member."""

    listing: SharedListing

    def variant(self, user_id: int) -> tuple | None:
        """What the reader's page depends on: () when they wrote nothing in it, else who
        they are and which of their comments they may still edit; None when they need a
        drawing of their own (they have comments held for review)."""
        if user_id in self.listing.authors_with_held:
            return None
        own = self.listing.own_comments.get(user_id)
        if not own:
            return ()
        now = utcnow()
        return (user_id, tuple(now < links.editable_until for links in own))

    def apply(self, html: str, variant: tuple) -> str:
        """html, holding the listing, made the reader's of `variant`."""
        if not variant:
            return html
        user_id, editable = variant
        # One pass over the page: the links come in the order the listing draws them.
        pieces, start = [], 0
        for links, still_editable in zip(self.listing.own_comments[user_id], editable):
            at = html.find(links.report_link, start)
            if at < 0:  # not drawn: a reply deeper than MAX_COMMENT_DEPTH now allows
                continue
            pieces += [html[start:at], links.while_editable if still_editable else links.afterwards]
            start = at + len(links.report_link)
        pieces.append(html[start:])
        joined = "".join(pieces)
        return Markup(joined) if isinstance(html, Markup) else joined  # nosec B704: pieces of an autoescaped drawing


@sa.event.listens_for(so.Session, "before_flush")
def _bump_thread_versions(session, flush_context, instances) -> None:
    role_ids = {
        obj.role_id if obj.role_id is not None else obj.role.id
        for obj in chain(session.new, session.dirty, session.deleted)
        if isinstance(obj, Comment)
    }
    if role_ids:
        roles = Role.__table__
        session.connection().execute(
            sa.update(roles)
            .where(roles.c.id.in_(role_ids))
            # updated_at says when the guide itself changed (its drawing is cached by it),
            # so a comment must not move it, as its onupdate default otherwise would.
            .values(thread_version=roles.c.thread_version + 1, updated_at=roles.c.updated_at)
        )
