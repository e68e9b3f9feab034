"""Long threads: pages of top-level comments, "load more" with htmx, the order choice, and
links to single comments that may be on another page."""
import re

import pytest

from tracker.extensions import db
from tracker.models import Comment, utcnow

from .discussion_support import add_comment, long_thread, role  # noqa: F401


def shown_comments(html: str) -> list[str]:
    return re.findall(r'<div class="comment-text"><p>([^<]+)</p>', html)


def load_more_url(html: str) -> str | None:
    """Where the "load more" link sends htmx, as the browser would read it."""
    match = re.search(r'hx-get="([^"]+)"\s+hx-target="closest li"', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_the_first_page_shows_two_threads_and_a_load_more_link(app, role, client, long_thread):
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert shown_comments(page) == ["question 0", "answer to question 0", "question 1"]
    assert "6 thoughts on" in page
    assert f'href="/roles/{role.slug}?page=2#comments"' in page
    roots, _reply = long_thread
    assert load_more_url(page) == f"/roles/{role.slug}/comments?page=2&after={roots[1]}&upto={roots[4]}"


def test_load_more_with_htmx_returns_the_next_threads_and_the_next_link(app, role, client, long_thread):
    response = client.htmx("GET", load_more_url(client.get(f"/roles/{role.slug}").get_data(as_text=True)))
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert shown_comments(fragment) == ["question 2", "question 3"]
    assert load_more_url(fragment).startswith(f"/roles/{role.slug}/comments?page=3&")
    last = client.htmx("GET", load_more_url(fragment)).get_data(as_text=True)
    assert shown_comments(last) == ["question 4"] and load_more_url(last) is None


@pytest.mark.parametrize("order", ["oldest", "newest"])
def test_comments_posted_after_the_page_loaded_are_not_loaded_twice(app, role, user, client, long_thread, add_comment, order):
    page = client.get(f"/roles/{role.slug}?order={order}", follow_redirects=True).get_data(as_text=True)
    seen = shown_comments(page)
    add_comment(role, user, "posted meanwhile")  # the poster's page shows it already
    url = load_more_url(page)
    while url:
        fragment = client.htmx("GET", url).get_data(as_text=True)
        seen += shown_comments(fragment)
        url = load_more_url(fragment)
    assert sorted(seen) == sorted([f"question {n}" for n in range(5)] + ["answer to question 0"])


def test_a_page_number_alone_still_works_for_load_more(app, role, client, long_thread):
    fragment = client.htmx("GET", f"/roles/{role.slug}/comments?page=2").get_data(as_text=True)
    assert shown_comments(fragment) == ["question 2", "question 3"]


def test_load_more_without_javascript_is_a_page_of_its_own(app, role, client, long_thread):
    response = client.get(f"/roles/{role.slug}/comments?page=2")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/roles/{role.slug}?page=2#comments"
    page = client.get(f"/roles/{role.slug}?page=2").get_data(as_text=True)
    assert shown_comments(page) == ["question 2", "question 3"]
    assert f'href="/roles/{role.slug}#comments">Previous comments</a>' in page


def test_newest_first_reverses_the_threads_but_not_the_replies(app, role, client, long_thread):
    page = client.get(f"/roles/{role.slug}?order=newest").get_data(as_text=True)
    assert shown_comments(page) == ["question 4", "question 3"]
    assert '<strong aria-current="true">newest first</strong>' in page
    second = client.htmx("GET", load_more_url(page)).get_data(as_text=True)
    assert shown_comments(second) == ["question 2", "question 1"]
    last = client.htmx("GET", load_more_url(second)).get_data(as_text=True)
    assert shown_comments(last) == ["question 0", "answer to question 0"]


def test_nonsense_page_and_order_go_to_the_first_page(app, role, client, long_thread):
    nonsense_args = ("page=abc&order=sideways", "page=-3", "page=²", "page=99999999999999999999", "page=1", "order=oldest")
    for nonsense in nonsense_args:
        response = client.get(f"/roles/{role.slug}?{nonsense}")
        assert response.status_code == 302 and response.headers["Location"] == f"/roles/{role.slug}", nonsense
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert shown_comments(page) == ["question 0", "answer to question 0", "question 1"], nonsense
    fragment = client.htmx("GET", f"/roles/{role.slug}/comments?page=2&after=²&upto=99999999999999999999")
    assert shown_comments(fragment.get_data(as_text=True)) == ["question 2", "question 3"]


def test_a_page_past_the_end_goes_to_the_last_page(app, role, client, long_thread):
    for past_the_end in ("page=99", "page=2000000", "page=4"):
        response = client.get(f"/roles/{role.slug}?{past_the_end}&order=newest")
        assert response.headers["Location"] == f"/roles/{role.slug}?page=3&order=newest", past_the_end
    assert shown_comments(client.get(f"/roles/{role.slug}?page=3&order=newest").get_data(as_text=True)) == [
        "question 0", "answer to question 0"
    ]


def test_each_page_has_one_address(app, role, client, long_thread):
    """Repeated or left-over arguments go to the page's own address; others are kept."""
    response = client.get(f"/roles/{role.slug}?page=2&page=3&order=oldest&ref=guide")
    assert response.headers["Location"] == f"/roles/{role.slug}?ref=guide&page=2"
    assert client.get(f"/roles/{role.slug}?page=2&order=newest").status_code == 200
    assert client.get(f"/roles/{role.slug}?order=newest&page=2").status_code == 200


def test_a_link_to_a_comment_goes_to_its_page_and_anchor(app, role, client, long_thread):
    roots, reply = long_thread
    response = client.get(f"/comments/{roots[4]}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/roles/{role.slug}?page=3#comment-{roots[4]}"
    assert client.get(f"/comments/{reply}").headers["Location"] == f"/roles/{role.slug}#comment-{reply}"
    newest = client.get(f"/comments/{reply}?order=newest").headers["Location"]
    assert newest == f"/roles/{role.slug}?page=3&order=newest#comment-{reply}"


def test_a_hidden_or_held_comment_has_no_link(app, role, user, client, add_comment):
    hidden = add_comment(role, user, "hidden")
    held = add_comment(role, user, "held")
    with app.app_context():
        db.session.get(Comment, hidden).hidden_at = utcnow()
        db.session.get(Comment, held).held_reason = "two links"
        db.session.commit()
    assert client.get(f"/comments/{hidden}").status_code == 404
    assert client.get(f"/comments/{held}").status_code == 404
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert "0 thoughts on" in page and "hidden" not in shown_comments(page)


def test_unknown_role_404s_for_load_more(app, role, client):
    assert client.htmx("GET", "/roles/no-such-role/comments?page=2").status_code == 404


def test_a_long_comment_is_folded_with_read_more_and_a_short_one_is_not(app, role, user, client, add_comment):
    long_one = add_comment(role, user, "অনেক কথা। " * 300)
    short_one = add_comment(role, user, "Short and clear.")
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    long_card = page[page.index(f'id="card-{long_one}"'):]
    long_card = long_card[: long_card.index("</article>")]
    assert f'<input type="checkbox" class="fold-toggle visually-hidden" id="more-{long_one}">' in long_card
    assert 'class="comment-text is-folded"' in long_card and f'<label class="fold-label" for="more-{long_one}">' in long_card
    assert long_card.count("অনেক কথা।") == 300  # all of it is there, for search and screen readers
    short_card = page[page.index(f'id="card-{short_one}"'):]
    assert "fold-toggle" not in short_card[: short_card.index("</article>")]


def test_a_thread_of_several_comments_links_to_its_comment_form(app, role, user, client, user_client, add_comment):
    add_comment(role, user, "First")
    assert 'href="#new-comment"' not in client.get(f"/roles/{role.slug}").get_data(as_text=True)
    add_comment(role, user, "Second")
    for reader in (client, user_client):
        page = reader.get(f"/roles/{role.slug}").get_data(as_text=True)
        assert '<a href="#new-comment">Write a comment ↓</a>' in page and 'id="new-comment"' in page
