"""Lighthouse (mobile, default throttling) on the pages a reader meets, printed as a table.

    (cd bench/lighthouse && npm install)      # once: Lighthouse 12, run by Debian's chromium
    .venv/bin/python -m bench.lighthouse [--slow-3g] [--only WORDS ...]

Serves the seeded app (a fresh SQLite file, a member with an application and a moderator)
on 127.0.0.1 behind Debian's nginx with deploy/nginx-site.conf, as in production, logs them in for the pages only they see, and runs Lighthouse on the
catalogue, both role pages, the tracker, the board, an application page, login, register
and the moderation queue, in Bengali (the default). With --slow-3g every page is measured
again on a slow 3G line (400 ms round trips, 400 Kbps), for its LCP. --only measures the
pages whose name holds WORDS. With --keep DIR each run's JSON report is kept there (what
the LCP element was, the requests, lantern's LCP phases), named after the page.
"""
import argparse
import json
import os
import re
import shutil
import subprocess  # nosec B404: runs Lighthouse, a fixed command
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

import flask_migrate
from werkzeug.serving import make_server

from bench import nginx
from tracker import create_app
from tracker.applications.tracking import add_interview, change_status, save_role
from tracker.config import Config
from tracker.extensions import db
from tracker.models import Role, User, utcnow

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PASSWORD = "lighthouse-pass"
SLOW_3G = ["--throttling.rttMs=400", "--throttling.throughputKbps=400", "--throttling.cpuSlowdownMultiplier=4"]


def build_app(folder: Path):
    """The app on a migrated, seeded SQLite file, with a member's application and a moderator."""
    config = type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}", "SECRET_KEY": "bench"})
    app = create_app(config)
    with app.app_context():
        flask_migrate.upgrade()
    assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    with app.test_request_context():
        member = User(email="member@example.com", display_name="নাদিয়া")
        moderator = User(email="moderator@example.com", display_name="মিতা", is_moderator=True)
        for person in (member, moderator):
            person.set_password(PASSWORD)
            db.session.add(person)
        db.session.flush()
        role = db.session.scalar(db.select(Role).where(Role.slug == "customer-care-officer"))
        application, _ = save_role(member.id, role.id, "Grameenphone")
        change_status(application, "applied", member.id)
        add_interview(application, utcnow().replace(microsecond=0), "phone")
        db.session.commit()
        return app, application.id


def answers(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:  # nosec B310: our own server
        return response.status == 200


def session_cookie(app, email: str) -> str:
    client = app.test_client()
    client.delete_cookie("lang")
    token = client.get("/auth/login").get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, "could not log in"
    return f"session={client.get_cookie('session').value}"


def lighthouse(url: str, cookie: str | None, extra: list[str], folder: Path, keep_as: Path | None = None) -> dict:
    report = keep_as or folder / "report.json"
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-path={CHROMIUM}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu", *extra,
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(command, check=True)  # nosec B603: our own arguments
    return json.loads(report.read_text())


def row(name: str, result: dict) -> str:
    scores = [round(result["categories"][category]["score"] * 100) for category in CATEGORIES]
    lcp = result["audits"]["largest-contentful-paint"]["numericValue"] / 1000
    return f"| {name} | " + " | ".join(map(str, scores)) + f" | {lcp:.1f} s |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow-3g", action="store_true", help="measure the role pages on slow 3G as well")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep each JSON report in DIR")
    parser.add_argument("--only", metavar="WORDS", action="append", help="measure only the pages whose name holds WORDS (repeatable)")
    arguments = parser.parse_args()
    if arguments.keep:
        arguments.keep.mkdir(parents=True, exist_ok=True)

    def kept(name: str) -> Path | None:
        return arguments.keep / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".json") if arguments.keep else None

    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: (cd bench/lighthouse && npm install)")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        app, application_id = build_app(folder)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        # As in production: the browser talks to nginx, which keeps its connections open
        # (Werkzeug closes each one) and serves the static files.
        port = nginx.free_port()
        proxy = nginx.start(folder, port, [server.server_port])
        base = f"http://127.0.0.1:{port}"
        try:
            nginx.wait_until(lambda: answers(base + "/healthz"), "nginx")
            member, moderator = session_cookie(app, "member@example.com"), session_cookie(app, "moderator@example.com")
            pages = [
                ("catalogue `/`", "/", None),
                ("role page (customer care officer)", "/roles/customer-care-officer", None),
                ("role page (BPO job)", "/roles/bpo-job", None),
                ("tracker `/tracker/`", "/tracker/", member),
                ("board `/tracker/board`", "/tracker/board", member),
                ("an application `/tracker/<id>`", f"/tracker/{application_id}", member),
                ("login `/auth/login`", "/auth/login", None),
                ("register `/auth/register`", "/auth/register", None),
                ("moderation queue `/moderation/`", "/moderation/", moderator),
            ]
            pages = [page for page in pages if not arguments.only or any(words in page[0] for words in arguments.only)]
            lines = ["| page | performance | accessibility | best practices | SEO | LCP |", "| --- | --- | --- | --- | --- | --- |"]
            for name, path, cookie in pages:
                lines.append(row(name, lighthouse(base + path, cookie, [], folder, kept(name))))
                print(lines[-1], file=sys.stderr, flush=True)
            if arguments.slow_3g:
                for name, path, cookie in pages:
                    lines.append(row(name + ", slow 3G", lighthouse(base + path, cookie, SLOW_3G, folder, kept(name + " slow 3G"))))
                    print(lines[-1], file=sys.stderr, flush=True)
        finally:
            proxy.terminate()
            proxy.wait(20)
        server.shutdown()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
