"""Signed links mailed to an account (a password reset, a new email's confirmation): each
names the account and a fingerprint of what would make it stale, and opens it only while
young enough and nothing of that has changed. A link to finish registering names only
the address it was mailed to."""
import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import db
from ..mail import site_url
from ..models import User


def link_fingerprint(user: User) -> str:
    """What a mailed link names of the account, so that setting a password or changing the
    email ends every link sent before: one mailed to an address the account has left must
    not open it."""
    state = f"{user.password_hash or ''}\0{user.email}\0{user.email_changes}"
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
