"""Loading the seed threads in seed_data/comments/*.toml.

Each file names a role, its commenters (accounts without a password, so nobody can log
in as them) and its comments, each with a key. Running it again adds only the comments
whose key was never seeded: one that its author or a moderator deleted stays deleted.
"""
import tomllib
from pathlib import Path

import sqlalchemy as sa

from ..extensions import db
from ..models import Comment, Role, SeededComment, User
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


def _seeded_before_keys_were_kept(role: Role, author: User, body: str) -> Comment | None:
    """The comment a seeding older than the keys added for this entry, if it is still there."""
    return db.session.scalar(
        sa.select(Comment).where(Comment.role_id == role.id, Comment.author_id == author.id, Comment.body_source == body)
    )


def seed_thread_file(path: Path) -> tuple[str, int]:
    """Add the never-seeded comments of one seed file (no commit); return the role's slug
    and how many were added."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    role = db.session.scalar(sa.select(Role).where(Role.slug == data["role"]))
    if role is None:
        raise ValueError(f"{path}: no role with slug '{data['role']}'; seed the roles first")
    authors = {entry["key"]: _seed_author(entry["key"], entry) for entry in data.get("authors", [])}
    db.session.flush()
    seeded = {
        record.seed_key: record
        for record in db.session.scalars(sa.select(SeededComment).where(SeededComment.seed_key.startswith(f"{role.slug}/")))
    }
    comments, added = {}, 0  # by entry key: the comment, or None when it was removed
    for entry in data.get("comments", []):
        seed_key = f"{role.slug}/{entry['key']}"
        if seed_key in seeded:
            comments[entry["key"]] = seeded[seed_key].comment
            continue
        author, parent_key = authors[entry["author"]], entry.get("parent")
        comment = _seeded_before_keys_were_kept(role, author, entry["body"])
        if comment is None:
            if parent_key and comments[parent_key] is None:
                # It answers a comment that was removed: it would read as answering nothing.
                comments[entry["key"]] = None
                continue
            comment = post_comment(role, author, entry["body"], comments.get(parent_key))
            added += 1
        db.session.add(SeededComment(seed_key=seed_key, comment=comment))
        comments[entry["key"]] = comment
    return role.slug, added


def seed_threads(directory: Path) -> list[tuple[str, int]]:
    """Seed every thread file in `directory` (no commit)."""
    return [seed_thread_file(path) for path in sorted(directory.glob("*.toml"))]
