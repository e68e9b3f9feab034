"""The data the benchmark measures against, built through the app's own domain functions."""
import gzip
from dataclasses import dataclass, field

import flask_migrate
import sqlalchemy as sa

from tracker import create_app
from tracker.applications.tracking import save_role
from tracker.catalogue.importer import import_role_files
from tracker.cli import SEED_DIR
from tracker.discussion.threads import post_comment
from tracker.extensions import db
from tracker.models import Role, User

BIG_THREAD_COMMENTS = 1000
SMALL_THREAD_COMMENTS = 30
APPLICATIONS = 300


@dataclass
class Target:
    name: str
    path: str
    logged_in: bool = False
    goal: float | None = None
    htmx: bool = False
    post_body: str | None = None  # a form body makes wrk POST it (with the CSRF header)
    revalidated: bool = False  # asked with the ETag it was sent: a browser's repeat view (304)


@dataclass
class BenchData:
    email: str
    password: str
    targets: list[Target] = field(default_factory=list)
    app: object = None

    def log_in(self, client) -> str:
        """Log the test client in through the form; return a CSRF token for its later posts."""
        page = client.get("/auth/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post("/auth/login", data={"csrf_token": token, "email": self.email, "password": self.password})
        page = client.get("/").get_data(as_text=True)
        return page.split('"X-CSRFToken": "')[1].split('"')[0]

    def page_facts(self) -> list[str]:
        """gzip size and SQL statements of one request to each measured page."""
        client = self.app.test_client()
        statements = []
        with self.app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))
        lines = []
        logged_in = False
        for name, path, login in (
            (f"role page, {SMALL_THREAD_COMMENTS} comments, anonymous", "/roles/bpo-job", False),
            (f"role page, {BIG_THREAD_COMMENTS} comments, anonymous", "/roles/customer-care-officer", False),
            (f"role page, {BIG_THREAD_COMMENTS} comments, logged in", "/roles/customer-care-officer", True),
            (f"tracker page, {APPLICATIONS} applications", "/tracker/", True),
            ("board", "/tracker/board", True),
        ):
            if login and not logged_in:
                logged_in = True
                self.log_in(client)
            statements.clear()
            body = client.get(path).data
            lines.append(f"{name:<45} {len(body) / 1024:7.1f} KB, gzip {len(gzip.compress(body)) / 1024:5.1f} KB, {len(statements)} SQL queries")
        return lines


def _comments(role: Role, authors: list[User], count: int) -> None:
    """Threads of a few replies each, written by several authors."""
    previous = None
    for number in range(count):
        author = authors[number % len(authors)]
        answered = previous if number % 4 else None
        previous = post_comment(role, author, f"মন্তব্য {number}: প্রশ্ন আর উত্তর, *একটু* লম্বা লেখা যেন পাতা বাস্তব হয়।", answered)
    db.session.commit()


def build_bench_data(password: str) -> BenchData:
    """Migrate a fresh database, seed it, and fill it to the benchmark's sizes."""
    app = create_app()
    with app.app_context():
        flask_migrate.upgrade()
        import_role_files(sorted((SEED_DIR / "roles").glob("*.toml")))
        authors = []
        for number in range(10):
            user = User(email=f"reader{number}@example.com", display_name=f"পাঠক {number}", is_moderator=number == 0)
            user.set_password(password)
            db.session.add(user)
            authors.append(user)
        db.session.commit()
        big = db.session.scalar(sa.select(Role).where(Role.slug == "customer-care-officer"))
        small = db.session.scalar(sa.select(Role).where(Role.slug == "bpo-job"))
        _comments(big, authors, BIG_THREAD_COMMENTS)
        _comments(small, authors, SMALL_THREAD_COMMENTS)
        tracker_user = authors[1]
        for number in range(APPLICATIONS):
            save_role(tracker_user.id, big.id if number % 2 else small.id, f"Company {number}")
        db.session.commit()
        replied_to = db.session.scalar(sa.select(sa.func.min(sa.literal_column("id"))).select_from(sa.table("comments")))
        email = tracker_user.email
    return BenchData(
        email=email,
        password=password,
        app=app,
        targets=[
            Target("role page, 1,000-comment thread, anonymous", "/roles/customer-care-officer", goal=0.50),
            # Before the posted replies below, which give the page a new ETag.
            Target("role page, anonymous, repeat view (304)", "/roles/customer-care-officer", goal=0.50, revalidated=True),
            Target("role page, 1,000-comment thread, logged in", "/roles/customer-care-officer", logged_in=True, goal=0.10),
            Target("tracker page, 300 applications", "/tracker/", logged_in=True, goal=0.10),
            Target("reply-form fragment (htmx)", f"/comments/{replied_to}/reply", logged_in=True, htmx=True, goal=0.40),
            Target(
                "posted-reply fragment (htmx)", "/roles/customer-care-officer/comments", logged_in=True, htmx=True,
                post_body=f"parent_id={replied_to}&body=bench+reply",
            ),
        ],
    )
