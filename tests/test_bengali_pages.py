"""Every page and fragment read in Bengali holds no Latin digit and no English word, but in
what people wrote (names, comments, notes, guides) and in the names of the other
languages (marked with their own lang)."""
import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from tracker.applications import import_jobs
from tracker.applications.tracking import add_interview, change_status, save_role
from tracker.auth.mail_choices import unsubscribe_link
from tracker.auth.addresses import confirmation_link
from tracker.auth.passwords import reset_link
from tracker.discussion.threads import post_comment
from tracker.extensions import db
from tracker.models import AuditEntry, Report, Role, User, utcnow

from .conftest import every_row
from .test_access_matrix import ACCESS, MODERATOR, PUBLIC, ROUTES, _url

# What the interface writes in its own words, never translated: the file formats it
# exports and prints to.
PROPER_NAMES = {"CSV", "JSON", "zip", "PDF"}
# Columns holding codes the interface translates (a status, a kind), or never shows.
CODES = {
    "email", "password_hash", "token_digest", "seed_key", "submission_key", "slug", "title_sort_key",
    "search_text", "status", "from_status", "to_status", "kind", "held_reason", "action", "path", "body_source",
}
# Attributes a reader hears or sees (the data-* ones are messages js/ shows).
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
# What a shared link's card shows (the others name a URL, a type, a locale).
SHARED_TEXT = {"og:title", "og:description", "og:site_name"}
LATIN = re.compile(r"[A-Za-z]+|[0-9]+")
PLACEHOLDER = re.compile(r"%\(\w+\)s")
# What the forms below are sent with, which comes back in them.
TYPED = {"A new question", "x" * 5001, "x" * 6000, "nobody@example.com"}


class Reading(HTMLParser):
    """The text a reader sees and hears on a page: text, and the attributes read out,
    leaving out what is marked as another language and what is not shown (scripts,
    input values, the head's machinery)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.skipping: list[str] = []  # open elements whose content is not the interface's

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        other_language = attrs.get("lang") not in (None, "bn")
        if tag == "meta" and (attrs.get("name") == "description" or attrs.get("property") in SHARED_TEXT):
            self.words.append(attrs.get("content") or "")
        if tag in self.VOID:
            if not other_language and not self.skipping:
                self._attributes(attrs)
            return
        if self.skipping or other_language or tag in ("script", "style"):
            self.skipping.append(tag)
            return
        self._attributes(attrs)

    def _attributes(self, attrs):
        for name, value in attrs.items():
            if value and (name in READ_ATTRIBUTES or name.startswith("data-") and " " in value):
                self.words.append(PLACEHOLDER.sub("", value))  # js/ fills in the number

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.words.append(data)


def latin_in(html: str, allowed: set[str]) -> set[str]:
    reading = Reading()
    reading.feed(html)
    found = set()
    for text in reading.words:
        found |= {token for token in LATIN.findall(text) if token not in allowed}
    return found


def content_words(app) -> set[str]:
    """Every Latin word and number in what people wrote and in the guides."""
    words = set(PROPER_NAMES)
    with app.app_context(), db.engine.connect() as connection:
        tables = sa.MetaData()
        tables.reflect(connection)
        for name, rows in every_row(connection).items():
            columns = [column.name for column in tables.tables[name].columns]
            for row in rows:
                for column, value in zip(columns, row):
                    if isinstance(value, str) and column not in CODES:
                        words |= set(LATIN.findall(re.sub(r"<[^>]+>", " ", value)))
    return words


@pytest.fixture
def world(seeded, user, other_user, moderator):
    """Asha tracks two roles through several stages with an interview; she and Rahim talk
    on a role page; the moderator has reports, a held comment and an audit log to read."""
    with seeded.test_request_context():
        role = db.session.scalar(sa.select(Role).where(Role.slug == "customer-care-officer"))
        other = db.session.scalar(sa.select(Role).where(Role.slug == "bpo-job"))
        application, _ = save_role(user.id, role.id, "Grameenphone")
        application.applied_on = date.today() - timedelta(days=3)
        application.next_step, application.next_step_on = "Written test", date.today() + timedelta(days=12)
        application.follow_up_on = date.today() - timedelta(days=1)
        for stage in ("applied", "interviewing"):
            change_status(application, stage, user.id)
        add_interview(application, utcnow() + timedelta(days=2, hours=5), "phone")
        closed, _ = save_role(user.id, other.id, "Robi")
        change_status(closed, "rejected", user.id)
        asha, rahim, mita = (db.session.get(User, person.id) for person in (user, other_user, moderator))
        question = post_comment(role, asha, "How long are the night shifts?")
        answer = post_comment(role, rahim, "About 8 hours, in my experience", question)
        post_comment(role, asha, "Thank you", answer)
        held = post_comment(role, rahim, "See http://a.example and http://b.example")
        held.held_reason = "links"
        db.session.add(Report(comment_id=answer.id, reporter_id=asha.id, reason="spam", details="Looks copied"))
        db.session.add(AuditEntry(action="hide", moderator_id=mita.id, comment_id=question.id, role_id=role.id, reason="Test"))
        rahim.suspended_at, rahim.suspension_reason = utcnow(), "Spam"
        import_job = import_jobs.start(asha.id, "title\nCashier\n", 300)
        import_job.state, import_job.checked = "running", 100
        db.session.commit()
        # Links as the mails give them: a password reset, an unsubscribe and a new email of Asha's.
        mailed_token = lambda link: link.rsplit("/", 1)[-1]  # noqa: E731
        return {
            "token": mailed_token(reset_link(asha)),
            "auth.unsubscribe": {"token": mailed_token(unsubscribe_link(asha, "replies"))},
            "auth.confirm_email": {"token": mailed_token(confirmation_link(asha, "asha.new@example.com"))},
            "application_id": application.id,
            "interview_id": application.interviews[0].id,
            "comment_id": question.id,
            "user_id": rahim.id,
            "slug": role.slug,
            "answer_id": answer.id,
            "job_id": import_job.id,
        }


def _client(app, person=None):
    client = app.test_client()
    client.delete_cookie("lang")  # Bengali: the default
    if person is not None:
        client.login(person.email)
    return client


GET_ROUTES = [
    (endpoint, rule)
    for endpoint, rule, method in ROUTES
    if method == "GET" and endpoint not in {"healthz", "readyz", "applications.export"}
]


def test_every_page_and_fragment_in_bengali_has_bengali_digits_and_words(app, world, user, moderator):
    readers = {"anonymous": _client(app), "asha": _client(app, user), "mita": _client(app, moderator)}
    pages = {}

    def read(name, method, url, **kwargs):
        response = readers[name].open(url, method=method, **kwargs)
        if response.mimetype == "text/html" and response.data:
            html = response.get_data(as_text=True)
            assert '<html lang="en"' not in html, url
            # Numbered: the same URL is sent several forms, each sent back with its own messages.
            pages[f"{len(pages)}: {name} {method} {url} {'htmx' if 'HX-Request' in kwargs.get('headers', {}) else ''}"] = html

    for endpoint, rule in GET_ROUTES:
        url = _url(app, endpoint, world)
        name = "mita" if ACCESS[endpoint] == MODERATOR else "asha"
        for headers in ({}, {"HX-Request": "true"}):
            read(name, "GET", url, headers=headers)
            if ACCESS[endpoint] == PUBLIC:
                read("anonymous", "GET", url, headers=headers)
    read("anonymous", "GET", "/no-such-page")
    read("anonymous", "GET", "/?q=nothing-matches-this")
    read("anonymous", "GET", "/", headers={"Accept-Language": "en"})  # the English offer

    # Forms sent back with their messages, as pages and as htmx fragments.
    application = world["application_id"]
    for headers in ({}, {"HX-Request": "true"}):
        token = {"X-CSRFToken": readers["anonymous"].csrf_token()}
        read("anonymous", "POST", "/auth/register", data={"email": "x", "password": "short", "password2": "other"}, headers=headers | token)
        read("anonymous", "POST", "/auth/register", data={"email": "a" * 250 + "@example.com"}, headers=headers | token)
        read("anonymous", "POST", "/auth/login", data={"email": "nobody@example.com", "password": "x"}, headers=headers | token)
        asha = readers["asha"]
        token = {"X-CSRFToken": asha.csrf_token()}
        details = {"organisation": "Grameenphone", "applied_on": "1999-01-01", "follow_up_on": "2040-01-01", "notes": "x" * 5001}
        read("asha", "POST", f"/tracker/{application}/details", data=details, headers=headers | token)
        read("asha", "POST", f"/tracker/{application}/status", data={"status": "hired"}, headers=headers | token)
        read("asha", "POST", f"/tracker/board/{application}/move", data={"status": "hired"}, headers=headers | token)
        read("asha", "POST", f"/tracker/board/{application}/move", data={"status": "offer"}, headers=headers | token)
        read("asha", "POST", f"/tracker/{application}/interviews", data={"day": "31-12", "at": "25:99"}, headers=headers | token)
        read("asha", "POST", "/auth/email", data={"email": "x", "password": ""}, headers=headers | token)
        read("asha", "POST", f"/roles/{world['slug']}/comments", data={"body": "x" * 6000}, headers=headers | token)
        read("asha", "POST", f"/roles/{world['slug']}/comments", data={"body": "A new question"}, headers=headers | token)
        read("asha", "POST", f"/moderation/comments/{world['answer_id']}/report", data={"reason": "other"}, headers=headers | token)
        mita = readers["mita"]
        token = {"X-CSRFToken": mita.csrf_token()}
        read("mita", "POST", f"/moderation/users/{world['user_id']}", data={"days": "9999", "reason": ""}, headers=headers | token)
        read("mita", "POST", f"/moderation/users/{world['user_id']}", data={"days": "abc", "reason": ""}, headers=headers | token)
    assert len(pages) > 60
    allowed = content_words(app) | {word for text in TYPED for word in LATIN.findall(text)}
    problems = {where: sorted(latin) for where, html in pages.items() if (latin := latin_in(html, allowed))}
    assert not problems, "\n".join(f"{where}: {words}" for where, words in problems.items())


def test_the_reading_finds_english_and_latin_digits(app, world, user):
    """The check above finds what it looks for: the same pages in English fail it."""
    asha = _client(app, user)
    asha.set_cookie("lang", "en")
    html = asha.get(f"/tracker/{world['application_id']}").get_data(as_text=True)
    html = html.replace('<html lang="en">', '<html lang="bn">')  # as if nothing were translated
    latin = latin_in(html, content_words(app))
    assert {"Save", "Timeline"} <= latin and any(token.isdigit() for token in latin)
    assert "Grameenphone" not in latin  # what Asha wrote
