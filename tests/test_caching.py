"""Pieces and the cache (tracker/pieces.py, caching.py, front_door.py), with the in-process store and with Redis (when
TEST_REDIS_URL is set): nothing of one reader reaches another, every write shows at once,
and a new comment draws only its own card again."""
import re
import uuid

import pytest
import sqlalchemy as sa
from jinja2 import BaseLoader, ChoiceLoader, DictLoader, UndefinedError

from tracker.caching import code_digest
from tracker.extensions import cache, db
from tracker.models import Comment, Role, User, utcnow
from tracker.pieces import PerReaderContent

from .conftest import CSRF_FIELD, CSRF_HEADER, TEST_REDIS_URL, CSRFClient, _empty_postgres, make_app, without_tokens
from .discussion_support import add_comment, role  # noqa: F401

STORES = ["SimpleCache"] + (["RedisCache"] if TEST_REDIS_URL else [])


def app_with_store(store: str, database_url: str, **settings):
    """The app on an empty, migrated database, its cache in `store` (this process, or Redis);
    closed and its entries cleared after the test."""
    app = make_app(
        database_url,
        CACHE_TYPE=store,
        CACHE_REDIS_URL=TEST_REDIS_URL,
        CACHE_KEY_PREFIX=f"test-{uuid.uuid4().hex}:",  # runs sharing the Redis never meet
        **settings,
    )
    app.test_client_class = CSRFClient
    if database_url.startswith("postgresql"):
        _empty_postgres(app)
    yield app
    with app.app_context():
        cache.clear()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(params=STORES)
def app(request, database_url):
    """The app on an empty, migrated database, its cache in this process or in Redis."""
    yield from app_with_store(request.param, database_url)


def _client(app, language, person=None):
    client = app.test_client()
    client.set_cookie("lang", language)
    if person is not None:
        client.login(person.email)
        client.get("/")  # shows, and so clears, the "logged in" message
    return client


def _tokens(html: str) -> set[str]:
    """The sessions whose CSRF tokens are in `html` (a token is signed anew each second;
    the part before its first dot names the session's own)."""
    return {token.split(".", 1)[0] for token in CSRF_FIELD.findall(html) + CSRF_HEADER.findall(html)}


def _nav_user(html: str) -> str | None:
    found = re.search(r'<li class="nav-user">\s*<a href="/auth/profile"><bdi>(.*?)</bdi>', html, re.S)
    return found.group(1) if found else None


def _unread(html: str) -> str | None:
    found = re.search(r'class="nav-notifications">[^<]*<span class="badge"[^>]*>([^<]+)</span>', html)
    return found.group(1) if found else None


def _own_link_ids(html: str) -> set[str]:
    return set(re.findall(r'href="/comments/(\d+)/delete"', html))


@pytest.mark.parametrize("language", ["en", "bn"])
def test_no_reader_is_served_anything_of_another(app, role, user, other_user, moderator, add_comment, language):
    asha_says = add_comment(role, user, "Asha asks about night shifts")
    rahim_says = add_comment(role, other_user, "Rahim answers", parent=asha_says)
    rahim_adds = add_comment(role, other_user, "Rahim adds more", parent=asha_says)  # Asha has two unread replies
    asha_thanks = add_comment(role, user, "Asha thanks Rahim", parent=rahim_says)  # Rahim has one
    readers = {
        "anonymous": (None, _client(app, language)),
        "asha": (user, _client(app, language, user)),
        "rahim": (other_user, _client(app, language, other_user)),
        "mita": (moderator, _client(app, language, moderator)),
    }
    urls = [
        f"/roles/{role.slug}",
        f"/roles/{role.slug}?order=newest",
        f"/roles/{role.slug}/comments?page=1",
        f"/comments/{asha_says}",
        f"/comments/{rahim_says}",
        "/tracker/",
    ]
    seen = {name: [] for name in readers}
    # Each URL read by everyone, in one order and then the other, so that each reader is
    # served what another drew first.
    for order in (list(readers), list(reversed(readers))):
        for url in urls:
            for name in order:
                person, client = readers[name]
                response = client.get(url, headers={"HX-Request": "true"} if "/comments" in url else {})
                seen[name].append((url, response.get_data(as_text=True)))
    own_comment_ids = {"asha": {str(asha_says), str(asha_thanks)}, "rahim": {str(rahim_says), str(rahim_adds)}, "mita": set(), "anonymous": set()}
    for name, pages in seen.items():
        person = readers[name][0]
        tokens = set().union(*(_tokens(html) for _, html in pages))
        assert len(tokens) <= 1, (name, "more than one session's token")
        others_tokens = set().union(*(_tokens(html) for other, ps in seen.items() if other != name for _, html in ps))
        assert not tokens & others_tokens, name
        for url, html in pages:
            assert "@example.com" not in html, (name, url)
            if 'class="site-nav"' in html:  # a whole page
                assert _nav_user(html) == (person.display_name if person else None), (name, url)
            assert _own_link_ids(html) <= own_comment_ids[name], (name, url)
            assert ('class="moderation-actions"' in html) is (name == "mita" and "/tracker" not in url), (name, url)
            if 'class="site-nav"' in html:
                unread = {"asha": "2", "rahim": "1"}.get(name)
                if unread and language == "bn":
                    unread = unread.translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯"))
                assert _unread(html) == unread, (name, url)
    # Each author does see their own links on the thread they share.
    assert str(asha_says) in _own_link_ids(seen["asha"][0][1])
    assert str(rahim_says) in _own_link_ids(seen["rahim"][0][1])


PARTIES = ("visitor", "member-one", "member-two", "author", "moderator")


@pytest.mark.parametrize("language", ["en", "bn"])
def test_no_party_marker_reaches_another(app, role, make_user, add_comment, language):
    """Two members, an author, a moderator and a visitor, each with a cookie, a query
    argument, a flashed message, headers and a name of their own, read the same pages in
    shuffled orders: nothing of one reaches another."""
    import random

    from flask import flash, redirect, request

    def flash_marker():
        flash(request.args["m"])
        return redirect("/")

    app.add_url_rule("/test-only/flash", "test_flash", flash_marker)
    people = {
        party: make_user(email=f"{party}@example.com", display_name=f"Name{party.replace('-', '')}Marker", moderator=party == "moderator")
        for party in PARTIES if party != "visitor"
    }
    question = add_comment(role, people["author"], "The author asks about shifts")
    add_comment(role, people["moderator"], "The moderator answers", parent=question)
    clients = {party: _client(app, language, people.get(party)) for party in PARTIES}
    markers = {party: f"{party.replace('-', '')}Marker{uuid.uuid4().hex[:8]}" for party in PARTIES}
    for party, client in clients.items():
        client.set_cookie("marker", f"cookie{markers[party]}")
    urls = [f"/roles/{role.slug}", f"/roles/{role.slug}?order=newest", f"/comments/{question}", "/"]
    shuffle = random.Random(uuid.uuid4().int)
    seen = {party: [] for party in PARTIES}
    for _ in range(3):
        for url in urls:
            order = list(PARTIES)
            shuffle.shuffle(order)
            for party in order:
                client, marker = clients[party], markers[party]
                client.get(f"/test-only/flash?m=flash{marker}")
                headers = {"X-Marker": f"header{marker}", "User-Agent": f"agent{marker}"}
                asked = f"{url}{'&' if '?' in url else '?'}m=query{marker}" if shuffle.random() < 0.5 else url
                seen[party].append((asked, client.get(asked, headers=headers).get_data(as_text=True)))
    public_names = {people["author"].display_name, people["moderator"].display_name}
    for party, pages in seen.items():
        assert any(f"flash{markers[party]}" in html for _, html in pages), party  # their own message reached them
        for other in PARTIES:
            if other == party:
                continue
            foreign = [f"{kind}{markers[other]}" for kind in ("cookie", "query", "flash", "header", "agent")] + [markers[other]]
            if other in people and people[other].display_name not in public_names:
                foreign.append(people[other].display_name)
            for url, html in pages:
                assert not [text for text in foreign if text in html], (party, other, url)
        for url, html in pages:
            if 'class="site-nav"' in html:
                assert _nav_user(html) == (people[party].display_name if party in people else None), (party, url)


# What a review planted in shared templates (issue 25), each of which once reached the
# next reader or raised only for some: every one must now fail to draw.
PER_READER_EXPRESSIONS = [
    "{{ current_user.display_name }}",
    "{{ current_user.get_id() }}",
    "{{ current_user.email }}",
    "{{ csrf_token() }}",
    "{{ form.hidden_tag() }}",
    '{% from "canary/_macros.html" import shows %}{{ shows(current_user) }}',
    "{{ request.cookies }}",
    "{{ session }}",
    "{{ session.get('_user_id') }}",
    "{{ session['csrf_token'] }}",
    "{{ get_flashed_messages() }}",
    "{{ g.request_id }}",
    "{{ request.remote_addr }}",
    "{{ request.user_agent }}",
    "{{ request.args }}",
    '{% from "canary/_macros.html" import reads_session %}{{ reads_session() }}',
    "{{ reader.email }}",
    "{{ reader.display_name }}",
    "{{ url_for('catalogue.index', _external=True) }}",
    "{{ url_for('.index') }}",
]
# A macro given what it shows, and one imported without context, which once reached the real session.
CANARY_MACROS = (
    "{% macro shows(value) %}{{ value.display_name }}{% endmacro %}"
    "{% macro reads_session() %}{{ session.get('_user_id') }}{% endmacro %}"
)


class RecordingLoader(BaseLoader):
    """The closed environment's loader, noting each template it loads: the shared ones."""

    def __init__(self, loader):
        self.loader, self.loaded = loader, set()

    def get_source(self, environment, template):
        self.loaded.add(template)
        return self.loader.get_source(environment, template)


def _planted(source: str, expression: str) -> str:
    """`source` with `expression` where it is drawn: in the content block of a page that
    extends another, else at its end."""
    if "{% extends" in source:
        return source.replace("{% block content %}", "{% block content %}" + expression, 1)
    return source + expression


def _shared_templates(app, client, role) -> set[str]:
    closed = app.extensions["closed_jinja_env"]
    recording = closed.loader = RecordingLoader(closed.loader)
    with app.app_context():
        cache.clear()
    assert client.get(f"/roles/{role.slug}").status_code == 200
    closed.loader = recording.loader
    return recording.loaded


@pytest.mark.parametrize("who", ["visitor", "member", "author"])
def test_every_per_reader_expression_in_every_shared_template_fails_to_draw(app, role, user, other_user, add_comment, who):
    add_comment(role, other_user, "A question")
    if who == "author":
        add_comment(role, user, "My own question")
    client = _client(app, "en", None if who == "visitor" else user)
    shared = _shared_templates(app, client, role)
    assert {"discussion/_comment.html", "discussion/_thread.html", "discussion/_listing.html", "catalogue/_guide.html"} <= shared
    if who == "visitor":
        assert {"catalogue/role.html", "base.html", "applications/_save_button.html", "discussion/_section.html"} <= shared
    closed = app.extensions["closed_jinja_env"]
    # Every helper the app offers its own templates that a shared one may not use.
    per_reader_helpers = sorted(set(app.jinja_env.globals) - set(closed.globals))
    assert {"request", "session", "g", "csrf_token", "get_flashed_messages", "tracked_roles", "unread_notifications", "new_comment_state"} <= set(per_reader_helpers)
    expressions = PER_READER_EXPRESSIONS + [f"{{{{ {name} }}}}" for name in per_reader_helpers]
    opened_loader = app.jinja_env.loader
    planted = {"canary/_macros.html": CANARY_MACROS}
    app.jinja_env.loader = ChoiceLoader([DictLoader(planted), opened_loader])
    try:
        for template in sorted(shared):
            source, _, _ = opened_loader.get_source(app.jinja_env, template)
            for expression in expressions:
                planted[template] = _planted(source, expression)
                _forget(template, app.jinja_env, closed)
                with app.app_context():
                    cache.clear()
                try:
                    client.get(f"/roles/{role.slug}")
                except (UndefinedError, PerReaderContent):
                    continue
                pytest.fail(f"{expression} drew in {template} for a {who}")
            del planted[template]
            _forget(template, app.jinja_env, closed)
    finally:
        app.jinja_env.loader = opened_loader


def _forget(template: str, *environments) -> None:
    """Drop `template` from the environments' caches, so that it is loaded again."""
    for environment in environments:
        for key in [key for key in environment.cache.keys() if key[1] == template]:
            del environment.cache[key]


def test_a_piece_takes_plain_arguments_and_nothing_else(app, role, user):
    from tracker.catalogue.pieces import GUIDE
    from tracker.pieces import VISITOR, draw

    with app.test_request_context():
        stored = db.session.get(Role, role.id)
        version = stored.updated_at.timestamp()
        assert 'class="glance"' in draw(GUIDE, VISITOR, role_id=role.id, updated=version)
        with pytest.raises(TypeError):  # an object, that its template could read anything of
            draw(GUIDE, VISITOR, role_id=stored, updated=version)
        with pytest.raises(TypeError):  # a value the key does not name
            draw(GUIDE, VISITOR, role_id=role.id, updated=version, reader_email="asha@example.com")


def test_a_per_reader_expression_outside_shared_entries_is_the_readers_own(app, role, user, other_user, add_comment):
    add_comment(role, other_user, "A question")
    source, _, _ = app.jinja_loader.get_source(app.jinja_env, "catalogue/role.html")
    greeting = source.replace("<h1 ", "<p>Hello {{ current_user.display_name }}</p><h1 ", 1)
    app.jinja_env.loader = ChoiceLoader([DictLoader({"catalogue/role.html": greeting}), app.jinja_env.loader])
    assert "Hello Asha" in _client(app, "en", user).get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "Hello Rahim" in _client(app, "en", other_user).get(f"/roles/{role.slug}").get_data(as_text=True)


@pytest.mark.skipif(not TEST_REDIS_URL, reason="needs a store shared by two apps: Redis")
def test_a_new_release_does_not_serve_pages_kept_by_the_one_before(database_url, role):
    """Two instances upgraded one after the other share one Redis: each serves its own
    templates' drawings, never the other's."""
    prefix = f"test-{uuid.uuid4().hex}:"
    pages = {}
    for release in ("one", "two"):
        app = make_app(database_url, CACHE_TYPE="RedisCache", CACHE_REDIS_URL=TEST_REDIS_URL, CACHE_KEY_PREFIX=prefix, RELEASE=release)
        source, _, _ = app.jinja_loader.get_source(app.jinja_env, "catalogue/role.html")
        marked = source.replace("<h1 ", f"<p>Drawn by release {release}</p><h1 ", 1)
        app.jinja_env.loader = ChoiceLoader([DictLoader({"catalogue/role.html": marked}), app.jinja_env.loader])
        client = app.test_client()
        client.set_cookie("lang", "en")
        pages[release] = [_page(client, role) for _ in range(2)]  # drawn, then served as kept
        with app.app_context():
            assert any(key.startswith(f"{prefix}{release}:role-page:") for key in _entries(app))
            db.session.remove()
            db.engine.dispose()
    assert all("Drawn by release one" in page for page in pages["one"])
    assert all("Drawn by release two" in page and "release one" not in page for page in pages["two"])
    with app.app_context():
        cache.clear()


def test_the_release_keys_name_changes_with_the_code_that_draws_and_only_with_it(tmp_path):
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<p>one</p>")
    notes = tmp_path / "notes.txt"
    notes.write_text("not code")
    first = code_digest(tmp_path)
    assert code_digest(tmp_path) == first
    notes.write_text("changed, still not code")
    assert code_digest(tmp_path) == first
    template.write_text("<p>two</p>")
    assert code_digest(tmp_path) != first


def test_a_visitor_is_answered_before_the_app_with_the_kept_compressed_response(app, role, other_user, add_comment, monkeypatch):
    import brotli

    from tracker import front_door

    add_comment(role, other_user, "First words")
    client, headers = _client(app, "en"), {"Accept-Encoding": "br"}
    first = client.get(f"/roles/{role.slug}", headers=headers)  # drawn by the app, kept by the front door
    with app.app_context():
        store = cache.cache
    read, kept_get = [], store.get
    monkeypatch.setattr(store, "get", lambda key: read.append(key) or kept_get(key))
    drawn = []
    monkeypatch.setattr(front_door.FrontDoor, "_keep", lambda *args: drawn.append(args))
    statements = []
    with app.app_context():
        engine = db.engine
    record = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        second = client.get(f"/roles/{role.slug}", headers=headers)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert not drawn  # the app was not asked
    assert second.headers["Content-Encoding"] == "br" and "Accept-Encoding" in second.headers["Vary"]
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert second.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    assert second.data == first.data and "First words" in brotli.decompress(second.data).decode()
    assert len(read) == 1 and read[0].startswith("front:http:br:role-page:")
    assert len(statements) == 1  # the role's versions
    monkeypatch.undo()
    add_comment(role, other_user, "Second words")
    assert "Second words" in brotli.decompress(client.get(f"/roles/{role.slug}", headers=headers).data).decode()


def _page(client, role) -> str:
    return client.get(f"/roles/{role.slug}").get_data(as_text=True)


def test_bulk_statements_show_at_once(app, role, user, other_user, add_comment):
    comment_id = add_comment(role, other_user, "Visible words")
    anonymous, member = _client(app, "en"), _client(app, "en", user)
    for reader in (anonymous, member):
        assert "Visible words" in _page(reader, role)
    with app.app_context():  # a Core UPDATE, outside the ORM's unit of work
        db.session.execute(sa.update(Comment.__table__).where(Comment.__table__.c.id == comment_id).values(hidden_at=utcnow()))
        db.session.commit()
    for reader in (anonymous, member):
        assert "Visible words" not in _page(reader, role)
    with app.app_context():  # an ORM-enabled bulk UPDATE of the author
        db.session.execute(sa.update(User).where(User.id == other_user.id).values(display_name="Rahim Uddin"))
        db.session.execute(sa.update(Comment).where(Comment.id == comment_id).values(hidden_at=None))
        db.session.commit()
    for reader in (anonymous, member):
        assert "Rahim Uddin" in _page(reader, role)


def test_a_new_name_and_a_lost_badge_show_at_once(app, role, user, moderator, add_comment):
    add_comment(role, moderator, "Official answer")
    anonymous = _client(app, "en")
    page = _page(anonymous, role)
    assert "Moderator Mita" in page and "badge-moderator" in page
    with app.app_context():
        mita = db.session.get(User, moderator.id)
        mita.display_name, mita.is_moderator = "Mita", False
        db.session.commit()
    page = _page(anonymous, role)
    assert "Moderator Mita" not in page and "badge-moderator" not in page and "Mita" in page


def test_a_user_field_a_card_starts_to_show_is_fresh_at_once(app, role, user, other_user, add_comment):
    """Cards are drawn anew on a change to any column of their author but those no card
    shows: a card template that starts to show one more needs no change to invalidation."""
    source, _, _ = app.jinja_loader.get_source(app.jinja_env, "discussion/_comment.html")
    shows_district = source.replace('<strong class="comment-author">', '<span class="district">{{ comment.author.district }}</span><strong class="comment-author">', 1)
    app.jinja_env.loader = ChoiceLoader([DictLoader({"discussion/_comment.html": shows_district}), app.jinja_env.loader])
    add_comment(role, other_user, "From the north")
    readers = _client(app, "en"), _client(app, "en", user)
    with app.app_context():
        db.session.get(User, other_user.id).district = "Rangpur"
        db.session.commit()
    for reader in readers:
        assert '<span class="district">Rangpur</span>' in _page(reader, role)
    with app.app_context():  # the ORM
        db.session.get(User, other_user.id).district = "Sylhet"
        db.session.commit()
    for reader in readers:
        assert '<span class="district">Sylhet</span>' in _page(reader, role)
    with app.app_context():  # a bulk UPDATE statement
        db.session.execute(sa.update(User).where(User.id == other_user.id).values(district="Khulna"))
        db.session.commit()
    for reader in readers:
        assert '<span class="district">Khulna</span>' in _page(reader, role)
    with app.app_context():  # what no card shows leaves every card kept
        version = db.session.get(User, other_user.id).profile_version
        db.session.get(User, other_user.id).email_digest = True
        db.session.commit()
        assert db.session.get(User, other_user.id).profile_version == version


def test_a_new_comment_draws_only_its_own_thread_again(app, role, user, other_user, add_comment, monkeypatch):
    from tracker import pieces

    for number in range(6):
        add_comment(role, other_user if number % 2 else user, f"Comment {number}")
    anonymous = _client(app, "en")
    _page(anonymous, role)
    drawn = []
    draw = pieces._draw
    monkeypatch.setattr(pieces, "_draw", lambda piece, reader, context: drawn.append(piece.name) or draw(piece, reader, context))

    add_comment(role, user, "The newest comment")
    assert "The newest comment" in _page(anonymous, role)
    # Its own thread; the six others are kept. The guide did not change; the parts the
    # same for everyone below it (answered questions, the road's counts) follow the thread.
    assert sorted(drawn) == ["listing", "part", "part", "role-page", "thread"]

    drawn.clear()
    with app.app_context():
        first = db.session.scalar(sa.select(Comment.id).order_by(Comment.id))
    add_comment(role, other_user, "A reply deep in the first thread", parent=first)
    assert "A reply deep in the first thread" in _page(anonymous, role)
    assert sorted(drawn) == ["listing", "part", "part", "role-page", "thread"]


def test_made_up_arguments_are_not_kept(app, role, user, add_comment):
    add_comment(role, user, "A question")
    anonymous = _client(app, "en")
    with app.app_context():
        before = _entries(app)
    for number in range(5):
        assert anonymous.get(f"/roles/{role.slug}?utm={number}").status_code == 200
        assert anonymous.get(f"/roles/{role.slug}/comments?after={number + 1}&upto=9{number}", headers={"HX-Request": "true"}).status_code == 200
        assert anonymous.get(f"/roles/{role.slug}?page={number + 7}").status_code == 302  # past the last
    with app.app_context():
        after = _entries(app)
    # The guide, the one comment's thread, the one listing and the two parts the same for
    # everyone (answered questions, the road's counts), whatever was asked.
    assert len(after - before) <= 5, after - before


def _entries(app) -> set[str]:
    backend = cache.cache
    if hasattr(backend, "_cache"):  # in this process
        return set(backend._cache)
    prefix = app.config["CACHE_KEY_PREFIX"]
    return {key.decode() for key in backend._write_client.scan_iter(f"{prefix}*")}


@pytest.mark.parametrize("logged_in", [False, True])
def test_role_page_queries_do_not_grow_with_the_thread(app, role, user, other_user, add_comment, count_queries, logged_in):
    client = _client(app, "en", user if logged_in else None)
    counts = []
    written, root = 0, None
    for total in (4, 60):
        while written < total:  # threads of a question and three answers, by both members
            author = (user, other_user)[written % 2]
            parent = None if written % 4 == 0 else root
            comment_id = add_comment(role, author, f"Comment {written}", parent=parent)
            root = comment_id if parent is None else root
            written += 1
        with count_queries() as statements:
            cold_page = _page(client, role)
            cold = len(statements)
            statements.clear()
            assert without_tokens(_page(client, role)) == without_tokens(cold_page)
        counts.append((cold, len(statements)))
        assert cold_page.count('class="comment-card"') == total
    assert counts[0] == counts[1], counts


def test_tracker_queries_do_not_grow_with_the_applications(app, seeded, user, count_queries):
    from .applications_support import track

    client = _client(app, "en", user)
    counts = []
    tracked = 0
    for total in (3, 30):
        while tracked < total:
            track(app, user, organisation=f"Company {tracked}", moves=["applied"])
            tracked += 1
        with count_queries() as statements:
            client.get("/tracker/")
            cold = len(statements)
            statements.clear()
            client.get("/tracker/")
        counts.append((cold, len(statements)))
    assert counts[0] == counts[1], counts
