"""Fixtures shared by the discussion tests: role pages and comments made straight in the
database through the same domain functions the views use."""
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from tracker.discussion.threads import post_comment
from tracker.extensions import db
from tracker.models import Comment, Role, User, sort_key, utcnow


@dataclass(frozen=True)
class Page:
    id: int
    slug: str
    title: str


def _make_role(app, slug, title) -> Page:
    with app.app_context():
        role = Role(slug=slug, title=title, title_sort_key=sort_key(title))
        db.session.add(role)
        db.session.commit()
        return Page(role.id, role.slug, role.title)


@pytest.fixture
def role(app):
    """A role page, ক্যাশিয়ার, with an empty thread."""
    return _make_role(app, "cashier", "ক্যাশিয়ার")


@pytest.fixture
def other_role(app):
    """A second role page, whose comments must never mix with the first's."""
    return _make_role(app, "driver", "ড্রাইভার")


@pytest.fixture
def add_comment(app):
    """Post a comment (or a reply, with parent=id) as a given person; return its id."""

    def add(role, author, body="A question about this job", parent=None, created_at: datetime | None = None):
        with app.app_context():
            comment = post_comment(
                db.session.get(Role, role.id),
                db.session.get(User, author.id),
                body,
                db.session.get(Comment, parent) if parent else None,
            )
            if created_at is not None:
                comment.created_at = created_at
            db.session.commit()
            return comment.id

    return add


@pytest.fixture
def long_thread(app, role, user, other_user, add_comment):
    """Five top-level comments a minute apart (2 per page), the first with a reply."""
    app.config["COMMENTS_PER_PAGE"] = 2
    start = utcnow() - timedelta(hours=1)
    roots = [add_comment(role, user, f"question {n}", created_at=start + timedelta(minutes=n)) for n in range(5)]
    reply = add_comment(role, other_user, "answer to question 0", parent=roots[0])
    return roots, reply


def refill_thread(app, role, people, total, add_comment) -> None:
    """Replace every comment with `total` new ones on the role: top-level comments, each
    with nine replies, by several authors (for comparing a page's cost at two sizes)."""
    with app.app_context():
        db.session.execute(db.delete(Comment))
        db.session.commit()
    roots = []
    for n in range(total):
        author = people[n % len(people)]
        if n % 10 == 0:
            roots.append(add_comment(role, author, f"question {n}"))
        else:
            add_comment(role, author, f"answer {n}", parent=roots[-1])


def load_comment(app, comment_id) -> Comment | None:
    """Read a comment fresh from the database (detached, for asserting on its columns)."""
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        if comment is not None:
            db.session.expunge(comment)
        return comment


def comment_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Comment.id)))


def thread_url(role) -> str:
    return f"/roles/{role.slug}/comments"


def post(client, role, body, parent=None, htmx=False, **extra):
    """Send the comment form as the browser would (htmx-style when htmx=True)."""
    data = {"body": body, "parent_id": str(parent) if parent else "", **extra}
    if htmx:
        return client.htmx("POST", thread_url(role), data=data)
    return client.post(thread_url(role), data=data)


def comments_by(app, author) -> list[str]:
    """The source text of every comment the person has stored, oldest first."""
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Comment.body_source).where(Comment.author_id == author.id).order_by(Comment.id)
            )
        )


def textarea_holds(html: str, text: str) -> bool:
    """Whether the page's textarea still holds the typed text."""
    return re.search(r"<textarea[^>]*>\s*" + re.escape(text) + "</textarea>", html) is not None
