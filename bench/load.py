"""Nothing lost under load: concurrent clients write through real HTTP, then the
database is checked.

    .venv/bin/python bench/load.py [--clients 16] [--comments 50] [--moves 20] [--workers 4]
                                   [--database-url postgresql+psycopg://...]

The app runs under gunicorn on 127.0.0.1; each client logs in (CSRF and all), posts
comments and moves applications from "saved" to "applied". Afterwards every accepted
write must be stored exactly once, no response may be a 5xx, and every refused write
must have had a clear status (4xx). Exits non-zero otherwise.
"""
import argparse
import os
import re
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import gunicorn  # noqa: E402

PASSWORD = "load-test-password"
ROLE = "customer-care-officer"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One person with a browser's cookie jar, talking HTTP to the server."""

    def __init__(self, base: str, email: str):
        self.base = base
        self.email = email
        jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
        self.statuses: Counter = Counter()
        self.accepted_comments: list[str] = []
        self.accepted_moves: list[int] = []

    def request(self, path: str, form: dict | None = None) -> tuple[int, str]:
        data = urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self) -> None:
        _, page = self.request("/auth/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status, _ = self.request("/auth/login", {"csrf_token": token, "email": self.email, "password": PASSWORD})
        assert status == 303, f"login of {self.email} answered {status}"
        _, page = self.request("/")
        self.token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)

    def post(self, path: str, form: dict) -> int:
        status, _ = self.request(path, {"csrf_token": self.token, **form})
        self.statuses[status] += 1
        return status

    def run(self, comments: int, application_ids: list[int]) -> None:
        self.log_in()
        for number in range(comments):
            text = f"load {self.email} #{number}"
            if self.post(f"/roles/{ROLE}/comments", {"body": text}) == 303:
                self.accepted_comments.append(text)
            if application_ids and number % max(1, comments // len(application_ids)) == 0:
                application_id = application_ids.pop()
                if self.post(f"/tracker/{application_id}/status", {"status": "applied", "note": "sent"}) == 303:
                    self.accepted_moves.append(application_id)
        for application_id in application_ids:
            if self.post(f"/tracker/{application_id}/status", {"status": "applied", "note": "sent"}) == 303:
                self.accepted_moves.append(application_id)


def prepare(clients: int, moves: int) -> dict[str, list[int]]:
    """Migrate and seed the database; make the people and their saved applications."""
    import flask_migrate
    import sqlalchemy as sa

    from tracker import create_app
    from tracker.applications.tracking import save_role
    from tracker.catalogue.importer import import_role_files
    from tracker.cli import SEED_DIR
    from tracker.extensions import db
    from tracker.models import Role, User

    app = create_app()
    plan = {}
    with app.app_context():
        flask_migrate.upgrade()
        import_role_files(sorted((SEED_DIR / "roles").glob("*.toml")))
        role_id = db.session.scalar(sa.select(Role.id).where(Role.slug == ROLE))
        for number in range(clients):
            user = User(email=f"load{number}@example.com", display_name=f"Load {number}")
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
            plan[user.email] = [save_role(user.id, role_id, f"Org {n}")[0].id for n in range(moves)]
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return plan


def check(people: list[Client]) -> list[str]:
    """Compare what the server accepted with what the database holds."""
    import sqlalchemy as sa

    from tracker import create_app
    from tracker.extensions import db
    from tracker.models import Application, Comment, StatusChange

    problems = []
    app = create_app()
    with app.app_context():
        stored = Counter(db.session.scalars(sa.select(Comment.body_source).where(Comment.body_source.like("load %"))))
        accepted = Counter(text for person in people for text in person.accepted_comments)
        if stored != accepted:
            problems.append(f"comments: {sum(accepted.values())} accepted, {sum(stored.values())} stored, "
                            f"{len(set(stored) ^ set(accepted))} differ")
        duplicated = [text for text, count in stored.items() if count > 1]
        if duplicated:
            problems.append(f"{len(duplicated)} comments stored twice")
        moved = {person_id for person in people for person_id in person.accepted_moves}
        applied = set(db.session.scalars(sa.select(Application.id).where(Application.status == "applied")))
        if moved != applied:
            problems.append(f"moves: {len(moved)} accepted, {len(applied)} applications at 'applied'")
        changes = db.session.scalar(sa.select(sa.func.count()).where(StatusChange.to_status == "applied"))
        if changes != len(moved):
            problems.append(f"{changes} 'applied' timeline entries for {len(moved)} accepted moves")
    statuses = sum((person.statuses for person in people), Counter())
    errors = {code: n for code, n in statuses.items() if code >= 500}
    if errors:
        problems.append(f"server errors: {errors}")
    unclear = {code: n for code, n in statuses.items() if code not in (303, 400, 403, 409, 422, 429)}
    if unclear:
        problems.append(f"unexpected statuses: {unclear}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--comments", type=int, default=50)
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", help="default: a fresh SQLite file (WAL)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tracker-load-"))
    env = {
        "DATABASE_URL": args.database_url or f"sqlite:///{workdir / 'load.sqlite'}",
        "SECRET_KEY": "load-secret",
        # All clients share 127.0.0.1: per-address login limits would refuse them, and
        # this test is about writes, not about the limiter.
        "AUTH_RATE_LIMIT": "100000 per minute",
        "COMMENT_RATE_LIMIT": "100000 per minute",
    }
    os.environ.update(env)
    plan = prepare(args.clients, args.moves)
    with gunicorn("wsgi:app", env, args.workers) as base:
        people = [Client(base, email) for email in plan]
        threads = [threading.Thread(target=p.run, args=(args.comments, list(plan[p.email]))) for p in people]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    statuses = sum((person.statuses for person in people), Counter())
    print(f"{args.clients} clients, {sum(statuses.values())} writes in {elapsed:.1f} s; statuses: {dict(statuses)}")
    problems = check(people)
    for problem in problems:
        print("PROBLEM:", problem)
    print("nothing lost" if not problems else "FAILED")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
