"""A visitor's role page is revalidated (issue 25, item 6): a strong ETag named after the
versions its key names, a repeat view answered 304 with no body after one version lookup,
and a new ETag whenever the page would differ. With the in-process store and with Redis."""
import gzip
import re

import brotli
import pytest

from tracker.extensions import db
from tracker.models import Role, sort_key

from .conftest import make_app
from .discussion_support import add_comment, role  # noqa: F401
from .test_caching import STORES, app_with_store


@pytest.fixture(params=STORES)
def app(request, database_url):
    yield from app_with_store(request.param, database_url)


def _visitor(app, language="en"):
    """A visitor who chose `language`, or (None) a first visit, who chose none."""
    client = app.test_client()
    client.delete_cookie("lang")
    if language is not None:
        client.set_cookie("lang", language)
    return client


def _again(client, url, first, **headers):
    """`url` asked again as a browser holding `first` asks for it."""
    return client.get(url, headers={"If-None-Match": first.headers["ETag"], **headers})


@pytest.mark.parametrize("encoding", [None, "gzip", "br"])
def test_a_repeat_view_costs_a_few_hundred_bytes_and_one_version_lookup(
    app, role, other_user, add_comment, count_queries, encoding
):
    add_comment(role, other_user, "First words")
    client, url = _visitor(app), f"/roles/{role.slug}"
    headers = {"Accept-Encoding": encoding} if encoding else {}
    first = client.get(url, headers=headers)
    assert first.status_code == 200 and "no-cache" in first.headers["Cache-Control"]
    etag, weak = first.get_etag()
    assert etag and not weak
    assert first.headers.get("Content-Encoding") == encoding
    with count_queries() as statements:  # the store emptied too: nothing is read from it
        repeat = _again(client, url, first, **headers)
    assert repeat.status_code == 304 and repeat.data == b""
    assert repeat.headers["ETag"] == first.headers["ETag"]
    assert len(statements) == 1
    assert len(str(repeat.headers)) < 1000  # the headers are all a slow line carries
    # A second view after the store emptied is the same page (drawn again, its relative
    # times a second older, maybe), under the same ETag.
    redrawn = client.get(url, headers=headers)
    assert redrawn.headers["ETag"] == first.headers["ETag"]
    assert _without_relative_times(redrawn, encoding) == _without_relative_times(first, encoding)


def _without_relative_times(response, encoding) -> str:
    body = {"gzip": gzip.decompress, "br": brotli.decompress}.get(encoding, bytes)(response.data).decode()
    return re.sub(r"(<time [^>]*>)[^<]*(</time>)", r"\1\2", body)


def test_a_new_comment_gives_the_page_anew(app, role, other_user, add_comment):
    add_comment(role, other_user, "First words")
    client, url = _visitor(app), f"/roles/{role.slug}"
    first = client.get(url)
    add_comment(role, other_user, "Second words")
    anew = _again(client, url, first)
    assert anew.status_code == 200 and "Second words" in anew.get_data(as_text=True)
    assert anew.headers["ETag"] != first.headers["ETag"]
    assert _again(client, url, anew).status_code == 304


def test_each_language_and_encoding_has_an_etag_of_its_own(app, role, other_user, add_comment):
    add_comment(role, other_user, "First words")
    url = f"/roles/{role.slug}"
    first_visit = _visitor(app, None)
    ways = {
        "en": lambda: _visitor(app, "en").get(url),
        "bn": lambda: _visitor(app, "bn").get(url),
        "en gzip": lambda: _visitor(app, "en").get(url, headers={"Accept-Encoding": "gzip"}),
        "en br": lambda: _visitor(app, "en").get(url, headers={"Accept-Encoding": "br"}),
        # A first visit is offered the language its browser asks for (base.html).
        "offered en, in bn": lambda: first_visit.get(url, headers={"Accept-Language": "en"}),
    }
    pages = {name: way() for name, way in ways.items()}
    assert "language-offer" in pages["offered en, in bn"].get_data(as_text=True)
    assert len({page.headers["ETag"] for page in pages.values()}) == len(ways)
    english = pages["en"]
    for name in ("bn", "en gzip", "en br"):
        client = _visitor(app, name.split()[0])
        headers = {"Accept-Encoding": name.split()[1]} if " " in name else {}
        assert _again(client, url, english, **headers).status_code == 200, name
    # The same first visit, its browser now asking for Bengali, is offered nothing.
    assert _again(first_visit, url, pages["offered en, in bn"], **{"Accept-Language": "bn"}).status_code == 200


def test_a_new_release_gives_the_page_anew(database_url, role):
    """Its templates may draw the same versions otherwise: a phone holding the old page is
    sent the new one."""
    etags = set()
    for release in ("one", "two"):
        app = make_app(database_url, RELEASE=release)
        etags.add(_visitor(app).get(f"/roles/{role.slug}").headers["ETag"])
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    assert len(etags) == 2


def test_a_page_with_a_message_waiting_is_never_answered_304(app, role, other_user, add_comment):
    add_comment(role, other_user, "First words")
    client, url = _visitor(app), f"/roles/{role.slug}"
    first = client.get(url)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "A message for this visitor")]
    shown = _again(client, url, first)
    assert shown.status_code == 200 and "A message for this visitor" in shown.get_data(as_text=True)
    assert _again(client, url, first).status_code == 304  # shown once, then the shared page again


def test_a_members_page_is_not_kept_so_not_revalidated(app, role, user, other_user, add_comment):
    """A member's page holds their CSRF token and is no-store: a browser keeps nothing to
    revalidate, so it is sent no ETag, and one sent anyway is answered with the page."""
    add_comment(role, other_user, "First words")
    url = f"/roles/{role.slug}"
    visitors = _visitor(app).get(url)
    member = _visitor(app)
    member.login(user.email)
    page = _again(member, url, visitors)
    assert page.status_code == 200 and "First words" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store" and "ETag" not in page.headers


@pytest.mark.parametrize("encoding", [None, "gzip"])
def test_a_repeat_view_of_the_catalogue_is_answered_304(app, role, user, encoding):
    client = _visitor(app)
    headers = {"Accept-Encoding": encoding} if encoding else {}
    first = client.get("/", headers=headers)
    etag, weak = first.get_etag()
    assert first.status_code == 200 and etag and not weak
    repeat = _again(client, "/", first, **headers)
    assert repeat.status_code == 304 and repeat.data == b"" and repeat.headers["ETag"] == first.headers["ETag"]
    assert _again(_visitor(app, "bn"), "/", first, **headers).status_code == 200
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "A message for this visitor")]
    shown = _again(client, "/", first, **headers)
    assert shown.status_code == 200 and "ETag" not in shown.headers
    member = _visitor(app)
    member.login(user.email)
    page = _again(member, "/", first, **headers)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store" and "ETag" not in page.headers


def test_a_new_role_gives_the_catalogue_anew(app, role):
    client = _visitor(app)
    first = client.get("/")
    with app.app_context():
        db.session.add(Role(slug="driver", title="Driver", title_sort_key=sort_key("Driver")))
        db.session.commit()
    anew = _again(client, "/", first)
    assert anew.status_code == 200 and "Driver" in anew.get_data(as_text=True)
    assert anew.headers["ETag"] != first.headers["ETag"]
