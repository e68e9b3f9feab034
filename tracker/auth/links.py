"""Signed links mailed to an account (a password reset, a new email's confirmation): each
names the account and a fingerprint of what would make it stale, and opens it only while
young enough and nothing of that has changed. A link to finish registering names only
the address it was mailed to."""
import hashlib

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import db
from ..models import User
from ..origin import site_url


# What a mailed link names of the account, so that setting a password or changing the
# email ends every link sent before: one mailed to an address the account has left must
# not open it.
FINGERPRINTED = ("password_hash", "email", "email_changes")


def link_fingerprint(user: User) -> str:
    values = (getattr(user, name) for name in FINGERPRINTED)
    state = "\0".join("" if value is None else str(value) for value in values)
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def account_link(endpoint: str, salt: str, user: User, **claim) -> str:
    """The address of `endpoint` with a token signed under `salt` naming `user` and `claim`."""
    token = _serializer(salt).dumps({"user": user.id, "account": link_fingerprint(user), **claim})
    return site_url(endpoint, token=token)


def opened_link(salt: str, token: str, hours: int) -> tuple[User, dict] | None:
    """The account a token signed under `salt` names, and its claim, while under `hours`
    old and the account is as it was (not deleted, the same password and email)."""
    try:
        claim = _serializer(salt).loads(token, max_age=hours * 3600)
        user = db.session.get(User, int(claim["user"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if user is None or user.deleted_at is not None or claim.get("account") != link_fingerprint(user):
        return None
    return user, claim


def write_once(user: User, **values) -> bool:
    """Write `values` to the account's row if it is still as `user` was loaded and a link
    was checked against (not deleted, the same fingerprint); whether it was (no commit).
    Two requests may both find a link good, a double tap or two links of one account
    pressed at once; the database lets one of them write and tells the other it came too
    late: PostgreSQL waits on the row and tests the WHERE again on what the first wrote,
    SQLite lets one writer in at a time."""
    unchanged = (
        sa.update(User)
        .where(
            User.id == user.id,
            User.deleted_at.is_(None),
            *(getattr(User, name).is_not_distinct_from(getattr(user, name)) for name in FINGERPRINTED),
        )
        .values(**values)
    )
    # On the session's connection, past versions.py: none of this is shown in anything cached.
    written = db.session.connection().execute(unchanged).rowcount == 1
    db.session.expire(user)  # read again as written (or as the winner left it)
    return written


def address_link(endpoint: str, salt: str, email: str, **claim) -> str:
    """The address of `endpoint` with a token signed under `salt` naming an email that has
    no account yet: whoever opens it has read that mailbox."""
    return site_url(endpoint, token=_serializer(salt).dumps({"email": email, **claim}))


def opened_address_link(salt: str, token: str, hours: int) -> dict | None:
    """The claim of a token made by `address_link`, while under `hours` old."""
    try:
        claim = _serializer(salt).loads(token, max_age=hours * 3600)
    except BadSignature:
        return None
    return claim if isinstance(claim, dict) and isinstance(claim.get("email"), str) else None
