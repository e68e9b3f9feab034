"""What was typed into a comment or reply form and posted after the login had ended
elsewhere (logged out in another tab, or of every device): kept on the server for a day
and put back in that form once its writer has logged in again in the same browser.

The browser holds a random token in a cookie of its own (the session is started afresh
at login, so nothing in it would last that long); the database keeps only the token's
digest, so the table alone names no draft. Only a post that passed the CSRF check, so
one made on this site, can plant a draft, and a draft is put back once.
"""
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import Comment, CommentDraft, Role, utcnow

COOKIE = "comment_draft"
KEPT_FOR = timedelta(days=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keep(role: Role, parent: Comment | None, body: str) -> str:
    """Keep `body`, typed on `role`'s page (in reply to `parent`); return the token that
    names it (no commit). Drafts older than KEPT_FOR go at the same time."""
    db.session.execute(sa.delete(CommentDraft).where(CommentDraft.created_at < utcnow() - KEPT_FOR))
    token = secrets.token_urlsafe(32)
    db.session.add(CommentDraft(
        token_digest=_digest(token), role_id=role.id, parent_id=parent.id if parent else None, body=body
    ))
    db.session.flush()
    return token


def take(token: str | None, role: Role, parent: Comment | None) -> str | None:
    """The text kept under `token` for this form (a reply to `parent`, or a comment on
    `role` when None), if under a day old; it is forgotten, so it comes back once (no commit)."""
    if not token:
        return None
    same_form = CommentDraft.parent_id == parent.id if parent else CommentDraft.parent_id.is_(None)
    draft = db.session.scalar(sa.select(CommentDraft).where(
        CommentDraft.token_digest == _digest(token),
        CommentDraft.role_id == role.id,
        same_form,
        CommentDraft.created_at >= utcnow() - KEPT_FOR,
    ))
    if draft is None:
        return None
    db.session.delete(draft)
    db.session.flush()
    return draft.body
