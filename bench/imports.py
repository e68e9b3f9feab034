"""Four long CSV imports at once, and how fast /healthz answers meanwhile.

    .venv/bin/python bench/imports.py [--importers 4] [--rows 2000] [--workers 4]
                                      [--database-url postgresql+psycopg://...]

The app runs under gunicorn on 127.0.0.1 as in production: a Redis of its own (a
redis-server on a free port) and one `rq worker imports` beside it. Each importer logs
in and sends a file of `--rows` applications at the same moment, while /healthz is asked
every 50 ms; then the import pages are read until every job has ended. Prints how long
the uploads took, /healthz's median and slowest answer, and when the imports were done;
exits non-zero if a request failed or an import did not end in all its applications.
"""
import argparse
import os
import re
import statistics
import subprocess  # nosec B404: runs redis-server and rq, fixed commands
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.nginx import free_port, wait_until  # noqa: E402
from bench.run import gunicorn  # noqa: E402

PASSWORD = "import-bench-password"


def prepare(importers: int) -> list[str]:
    """Migrate the database and make the importers' accounts; return their emails."""
    import flask_migrate

    from tracker import create_app
    from tracker.extensions import db
    from tracker.models import User

    app = create_app()
    emails = [f"importer{number}@example.com" for number in range(importers)]
    with app.app_context():
        flask_migrate.upgrade()
        for email in emails:
            user = User(email=email, display_name=email.split("@")[0])
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return emails


def csv_of(rows: int, owner: str) -> bytes:
    lines = ["title,organisation,stage,applied date,notes"]
    lines += [f"Job {n} of {owner},Organisation {n},applied,2026-11-02,Heard of it from a friend" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


class Importer:
    def __init__(self, base: str, email: str, rows: int):
        self.base, self.email, self.rows = base, email, rows
        self.http = requests.Session()
        self.http.cookies.set("lang", "en")  # the pages are read in English
        self.job_url = ""
        self.upload_seconds = 0.0
        self.problem = ""

    def log_in(self) -> None:
        page = self.http.get(self.base + "/auth/login", timeout=30).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        answer = self.http.post(self.base + "/auth/login", data={"csrf_token": token, "email": self.email,
                                                                 "password": PASSWORD}, allow_redirects=False, timeout=30)
        assert answer.status_code == 303, f"login of {self.email}: {answer.status_code}"
        page = self.http.get(self.base + "/tracker/import", timeout=30).text
        self.token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def upload(self, start: threading.Event) -> None:
        body = csv_of(self.rows, self.email)
        start.wait()
        began = time.perf_counter()
        answer = self.http.post(self.base + "/tracker/import", data={"csrf_token": self.token},
                                files={"file": ("applications.csv", body, "text/csv")}, allow_redirects=False, timeout=120)
        self.upload_seconds = time.perf_counter() - began
        if answer.status_code != 303:
            self.problem = f"{self.email}: upload answered {answer.status_code}"
            return
        self.job_url = self.base + answer.headers["Location"]

    def done(self) -> bool:
        page = self.http.get(self.job_url, timeout=30).text
        if "Nothing was imported" in page:
            self.problem = f"{self.email}: import refused"
            return True
        return f"Imported {self.rows:,} applications." in page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--importers", type=int, default=4)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", help="default: a fresh SQLite file (WAL)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tracker-imports-"))
    redis_port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)], stdout=subprocess.DEVNULL,
    )
    env = {
        "DATABASE_URL": args.database_url or f"sqlite:///{workdir / 'imports.sqlite'}",
        "SECRET_KEY": "imports-bench-secret",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
    }
    os.environ.update(env)
    worker = None
    try:
        wait_until(lambda: subprocess.run(["redis-cli", "-p", str(redis_port), "ping"], capture_output=True).returncode == 0,
                   "redis-server")
        emails = prepare(args.importers)
        worker = subprocess.Popen([str(ROOT / ".venv/bin/rq"), "worker", "imports", "--url", env["REDIS_URL"]],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with gunicorn("wsgi:app", env, args.workers) as base:
            importers = [Importer(base, email, args.rows) for email in emails]
            for importer in importers:
                importer.log_in()
            start, stop = threading.Event(), threading.Event()
            latencies: list[float] = []
            health_failures = []

            def ask_health() -> None:
                while not stop.is_set():
                    began = time.perf_counter()
                    answer = requests.get(base + "/healthz", timeout=60)
                    latencies.append(time.perf_counter() - began)
                    if answer.status_code != 200:
                        health_failures.append(answer.status_code)
                    time.sleep(0.05)

            threads = [threading.Thread(target=importer.upload, args=(start,)) for importer in importers]
            health = threading.Thread(target=ask_health)
            for thread in threads:
                thread.start()
            health.start()
            began = time.perf_counter()
            start.set()
            for thread in threads:
                thread.join()
            uploaded = time.perf_counter() - began
            pending = [importer for importer in importers if importer.job_url]
            while pending and time.perf_counter() - began < 300:
                pending = [importer for importer in pending if not importer.done()]
                time.sleep(0.5)
            finished = time.perf_counter() - began
            stop.set()
            health.join()
    finally:
        for process in (worker, redis):
            if process is not None:
                process.terminate()
                process.wait(10)
    problems = [importer.problem for importer in importers if importer.problem]
    problems += [f"{importer.email}: not done after 300 s" for importer in pending]
    problems += [f"/healthz answered {code}" for code in health_failures]
    print(f"{args.importers} imports of {args.rows:,} rows at once, {args.workers} gunicorn workers, one rq worker")
    print(f"uploads answered in {max(i.upload_seconds for i in importers):.2f} s at most; all sent after {uploaded:.2f} s")
    print(f"/healthz: {len(latencies)} answers, median {statistics.median(latencies) * 1000:.0f} ms, "
          f"slowest {max(latencies) * 1000:.0f} ms")
    print(f"every import done {finished:.1f} s after the uploads began")
    for problem in problems:
        print("PROBLEM:", problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
