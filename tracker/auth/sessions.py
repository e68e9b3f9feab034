"""Logins kept in the database, so that ending one holds on every worker and machine.

Each login is a UserSession row. Flask-Login's session and remember-me cookie carry its
token inside the user's id (User.get_id), and the user loader finds the user only through
a row that still exists and has outlived neither SESSION_IDLE_DAYS nor SESSION_MAX_DAYS.
Ending a login is deleting its row.
"""
import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import abort, current_app, g, request, session
from flask_login import login_user

from ..arguments import parse_id
from ..extensions import db, login_manager
from ..models import User, UserSession, utcnow

# last_seen_at need be no finer than the idle lifetime, so a request is not also a write.
SEEN_PRECISION = timedelta(hours=1)
DESCRIPTION_LENGTH = 200


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _cutoffs(now: datetime) -> dict[str, datetime]:
    """A live session was last seen after idle_since and opened after opened_since."""
    config = current_app.config
    return {
        "idle_since": now - timedelta(days=config["SESSION_IDLE_DAYS"]),
        "opened_since": now - timedelta(days=config["SESSION_MAX_DAYS"]),
    }


_ALIVE = (
    UserSession.last_seen_at > sa.bindparam("idle_since"),
    UserSession.created_at > sa.bindparam("opened_since"),
)


def start_session(user: User, description: str) -> None:
    """Record a new login of `user`, which `user.get_id()` then names (flushed, no commit)."""
    user.session_token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id,
            token_digest=token_digest(user.session_token),
            description=description[:DESCRIPTION_LENGTH],
        )
    )
    db.session.flush()


def end_session(user: User) -> None:
    """End the login `user` was loaded for; their others go on (no commit)."""
    db.session.execute(sa.delete(UserSession).where(UserSession.token_digest == token_digest(user.session_token)))


def own_session_or_404(user: User, session_id: int) -> UserSession:
    """One of `user`'s logins by its id; another member's, or none, is a 404."""
    user_session = db.session.get(UserSession, session_id)
    if user_session is None or user_session.user_id != user.id:
        abort(404)
    return user_session


def end_every_session(user: User) -> None:
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))


def end_other_sessions(user: User) -> None:
    """End every login of `user` but the one they were loaded for (no commit)."""
    db.session.execute(
        sa.delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.token_digest != token_digest(user.session_token)
        )
    )


# What a user agent says of its browser and system, as people call them; the first match
# wins (Edge and Samsung Internet also say Chrome, Chrome also says Safari).
BROWSERS = (
    ("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("UCBrowser/", "UC Browser"),
    ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("CrOS", "ChromeOS"), ("Windows", "Windows"),
    ("Macintosh", "Mac"), ("Linux", "Linux"),
)


def device_names(description: str) -> tuple[str | None, str | None]:
    """The browser and the system a login's user agent names ("Chrome", "Android"), each
    None when it names none we know."""
    browser = next((name for token, name in BROWSERS if token in description), None)
    system = next((name for token, name in SYSTEMS if token in description), None)
    return browser, system


def live_sessions(user: User) -> list[UserSession]:
    """The user's logins that have not ended, the most recently seen first."""
    return list(
        db.session.scalars(
            sa.select(UserSession)
            .where(UserSession.user_id == user.id, *_ALIVE)
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()),
            _cutoffs(utcnow()),
        )
    )


def log_in(user: User, remember: bool) -> None:
    """Log `user` in to a new session of this browser (the view commits).

    Nothing of the session before survives: not what someone who planted it knows
    (session fixation), nor its CSRF token, which a page may have shown to anyone.
    """
    session.clear()
    g.pop(current_app.config["WTF_CSRF_FIELD_NAME"], None)  # Flask-WTF's copy for this request
    start_session(user, request.user_agent.string)
    login_user(user, remember=remember)


# Run on every request, so the statement is built once: building it cost more than running it.
_LIVE_SESSION_USER = (
    sa.select(User, UserSession.id, UserSession.last_seen_at)
    .join(UserSession, UserSession.user_id == User.id)
    .where(User.id == sa.bindparam("user_id"), UserSession.token_digest == sa.bindparam("digest"), *_ALIVE)
)


@login_manager.user_loader
def load_user(user_and_token: str) -> User | None:
    """The user of a live session, in one query: it runs on every request."""
    user_part, _, token = user_and_token.partition(":")
    user_id = parse_id(user_part)
    if user_id is None or not token:
        return None
    now = utcnow()
    found = db.session.execute(
        _LIVE_SESSION_USER, {"user_id": user_id, "digest": token_digest(token), **_cutoffs(now)}
    ).first()
    if found is None:
        return None
    user, session_id, last_seen_at = found
    if now - last_seen_at > SEEN_PRECISION:
        _mark_seen(session_id, now)
    user.session_token = token
    return user


def _mark_seen(session_id: int, now: datetime) -> None:
    # A transaction of its own: the request's own may only read (and so never commit) or
    # fail, and the session was used either way.
    with db.engine.begin() as connection:
        connection.execute(sa.update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now))
