"""Fixtures: an app on a freshly migrated database (SQLite always, PostgreSQL too when
TEST_DATABASE_URL is set), clients that carry CSRF tokens, users and moderators."""
import email
import email.policy
import os
import re
import shutil
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import cache, db
from tracker.models import OutboxMail, User



def _worker_number() -> int | None:
    """Which pytest-xdist worker runs this (gw0 is 0), or None without xdist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return int(worker.removeprefix("gw")) if worker else None


def _database_of_this_worker(url: str | None) -> str | None:
    """The given PostgreSQL database, or under xdist one of this worker's own beside it
    (made when missing): workers rebuild and empty theirs as they go."""
    worker = _worker_number()
    if not url or worker is None:
        return url
    given = sa.make_url(url)
    own = f"{given.database}_gw{worker}"
    server = sa.create_engine(given, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        if not connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own}).scalar():
            connection.execute(sa.text(f'CREATE DATABASE "{own}"'))
    server.dispose()
    return given.set(database=own).render_as_string(hide_password=False)


def _redis_of_this_worker(url: str | None) -> str | None:
    """The given Redis database, or under xdist the one as many below it as the worker's
    number (gw1 of redis://.../15 gets /14), since some tests empty theirs."""
    worker = _worker_number()
    if not url or worker is None:
        return url
    base, _, number = url.rpartition("/")
    return f"{base}/{int(number or 0) - worker}"


TEST_DATABASE_URL = _database_of_this_worker(os.environ.get("TEST_DATABASE_URL"))
TEST_REDIS_URL = _redis_of_this_worker(os.environ.get("TEST_REDIS_URL"))
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SUBMISSION_KEY = re.compile(r'(?<=name="submission" type="hidden" value=")[0-9a-f]{32}')
PASSWORD = "correct horse battery"
LOGGING_IN = ("/auth/login", "/auth/register/finish/")
FINISH_LINK = re.compile(r"https?://[^/\s]+(/auth/register/finish/\S+)")


def make_app(database_url: str, **overrides):
    config = type("Config", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, **overrides})
    app = create_app(config)
    app.test_request_context = partial(_english_request_context, app)
    return app


def _english_request_context(app, *args, **kwargs):
    """A request context whose reader chose English (as CSRFClient's do), unless the test
    sends cookies of its own."""
    headers = dict(kwargs.pop("headers", None) or {})
    headers.setdefault("Cookie", "lang=en")
    return Flask.test_request_context(app, *args, headers=headers, **kwargs)


def _migrate(database_url: str) -> None:
    app = make_app(database_url)
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite file migrated once with Alembic; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    _migrate(f"sqlite:///{path}")
    return path


def _drop_every_table(database_url: str) -> None:
    app = make_app(database_url)
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        db.engine.dispose()


@pytest.fixture(scope="session")
def postgres_url():
    """The PostgreSQL test database, rebuilt from the migrations once per run."""
    _drop_every_table(TEST_DATABASE_URL)
    _migrate(TEST_DATABASE_URL)
    return TEST_DATABASE_URL


def _empty_postgres(app) -> None:
    with app.app_context():
        tables = ", ".join(t.name for t in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path):
    """A database of this test's backend without a single table, for driving the
    migrations from the first one."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    _drop_every_table(TEST_DATABASE_URL)
    yield TEST_DATABASE_URL
    # The other tests share this database: leave it as postgres_url made it.
    _drop_every_table(TEST_DATABASE_URL)
    _migrate(TEST_DATABASE_URL)


@pytest.fixture
def app(database_url):
    """The app on an empty, migrated database of this test's backend."""
    app = make_app(database_url)
    app.test_client_class = CSRFClient
    if database_url.startswith("postgresql"):
        _empty_postgres(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class CSRFClient(FlaskClient):
    """A test client that adds a valid CSRF token to each POST, as the browser's forms do.

    Pass csrf=False to send a forged request without one.
    """

    _token = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The interface is Bengali unless a reader chooses English; these tests read it in
        # English, chosen as a reader chooses it (the language switch's cookie).
        # `undecided_client` is a reader who has chosen nothing.
        self.set_cookie("lang", "en")

    def csrf_token(self) -> str:
        if self._token is None:
            # A member's pages carry it for htmx; a visitor's hold none, but the login form does.
            match = CSRF_HEADER.search(self.get("/").get_data(as_text=True))
            match = match or CSRF_FIELD.search(self.get("/auth/login").get_data(as_text=True))
            assert match, "no CSRF token on the home page nor the login page"
            self._token = match.group(1)
        return self._token

    def post(self, url, *args, csrf=True, **kwargs):
        if csrf:
            data = dict(kwargs.pop("data", None) or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        response = super().post(url, *args, **kwargs)
        if url.startswith(LOGGING_IN) and response.status_code == 303:
            self._token = None  # a login starts a new session, with a token of its own
        return response

    def htmx(self, method: str, url: str, **kwargs):
        """Send a request the way htmx does (HX-Request header and the CSRF header)."""
        headers = {"HX-Request": "true", **kwargs.pop("headers", {})}
        if method.upper() != "GET":
            headers["X-CSRFToken"] = self.csrf_token()
            return self.open(url, method=method.upper(), headers=headers, **kwargs)
        return self.get(url, headers=headers, **kwargs)

    def login(self, email: str, password: str = PASSWORD):
        response = self.post("/auth/login", data={"email": email, "password": password})
        assert response.status_code == 303, "login failed"
        return response


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def undecided_client(app):
    """A first visit: a client that has chosen no language (the interface is Bengali)."""
    client = app.test_client()
    client.delete_cookie("lang")
    return client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def mails_to(app, address: str) -> list[OutboxMail]:
    """The mails written to the outbox for `address`, oldest first."""
    with app.app_context():
        return list(db.session.scalars(sa.select(OutboxMail).where(OutboxMail.to_address == address).order_by(OutboxMail.id)))


def finish_link(app, address: str) -> str:
    """The path of the last link to finish registering mailed to `address`."""
    links = [FINISH_LINK.search(mail.body) for mail in mails_to(app, address)]
    return [link for link in links if link][-1].group(1)


def register(client, email="nadia@example.com", display_name="নাদিয়া", password="s3cret-pass", password2=None, **options):
    """Register as a person does: the email on the form, then a name and a password on the
    page the mailed link opens (both posts with the client's `options`); the last response."""
    asked = client.post("/auth/register", data={"email": email}, **options)
    assert asked.status_code == 303, asked.get_data(as_text=True)
    data = {"display_name": display_name, "password": password, "password2": password if password2 is None else password2}
    return client.post(finish_link(client.application, email.strip().lower()), data=data, **options)


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    display_name: str
    password: str = PASSWORD


@pytest.fixture
def make_user(app):
    """Create an account straight in the database and return who it is."""

    def make(email="asha@example.com", display_name="Asha", moderator=False, password=PASSWORD):
        with app.app_context():
            user = User(email=email, display_name=display_name, is_moderator=moderator)
            user.set_password(password)
            db.session.add(user)
            db.session.commit()
            return Person(user.id, user.email, user.display_name, password)

    return make


@pytest.fixture
def user(make_user):
    """A registered reader, Asha."""
    return make_user()


@pytest.fixture
def other_user(make_user):
    """A second reader, Rahim, who must never see Asha's things."""
    return make_user(email="rahim@example.com", display_name="Rahim")


@pytest.fixture
def moderator(make_user):
    """A moderator account."""
    return make_user(email="mod@example.com", display_name="Moderator Mita", moderator=True)


@pytest.fixture
def user_client(app, user):
    """A client logged in as Asha."""
    client = app.test_client()
    client.login(user.email)
    return client


@pytest.fixture
def other_client(app, other_user):
    """A client logged in as Rahim."""
    client = app.test_client()
    client.login(other_user.email)
    return client


@pytest.fixture
def moderator_client(app, moderator):
    """A client logged in as the moderator."""
    client = app.test_client()
    client.login(moderator.email)
    return client


@pytest.fixture
def seeded(app, runner):
    """The catalogue seeded from seed_data/ with `flask seed`."""
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a `with count_queries() as counter:` block.

    Each block starts with the app's cache empty, so two counts compare the same work (a
    cold page), not a miss with a hit.
    """

    @contextmanager
    def counting():
        with app.app_context():
            cache.clear()
        statements = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)

    return counting


def at_once(app, *requests, writing: str) -> list:
    """Run each of `requests` (callables) in a thread of its own, none running a statement
    that starts with `writing` before all have reached theirs: two requests that read, then
    write, have both read before either writes, as on a busy server. Their results, in order.

    A request that never reaches the statement (one that waits on a lock first, say) holds
    the others up a few seconds, not for ever."""
    reached = threading.Barrier(len(requests))
    ours, waited = set(), set()

    def hold(conn, cursor, statement, parameters, context, executemany):
        me = threading.get_ident()
        if me in ours and me not in waited and statement.lstrip().upper().startswith(writing.upper()):
            waited.add(me)
            try:
                reached.wait(timeout=5)
            except threading.BrokenBarrierError:
                pass

    results = [None] * len(requests)

    def run(number):
        ours.add(threading.get_ident())
        try:
            results[number] = requests[number]()
        except BaseException as error:  # raised again below, in the test's own thread
            results[number] = error

    threads = [threading.Thread(target=run, args=(number,)) for number in range(len(requests))]
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", hold)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sa.event.remove(engine, "before_cursor_execute", hold)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


def every_row(connection) -> dict[str, list[tuple]]:
    """Every row of every table but Alembic's, all columns, in primary-key order."""
    tables = sa.MetaData()
    tables.reflect(connection)
    return {
        name: connection.execute(sa.select(table).order_by(*table.primary_key)).all()
        for name, table in tables.tables.items()
        if name != "alembic_version"
    }


def get_role_id(app, slug: str) -> int:
    from tracker.models import Role

    with app.app_context():
        return db.session.scalar(sa.select(Role.id).where(Role.slug == slug))


def sent_to_log_in(response, htmx: bool) -> bool:
    """Whether a visitor was sent to the login page: a redirect, or for htmx (which would
    follow a redirect inside the fragment) a 401 whose HX-Redirect loads it whole."""
    if htmx:
        return response.status_code == 401 and response.headers.get("HX-Redirect", "").startswith("/auth/login")
    return response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def without_tokens(html: str) -> str:
    """`html` with its CSRF tokens (a member's is signed anew each second) and comment form
    keys (each drawn form has its own) left out."""
    for token in CSRF_FIELD.findall(html) + CSRF_HEADER.findall(html):
        html = html.replace(token, "")
    return SUBMISSION_KEY.sub("", html)


@dataclass
class Mailbox:
    """What a real SMTP server on 127.0.0.1 received, parsed."""

    port: int
    messages: list

    def to(self, address: str) -> list:
        return [message for message in self.messages if message["To"] == address]


class _Collect:
    def __init__(self, messages):
        self.messages = messages

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free port of 127.0.0.1, keeping what arrives."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox(free_port(), [])
    controller = Controller(_Collect(mailbox.messages), hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    yield mailbox
    controller.stop()


@pytest.fixture
def mailbox(app, smtp_server):
    """The app sending its mail to the SMTP server of smtp_server, whose mailbox this is."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    return smtp_server


def send_mail(runner) -> str:
    """Run the mail worker once, as `flask --app tracker mail send` does; return what it said."""
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    return result.output
