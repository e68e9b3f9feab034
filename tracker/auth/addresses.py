"""Changing an account's email: asked for with the password, done from a signed link
mailed to the new address, so that an account never moves to an address its owner cannot
read (and a typo made when registering can be mended)."""
import sqlalchemy as sa

from ..extensions import db
from ..mail import queue_mail
from ..models import OutboxMail, User
from ..origin import site_url
from .links import account_link, opened_link
from .users import change_email, find_user_by_email

CHANGE_SALT = "email-change"
CHANGE_HOURS = 24


def confirmation_link(user: User, new_email: str) -> str:
    return account_link("auth.confirm_email", CHANGE_SALT, user, to=new_email)


def ask_to_change_email(user: User, new_email: str) -> None:
    """Mail a link to `new_email` that moves the account there; or, when another account
    has that address, tell its owner so (added, no commit). The asker hears the same
    either way: the form must not tell who has an account."""
    holder = find_user_by_email(new_email)
    if holder is None:
        link = confirmation_link(user, new_email)
        queue_mail(user, "email_confirm", to_address=new_email, link=link, hours=CHANGE_HOURS, new_email=new_email)
    else:
        queue_mail(holder, "email_taken", login_link=site_url("auth.login"))


def email_change_for(token: str) -> tuple[User, str] | None:
    """The account and the new email a confirmation link is for, while it is under a day
    old and neither the account's email nor its password has changed since it was sent."""
    opened = opened_link(CHANGE_SALT, token, CHANGE_HOURS)
    if opened is None or "to" not in opened[1]:
        return None
    user, claim = opened
    return user, str(claim["to"])


def masked(email: str) -> str:
    """The address with most of its name hidden ("as***@example.com"): enough for its
    owner to know it, not enough to give it away to whoever reads a mistyped old one."""
    name, _, domain = email.partition("@")
    return f"{name[:2]}***@{domain}"


def confirm_email_change(user: User, new_email: str) -> bool:
    """Move the account to `new_email`: mails not yet sent go there too, and the address
    it leaves is told (no commit). False when the link came too late: another link of the
    account, or this one pressed twice, moved it a moment ago. Raises EmailTaken when
    another account took the address meanwhile."""
    old_email = user.email
    if not change_email(user, new_email):
        return False
    db.session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.user_id == user.id, OutboxMail.sent_at.is_(None), OutboxMail.to_address == old_email)
        .values(to_address=user.email)
    )
    queue_mail(user, "email_changed", to_address=old_email, new_email=masked(user.email))
    return True
