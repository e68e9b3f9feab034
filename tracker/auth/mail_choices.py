"""The mails a member chose (none unless they opt in), each with a signed one-click link
that stops it."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from ..mail import queue_mail
from ..models import User
from ..origin import site_url

# What a member may ask to be mailed, and the account's column that says they did.
CHOICES = {"replies": "email_replies", "answers": "email_answers", "digest": "email_digest"}
UNSUBSCRIBE_SALT = "unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_link(user: User, choice: str) -> str:
    return site_url("auth.unsubscribe", token=_serializer().dumps([user.id, choice]))


def unsubscribing(token: str) -> tuple[User, str] | None:
    """The account and the mail an unsubscribe link stops, or None for a link not ours."""
    try:
        user_id, choice = _serializer().loads(token)
        user = db.session.get(User, int(user_id))
    except (BadSignature, TypeError, ValueError):
        return None
    if user is None or choice not in CHOICES:
        return None
    return user, choice


def mail_if_chosen(user: User, choice: str, template: str, **context) -> None:
    """Queue the mail `template` to `user` if they asked for this kind (added, no commit)."""
    if user.deleted_at is None and getattr(user, CHOICES[choice]):
        queue_mail(user, template, unsubscribe_url=unsubscribe_link(user, choice), **context)
