"""Account operations shared by the views and the CLI."""
from urllib.parse import urlsplit

import sqlalchemy as sa

from ..extensions import db
from ..models import User


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def register_user(email: str, display_name: str, password: str) -> User:
    """Make an account; return it flushed, so it has its id to log in with (no commit)."""
    user = User(email=email.strip().lower(), display_name=display_name.strip())
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def safe_next_path(target: str | None) -> str | None:
    """Return target if it is a path on this site, else None (no open redirects)."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
