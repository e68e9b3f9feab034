"""Account operations shared by the views and the CLI."""
import unicodedata
from contextlib import contextmanager
from urllib.parse import urlsplit

import sqlalchemy as sa

from ..extensions import db
from ..models import User
from .links import write_once

# Control characters (a line break would split the header) and lone surrogates (which no
# encoding can send).
UNSENDABLE = {"Cc", "Cs"}


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


class EmailTaken(Exception):
    """Another account has the email: made a moment ago, after the form looked."""


@contextmanager
def _email_kept_unique(email: str):
    """Write an account's `email` in the block; raise EmailTaken when another request gave
    it to another account first (the unique index says so)."""
    db.session.flush()  # whatever else is pending fails on its own, not as a taken email
    try:
        # A savepoint: losing the race undoes only this write, not the caller's transaction.
        with db.session.begin_nested():
            yield
    except sa.exc.IntegrityError:
        if find_user_by_email(email) is None:
            raise
        raise EmailTaken(email) from None


def register_user(email: str, display_name: str, password: str) -> User:
    """Make an account; return it flushed, so it has its id to log in with (no commit).
    Raises EmailTaken when another request registered the same email first."""
    user = User(email=email.strip().lower(), display_name=display_name.strip())
    user.set_password(password)
    with _email_kept_unique(user.email):
        db.session.add(user)
    return user


def change_email(user: User, email: str) -> bool:
    """Give the account `email` if it is still as `user` was loaded, counting the change
    in the database; whether it was given (no commit). Raises EmailTaken when another
    account has it."""
    email = email.strip().lower()
    with _email_kept_unique(email):
        return write_once(user, email=email, email_changes=User.email_changes + 1)


def safe_next_path(target: str | None) -> str | None:
    """Return target if it is a path on this site, else None (no open redirects, and
    nothing that cannot go into a Location header)."""
    if not target:
        return None
    target = target.strip()
    if any(unicodedata.category(character) in UNSENDABLE for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
