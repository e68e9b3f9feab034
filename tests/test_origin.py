"""The site's one origin (tracker/origin.py): links mailed or shared are built on SITE_URL,
and a request naming another host is refused before anything is drawn, kept or mailed."""
import gzip
import re

import brotli
import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import OutboxMail
from tracker.operations import UnsafeConfiguration
from tracker.origin import UnknownSite

from .conftest import PASSWORD, make_app
from .discussion_support import add_comment, post, role  # noqa: F401
from .moderation_support import age_account
from .test_operations import production_app
from .test_sharing import meta

SITE = "https://jobs.example.org"
LINKS = re.compile(r"https?://[^\s>]+")
FORGED = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http", "X-Forwarded-For": "203.0.113.9"}


@pytest.fixture
def behind_a_proxy(app):
    """The app as deployed: SITE_URL given, one proxy in front (TRUSTED_PROXIES=1)."""
    proxied = make_app(app.config["SQLALCHEMY_DATABASE_URI"], SITE_URL=SITE, TRUSTED_PROXIES=1)
    proxied.test_client_class = app.test_client_class
    yield proxied
    with proxied.app_context():  # its own pool: closed, not left to the garbage collector
        db.session.remove()
        db.engine.dispose()


def _outbox_links(app) -> list[str]:
    with app.app_context():
        mails = db.session.scalars(sa.select(OutboxMail)).all()
        return [link for mail in mails for link in LINKS.findall(mail.body + (mail.unsubscribe_url or ""))]


def test_a_reset_asked_for_with_a_forged_host_is_refused_and_mails_nothing(app, client, user):
    client.csrf_token()  # fetched from the site itself, as an attacker would
    for host in ("evil.example", "evil.example:80", "127.0.0.1.evil.example"):
        response = client.post("/auth/password/forgot", data={"email": user.email}, headers={"Host": host})
        assert response.status_code == 400
        assert "does not answer for that host" in response.get_data(as_text=True)
    assert _outbox_links(app) == []


def test_every_mailed_link_is_on_the_site_address_whatever_the_request_said(behind_a_proxy, user, other_user, runner):
    app = behind_a_proxy
    asha = app.test_client()
    for name, value in FORGED.items():
        asha.environ_base["HTTP_" + name.upper().replace("-", "_")] = value
    asha.post("/auth/password/forgot", data={"email": user.email})
    asha.login(user.email)
    asha.post("/auth/email", data={"email": "asha.new@example.com", "password": PASSWORD})
    asha.post("/auth/password", data={"current_password": PASSWORD, "password": "a new long passphrase",
                                      "password2": "a new long passphrase"})
    links = _outbox_links(app)
    assert len(links) >= 3
    assert all(link.startswith(SITE + "/auth/") for link in links), links


def test_a_reply_mail_and_its_unsubscribe_link_are_on_the_site_address(behind_a_proxy, user, other_user, role, add_comment):
    app = behind_a_proxy
    with app.app_context():
        from tracker.models import User
        db.session.get(User, user.id).email_replies = True
        db.session.commit()
    age_account(app, other_user)
    question = add_comment(role, user, "Is the job in Dhaka?")
    rahim = app.test_client()
    rahim.environ_base["HTTP_X_FORWARDED_HOST"] = "evil.example"
    rahim.login(other_user.email)
    post(rahim, role, "Yes, in Gulshan.", parent=question)
    links = _outbox_links(app)
    assert any("/auth/unsubscribe/" in link for link in links)
    assert links and all(link.startswith(SITE + "/") for link in links), links


def test_no_request_can_put_another_host_into_the_page_every_visitor_gets(behind_a_proxy, seeded):
    app = behind_a_proxy
    attacker, visitor = app.test_client(), app.test_client()
    assert attacker.get("/roles/bpo-job", headers={"Host": "evil.example"}).status_code == 400
    for encoding in ("identity", "gzip", "br"):
        forged = attacker.get("/roles/bpo-job", headers={**FORGED, "Accept-Encoding": encoding})
        assert forged.status_code == 200
    for encoding, decoded in (("identity", bytes), ("gzip", gzip.decompress), ("br", brotli.decompress)):
        page = decoded(visitor.get("/roles/bpo-job", headers={"Accept-Encoding": encoding}).data).decode()
        assert "evil.example" not in page
        assert meta(page, "og:url") == SITE + "/roles/bpo-job?lang=en"  # the English page's address


@pytest.mark.parametrize("host", ["a" * 64 + ".example", "a" * 64, "localhost:99999", "[::1", "exa mple"])
@pytest.mark.parametrize("path", ["/", "/roles/bpo-job", "/nowhere", "/auth/login"])
def test_a_host_that_is_no_host_gets_a_plain_400_never_a_500(client, host, path):
    response = client.get(path, headers={"Host": host})
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")


def test_the_hosts_it_answers_for_are_configuration(app):
    named = make_app(app.config["SQLALCHEMY_DATABASE_URI"], SITE_URL="https://jobs.example.org",
                     TRUSTED_HOSTS=["jobs.example.org", "www.jobs.example.org"])
    client = named.test_client()
    assert client.get("/healthz", headers={"Host": "www.jobs.example.org"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "localhost"}).status_code == 400


def test_production_answers_only_for_its_site(database_url):
    production = production_app(database_url, SITE_URL="https://jobs.example.org")
    client = production.test_client()
    assert client.get("/healthz", headers={"Host": "jobs.example.org"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "127.0.0.1"}).status_code == 400


def test_production_refuses_to_start_without_its_site_address(database_url):
    with pytest.raises(UnsafeConfiguration, match="SITE_URL"):
        production_app(database_url, SITE_URL=None)


@pytest.mark.parametrize("site", ["jobs.example.org", "ftp://jobs.example.org", "https://", "https://jobs.example.org/?x=1"])
def test_a_site_address_that_is_not_one_is_refused_at_start(database_url, site):
    with pytest.raises(UnknownSite):
        make_app(database_url, SITE_URL=site)
