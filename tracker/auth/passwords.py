"""Passwords: a reset by a signed link that works once within an hour, a change, and a
login check that takes as long for an unknown email as for a known one."""
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from ..limits import take_token
from ..mail import queue_mail
from ..models import User
from ..origin import site_url
from .links import account_link, opened_link, write_once
from .sessions import end_every_session, end_other_sessions
from .users import find_user_by_email

RESET_SALT = "password-reset"
RESET_HOURS = 1


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not anyone's password")


def authenticate(email: str, password: str) -> User | None:
    """The account with this email and password, or None; an unknown email is checked
    against a stand-in hash, so the answer takes as long either way."""
    user = find_user_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if user.check_password(password) else None


def reset_link(user: User) -> str:
    return account_link("auth.reset_password", RESET_SALT, user)


def request_reset(email: str) -> None:
    """Mail a reset link to the account with `email`, or to an address without one how to
    make one (added, no commit): the same work either way, so the time taken tells
    nothing. Past RESET_MAIL_RATE_LIMIT for the address, nothing is mailed."""
    if not take_token("RESET_MAIL_RATE_LIMIT", "reset-mail", email):
        return
    user = find_user_by_email(email)
    if user is None or user.deleted_at is not None:
        queue_mail(None, "no_account", to_address=email, link=site_url("auth.register"))
    else:
        queue_mail(user, "password_reset", link=reset_link(user), hours=RESET_HOURS)


def user_for_reset(token: str) -> User | None:
    """The account a reset link is for, while it is under an hour old and unused."""
    opened = opened_link(RESET_SALT, token, RESET_HOURS)
    return opened[0] if opened else None


def reset_password(user: User, password: str) -> bool:
    """Set the password from a reset link, ending every session of the account (no commit).
    False when the link came too late: it was used a moment ago, or the account changed."""
    if not write_once(user, password_hash=generate_password_hash(password)):
        return False
    end_every_session(user)
    _tell_of_new_password(user)
    return True


def change_password(user: User, password: str) -> None:
    """Set a new password, ending every session of the account but this one (no commit)."""
    user.set_password(password)
    end_other_sessions(user)
    _tell_of_new_password(user)


def _tell_of_new_password(user: User) -> None:
    # Whoever else changed it, the owner hears of it and how to take the account back.
    queue_mail(user, "password_changed", link=site_url("auth.forgot_password"))
