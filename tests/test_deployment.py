"""The README's production setup on real parts: Debian's nginx (deploy/nginx-site.conf) in
front of two gunicorn instances (gunicorn.conf.py) sharing one database and two Redis
servers of their own, one for the cache and one for the limits and queues
(deploy/redis-*.conf). What one instance does, the other knows at once: logins, logouts,
rate-limit counts, comments and a moderator's hide; a long CSV import is taken at once
and done by `rq worker imports`. A flood of replayed cookies and made-up URLs adds no
cache entry, and a cache full to its maxmemory leaves the login limit's count alone. With
Redis stopped, pages and writes go on and /readyz says 503; with Redis back, all is
shared again.

The database is PostgreSQL when TEST_DATABASE_URL is set (as in .ci/run), else a SQLite
file both instances open. nginx says which instance answered in an X-Upstream header the
test adds to the sample site, so each fact is seen through both instances.
"""
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
import sqlalchemy as sa

from bench import nginx
from tracker import SECURITY_HEADERS

from .conftest import TEST_DATABASE_URL

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ROLE = "/roles/customer-care-officer"
PASSWORD = "a long enough password"
AUTH_LIMIT = 10  # AUTH_RATE_LIMIT's default: tries a minute for one address and email
CACHE_MEMORY = "8mb"


class RedisServer:
    """A redis-server of the test's own, on its own port, keeping nothing on disk, set up
    as deploy/`sample` says (with `settings` besides)."""

    def __init__(self, folder: Path, sample: str, *settings: str):
        self.port = nginx.free_port()
        self.folder = folder
        self.sample = ROOT / "deploy" / sample
        self.settings = settings
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", str(self.sample), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder), *self.settings],
            stdout=subprocess.DEVNULL,
        )
        nginx.wait_until(self._answers, "redis-server")

    def _answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port)

    def keys(self, pattern: str) -> list[bytes]:
        return self.client().keys(pattern)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def _database(folder: Path):
    """A database of the deployment's own: yields its URL, drops it afterwards."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{folder / 'tracker.sqlite'}"
        return
    server = sa.make_url(TEST_DATABASE_URL)
    name = f"{server.database}_deployment"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class Deployment:
    def __init__(self, base: str, instances: list[int], cache: RedisServer, limits: RedisServer, env: dict):
        self.base = base
        self.instances = [f"127.0.0.1:{port}" for port in instances]
        self.cache = cache
        self.limits = limits
        self.env = env

    def flask(self, *arguments: str) -> str:
        """A README command: `.venv/bin/flask --app tracker ...` with the production settings."""
        done = subprocess.run(
            [BIN / "flask", "--app", "tracker", *arguments], cwd=ROOT, env=self.env,
            capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def browser(self) -> "Browser":
        return Browser(self.base, self.env["DATABASE_URL"])


class Browser:
    """A reader's browser: cookies kept, each answer with the instance that gave it; and
    the reader's mailbox (the outbox of the deployment's database)."""

    def __init__(self, base: str, database_url: str):
        self.base = base
        self.http = requests.Session()
        self.database_url = database_url

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base + path, allow_redirects=False, timeout=30, **kwargs)

    def token(self, page: str) -> str:
        """The CSRF token of the form on `page`."""
        answer = self.get(page)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', answer.text)
        assert token, f"no form on {page} ({answer.status_code})"
        return token.group(1)

    def post(self, path: str, data: dict, token_from: str = "", token: str = "", **kwargs) -> requests.Response:
        """Post `data` as the form on `token_from` would, with that page's CSRF token."""
        return self.http.post(
            self.base + path, data={"csrf_token": token or self.token(token_from), **data},
            allow_redirects=False, timeout=30, **kwargs,
        )

    def log_in(self, email: str, remember: bool = False) -> requests.Response:
        data = {"email": email, "password": PASSWORD}
        if remember:
            data["remember_me"] = "y"
        return self.post("/auth/login", data, token_from="/auth/login")

    def mailed_path(self, address: str, starting: str) -> str:
        """The path of the link starting with `starting` in the last mail to `address`."""
        engine = sa.create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                body = connection.execute(
                    sa.text("SELECT body FROM outbox_mails WHERE to_address = :address ORDER BY id DESC LIMIT 1"),
                    {"address": address},
                ).scalar_one()
        finally:
            engine.dispose()
        return re.search(rf"https?://[^/\s]+({re.escape(starting)}\S+)", body).group(1)

    def register(self, email: str, name: str) -> requests.Response:
        """Register as a person does: the email, then a name and a password on the page
        the mailed link opens."""
        asked = self.post("/auth/register", {"email": email}, token_from="/auth/register")
        assert asked.status_code == 303, asked.text
        path = self.mailed_path(email, "/auth/register/finish/")
        return self.post(path, {"display_name": name, "password": PASSWORD, "password2": PASSWORD}, token_from=path)


def through_each_instance(deployment: Deployment, ask) -> dict[str, requests.Response]:
    """Ask until both instances have answered once (nginx takes turns between them)."""
    answers = {}
    for _ in range(8):
        response = ask()
        answers.setdefault(response.headers["X-Upstream"], response)
        if len(answers) == 2:
            return answers
    raise AssertionError(f"nginx sent every request to {list(answers)}")


def is_logged_in(response: requests.Response) -> bool:
    return response.status_code == 200 and 'action="/auth/logout"' in response.text


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    if not nginx.installed():
        pytest.fail("Debian's nginx or its brotli_static module is not installed: ./dev test installs them")
    folder = tmp_path_factory.mktemp("deployment")
    database = _database(folder)
    # The cache's maxmemory small enough to fill within the test.
    cache = RedisServer(folder, "redis-cache.conf", "--maxmemory", CACHE_MEMORY)
    limits = RedisServer(folder, "redis-limits.conf")
    for server in (cache, limits):
        server.start()
    instances = [nginx.free_port(), nginx.free_port()]
    nginx_port = nginx.free_port()
    database_url = next(database)
    env = {
        **os.environ,
        "SITE_URL": f"http://127.0.0.1:{nginx_port}",
        "SECRET_KEY": "one key for both instances, given as in production",
        "DATABASE_URL": database_url,
        "ALLOW_SQLITE_IN_PRODUCTION": "1" if database_url.startswith("sqlite") else "0",
        "REDIS_URL": limits.url,
        "CACHE_REDIS_URL": cache.url,
        "TRUSTED_PROXIES": "1",
        # Plain HTTP on loopback: a browser would not send Secure cookies back. A reader who
        # comes over HTTPS gets them Secure all the same (test_cookies_are_secure_over_https).
        "SESSION_COOKIE_SECURE": "0",
        "WEB_CONCURRENCY": "2",
        "ACCESS_LOG": "",
    }
    deployment = Deployment("", instances, cache, limits, env)
    deployment.flask("db", "upgrade")
    deployment.flask("seed")
    deployment.flask("users", "create-moderator", "mod@example.com", "--name", "Site moderator", "--password", PASSWORD)
    logs = [open(folder / f"gunicorn-{port}.log", "w") for port in instances]
    servers = [
        subprocess.Popen(
            [BIN / "gunicorn", "wsgi:app"], cwd=ROOT, env={**env, "BIND": f"127.0.0.1:{port}"},
            stdout=subprocess.DEVNULL, stderr=log,
        )
        for port, log in zip(instances, logs)
    ]
    proxy = nginx.start(folder, nginx_port, instances, tell_upstream=True)
    deployment.base = f"http://127.0.0.1:{nginx_port}"
    try:
        for port in instances:
            nginx.wait_until(lambda: requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok, f"gunicorn on {port}", 60)
        nginx.wait_until(lambda: requests.get(deployment.base + "/healthz", timeout=2).ok, "nginx")
        yield deployment
    finally:
        for process in (proxy, *servers):
            process.terminate()
        for process in (proxy, *servers):
            process.wait(20)
        for log in logs:
            log.close()
        for server in (cache, limits):
            if server.process.poll() is None:
                server.stop()
        next(database, None)


def test_a_login_through_one_instance_holds_on_the_other(deployment):
    reader = deployment.browser()
    assert reader.register("rahim@example.com", "Rahim").status_code == 303
    answers = through_each_instance(deployment, lambda: reader.get("/tracker/"))
    assert set(answers) == set(deployment.instances)
    assert all(is_logged_in(response) for response in answers.values())


def test_logged_out_through_one_instance_the_old_cookies_are_refused_by_both(deployment):
    reader = deployment.browser()
    reader.register("karim@example.com", "Karim")
    reader.http.cookies.clear()
    assert reader.log_in("karim@example.com", remember=True).status_code == 303
    copied = reader.http.cookies.copy()
    assert {"session", "remember_token"} <= set(copied.keys())

    logout = reader.post("/auth/logout", {}, token_from="/tracker/")
    assert logout.status_code in (302, 303)

    thief = deployment.browser()
    thief.http.cookies.update(copied)
    answers = through_each_instance(deployment, lambda: thief.get("/tracker/"))
    for instance, response in answers.items():
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], instance
    # A write with the old cookies creates nothing either.
    refused = _post_comment(thief, "Written with copied cookies", token_from="/auth/login")
    assert refused.status_code in (302, 303) and "/auth/login" in refused.headers["Location"]
    for instance, response in _anonymous_role_pages(deployment).items():
        assert "Written with copied cookies" not in response.text, instance


def test_the_login_limit_counts_tries_through_both_instances_together(deployment):
    reader = deployment.browser()
    token = reader.token("/auth/login")
    answers = []
    for attempt in range(AUTH_LIMIT + 1):
        # A client cannot hide behind a made-up forwarded address: nginx appends the real one.
        response = reader.post(
            "/auth/login", {"email": "nobody@example.com", "password": "wrong password"},
            token=token, headers={"X-Forwarded-For": f"10.0.0.{attempt}"},
        )
        answers.append((response.headers["X-Upstream"], response.status_code))
    assert {instance for instance, _ in answers[:AUTH_LIMIT]} == set(deployment.instances)
    assert [status for _, status in answers[:AUTH_LIMIT]] == [200] * AUTH_LIMIT
    assert answers[AUTH_LIMIT][1] == 429


def test_replayed_cookies_add_no_cache_entry_and_a_full_cache_leaves_the_login_count(deployment):
    member = deployment.browser()
    assert member.register("jamal@example.com", "Jamal").status_code == 303
    member.http.cookies.clear()
    stale = member.log_in("jamal@example.com").cookies["session"]  # before any page gave it a token
    visitor = deployment.browser()
    for ask in (lambda: member.get("/tracker/"), lambda: member.get(ROLE), lambda: visitor.get(ROLE)):
        through_each_instance(deployment, ask)  # what is kept for each
    kept = set(deployment.cache.keys("tracker:*"))
    for number in range(100):
        replayed = deployment.browser()
        replayed.http.cookies.set("session", stale)
        assert is_logged_in(replayed.get("/tracker/"))
        assert replayed.get(f"{ROLE}?{'&' * (number + 1)}").status_code == 200  # logged in: drawn for them
        assert deployment.browser().get(f"{ROLE}?{'&' * (number + 1)}").status_code == 200
    assert set(deployment.cache.keys("tracker:*")) <= kept  # entries only age out (60 s)

    # The cache's Redis at its maxmemory, letting entries go, between the guesses.
    guesser = deployment.browser()
    token = guesser.token("/auth/login")

    def guesses(number: int) -> list[int]:
        return [
            guesser.post("/auth/login", {"email": "guessed@example.com", "password": "wrong"}, token=token).status_code
            for _ in range(number)
        ]

    before = guesses(AUTH_LIMIT // 2)
    filler = deployment.cache.client()
    for number in range(200):
        filler.set(f"filler:{number}", b"x" * 100_000)
    assert filler.info("stats")["evicted_keys"] > 0
    assert before + guesses(AUTH_LIMIT - AUTH_LIMIT // 2 + 1) == [200] * AUTH_LIMIT + [429]


def _stylesheet_and_bundle(deployment) -> list[str]:
    """The stylesheet a visitor's catalogue links (it loads no script) and the script bundle
    members' pages link, by their hashed names."""
    page = deployment.browser().get("/").text
    files = re.findall(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
    bundles = sorted(nginx.STATIC_BUILD.glob("js/bundle.*.js"), key=lambda path: path.stat().st_mtime)
    assert len(files) == 1 and bundles, (files, bundles)
    return [files[0], "/static/" + str(bundles[-1].relative_to(nginx.STATIC_BUILD))]


def test_static_files_from_nginx_carry_the_apps_security_headers(deployment):
    files = _stylesheet_and_bundle(deployment)
    for name in files:
        answer = deployment.browser().get(name)
        assert answer.status_code == 200 and "X-Upstream" not in answer.headers, name  # nginx's own, from disk
        for header, value in SECURITY_HEADERS.items():
            assert answer.headers.get(header) == value, (name, header)


def test_nginx_sends_the_brotli_copy_of_a_static_file_to_a_browser_that_takes_it(deployment):
    files = _stylesheet_and_bundle(deployment)
    for name in files:
        plain = requests.get(deployment.base + name, headers={"Accept-Encoding": "identity"}, timeout=5)
        assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
        for accepted, sent in (("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip")):
            answer = requests.get(deployment.base + name, headers={"Accept-Encoding": accepted}, timeout=5)
            assert answer.headers["Content-Encoding"] == sent, (name, accepted)
            assert answer.headers["Vary"] == "Accept-Encoding" and "immutable" in answer.headers["Cache-Control"]
            assert int(answer.headers["Content-Length"]) < len(plain.content) and answer.content == plain.content
        brotli = requests.get(deployment.base + name, headers={"Accept-Encoding": "br"}, timeout=5, stream=True)
        built = nginx.STATIC_BUILD / (name.removeprefix("/static/") + ".br")
        assert brotli.raw.read(decode_content=False) == built.read_bytes()  # the copy the app built, as it is


def test_cookies_are_secure_over_https(deployment):
    # nginx tells an instance the reader's scheme (X-Forwarded-Proto); asked as nginx would,
    # each instance marks every cookie Secure for a reader on HTTPS, and only then.
    for instance in deployment.instances:
        for scheme, secure in (("https", True), ("http", False)):
            answer = requests.get(f"http://{instance}/auth/login", headers={"X-Forwarded-Proto": scheme}, timeout=30)
            cookies = answer.raw.headers.getlist("Set-Cookie")
            assert cookies and all(("; Secure" in cookie) is secure for cookie in cookies), (instance, scheme, cookies)


def _post_comment(reader: Browser, text: str, token_from: str = ROLE) -> requests.Response:
    return reader.post(f"{ROLE}/comments", {"body": text}, token_from=token_from)


def _anonymous_role_pages(deployment) -> dict[str, requests.Response]:
    anonymous = deployment.browser()
    return through_each_instance(deployment, lambda: anonymous.get(ROLE))


def test_a_comment_and_its_hiding_show_at_once_on_both_instances_cached_pages(deployment):
    before = _anonymous_role_pages(deployment)  # both instances' cached page, drawn now
    assert all(response.status_code == 200 for response in before.values())
    assert deployment.cache.keys("tracker:*:role-page:*"), "the role page is not cached in the shared Redis"

    member = deployment.browser()
    member.register("nasrin@example.com", "Nasrin")
    posted = _post_comment(member, "Does the night shift pay more?")
    assert posted.status_code == 303
    for instance, response in _anonymous_role_pages(deployment).items():
        assert "Does the night shift pay more?" in response.text, instance

    comment_id = re.search(r'id="comment-(\d+)"[^<]*>(?:(?!id="comment-).)*Does the night shift', member.get(ROLE).text, re.S)
    assert comment_id, "the new comment's card has no id"
    moderator = deployment.browser()
    assert moderator.log_in("mod@example.com").status_code == 303
    hidden = moderator.post(f"/moderation/comments/{comment_id.group(1)}/hide", {}, token_from=ROLE)
    assert hidden.status_code in (302, 303)
    for instance, response in _anonymous_role_pages(deployment).items():
        assert "Does the night shift pay more?" not in response.text, instance


def test_a_long_import_through_nginx_is_accepted_at_once_and_done_by_the_rq_worker(deployment):
    reader = deployment.browser()
    reader.http.cookies.set("lang", "en")
    assert reader.register("nadia@example.com", "Nadia").status_code == 303
    text = "title,organisation,stage,applied date\n" + "".join(
        f"Job {n},Organisation {n},applied,2026-11-02\n" for n in range(2000)
    )
    sent = reader.post("/tracker/import", {}, token_from="/tracker/import",
                       files={"file": ("applications.csv", text.encode(), "text/csv")})
    assert sent.status_code == 303, sent.text
    job = sent.headers["Location"]
    assert "Your file of 2,000 applications is waiting its turn." in reader.get(job).text
    worker = subprocess.run(
        [BIN / "rq", "worker", "imports", "--burst", "--url", deployment.limits.url], cwd=ROOT, env=deployment.env,
        capture_output=True, text=True, timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    for instance, response in through_each_instance(deployment, lambda: reader.get(job)).items():
        assert "Imported 2,000 applications." in response.text, instance


def test_with_redis_stopped_pages_and_writes_go_on_and_readyz_says_so(deployment):
    member = deployment.browser()
    member.register("shapla@example.com", "Shapla")
    for server in (deployment.cache, deployment.limits):
        server.stop()
    try:
        for path in (ROLE, "/", "/tracker/"):
            for instance, response in through_each_instance(deployment, lambda: member.get(path)).items():
                assert response.status_code == 200, (path, instance)
        assert _post_comment(member, "Posted while Redis was down").status_code == 303
        for instance, response in _anonymous_role_pages(deployment).items():
            assert "Posted while Redis was down" in response.text, instance
        ready = through_each_instance(deployment, lambda: member.get("/readyz"))
        assert [response.status_code for response in ready.values()] == [503, 503]
        assert all(response.json()["problems"]["cache"] == "unreachable" for response in ready.values())
    finally:
        for server in (deployment.cache, deployment.limits):
            server.start()

    # Each process looks for the limits' store again after at most 32 s (Flask-Limiter's
    # back-off), counting in its own memory until then.
    time.sleep(33)
    ready = through_each_instance(deployment, lambda: member.get("/readyz"))
    assert [response.status_code for response in ready.values()] == [200, 200]
    assert _post_comment(member, "Posted after Redis came back").status_code == 303
    for instance, response in _anonymous_role_pages(deployment).items():
        assert "Posted after Redis came back" in response.text, instance
    # Counted together again: the limit trips at its number across both instances.
    reader = deployment.browser()
    token = reader.token("/auth/login")
    answers = [
        reader.post("/auth/login", {"email": "again@example.com", "password": "wrong"}, token=token)
        for _ in range(AUTH_LIMIT + 1)
    ]
    assert {answer.headers["X-Upstream"] for answer in answers} == set(deployment.instances)
    assert [answer.status_code for answer in answers] == [200] * AUTH_LIMIT + [429]


def test_only_the_sites_own_host_is_answered_and_every_mailed_link_is_on_it(deployment):
    # nginx drops a request for any other host unanswered; an instance reached directly refuses it.
    with pytest.raises(requests.ConnectionError):
        requests.get(deployment.base + "/roles/bpo-job", headers={"Host": "evil.example"}, timeout=5)
    for instance in deployment.instances:
        direct = requests.get(f"http://{instance}/roles/bpo-job", headers={"Host": "evil.example"}, timeout=5)
        assert direct.status_code == 400
    reader = deployment.browser()
    reader.http.headers["X-Forwarded-Host"] = "evil.example"
    response = reader.post("/auth/password/forgot", {"email": "mod@example.com"}, token_from="/auth/password/forgot")
    assert response.status_code in (200, 303)
    engine = sa.create_engine(deployment.env["DATABASE_URL"])
    with engine.connect() as connection:
        bodies = connection.execute(sa.text("SELECT body FROM outbox_mails")).scalars().all()
    engine.dispose()
    links = [link for body in bodies for link in re.findall(r"https?://\S+", body)]
    assert links and all(link.startswith(deployment.base + "/auth/") for link in links), links
    page = requests.get(deployment.base + "/roles/bpo-job", headers={"X-Forwarded-Host": "evil.example"}, timeout=5).text
    assert f'<meta property="og:url" content="{deployment.base}/roles/bpo-job">' in page
