"""Loading the seed threads in seed_data/comments/*.toml.

Each file names a role, its commenters (accounts without a password, so nobody can log
in as them) and its comments; running it again adds only what is missing.
"""
import tomllib
from pathlib import Path

import sqlalchemy as sa

from ..extensions import db
from ..models import Comment, Role, User
from .threads import post_comment

SEED_EMAIL_DOMAIN = "seed.invalid"


def _seed_author(key: str, entry: dict) -> User:
    email = f"{key}@{SEED_EMAIL_DOMAIN}"
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, display_name=entry["display_name"])
        db.session.add(user)
    user.is_moderator = bool(entry.get("moderator", False))
    return user


def _existing_comment(role: Role, author: User, body: str) -> Comment | None:
    return db.session.scalar(
        sa.select(Comment).where(Comment.role_id == role.id, Comment.author_id == author.id, Comment.body_source == body)
    )


def seed_thread_file(path: Path) -> tuple[str, int]:
    """Add the missing comments of one seed file; return the role's slug and how many were added."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    role = db.session.scalar(sa.select(Role).where(Role.slug == data["role"]))
    if role is None:
        raise ValueError(f"{path}: no role with slug '{data['role']}'; seed the roles first")
    authors = {entry["key"]: _seed_author(entry["key"], entry) for entry in data.get("authors", [])}
    db.session.flush()
    comments, added = {}, 0
    for entry in data.get("comments", []):
        author = authors[entry["author"]]
        comment = _existing_comment(role, author, entry["body"])
        if comment is None:
            comment = post_comment(role, author, entry["body"], comments.get(entry.get("parent")))
            added += 1
        comments[entry["key"]] = comment
    db.session.commit()
    return role.slug, added


def seed_threads(directory: Path) -> list[tuple[str, int]]:
    return [seed_thread_file(path) for path in sorted(directory.glob("*.toml"))]
