"""The interface language: Bengali unless the reader chose English, and a first visit from
a browser asking for English offered it in one tap."""
import re

import pytest

from .applications_support import CCO_TITLE, track

ASKS_FOR_ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}
OFFER = re.compile(r'<form action="/auth/language" method="post" class="language-offer">.*?</form>', re.S)


def offer(html: str) -> str | None:
    found = OFFER.search(html)
    return found.group(0) if found else None


@pytest.mark.parametrize("headers", [{}, {"Accept-Language": "bn-BD,bn;q=0.9,en;q=0.5"}, {"Accept-Language": "fr"}])
def test_a_reader_who_chose_nothing_reads_bengali_and_is_offered_nothing(seeded, undecided_client, headers):
    for url in ("/", "/roles/bpo-job", "/auth/login"):
        page = undecided_client.get(url, headers=headers).get_data(as_text=True)
        assert '<html lang="bn">' in page, url
        assert offer(page) is None, url
    assert "এক নজরে" in undecided_client.get("/roles/bpo-job", headers=headers).get_data(as_text=True)


def test_a_phone_set_to_english_still_reads_bengali_but_gets_english_in_one_tap(seeded, undecided_client):
    page = undecided_client.get("/roles/bpo-job", headers=ASKS_FOR_ENGLISH).get_data(as_text=True)
    assert '<html lang="bn">' in page and "এক নজরে" in page
    form = offer(page)
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in form
    assert 'name="next" value="/roles/bpo-job?"' in form

    response = undecided_client.post(
        "/auth/language", data={"language": "en", "next": "/roles/bpo-job?"}, headers=ASKS_FOR_ENGLISH, csrf=False
    )
    assert response.status_code == 303 and response.headers["Location"] == "/roles/bpo-job"
    assert "lang=en" in response.headers["Set-Cookie"]
    page = undecided_client.get("/roles/bpo-job", headers=ASKS_FOR_ENGLISH).get_data(as_text=True)
    assert '<html lang="en">' in page and "At a glance" in page
    assert offer(page) is None


def test_staying_with_bengali_ends_the_offer(seeded, undecided_client):
    undecided_client.post("/auth/language", data={"language": "bn", "next": "/"}, headers=ASKS_FOR_ENGLISH, csrf=False)
    page = undecided_client.get("/", headers=ASKS_FOR_ENGLISH).get_data(as_text=True)
    assert '<html lang="bn">' in page and offer(page) is None


def test_the_choice_is_kept_in_the_session_too(seeded, undecided_client):
    undecided_client.post("/auth/language", data={"language": "en", "next": "/"}, csrf=False)
    undecided_client.delete_cookie("lang")
    assert '<html lang="en">' in undecided_client.get("/").get_data(as_text=True)


def test_a_shared_page_offers_english_only_to_browsers_asking_for_it(seeded, app):
    asking, silent = app.test_client(), app.test_client()
    for client in (asking, silent):
        client.delete_cookie("lang")
    for _ in range(2):  # the second time from the cache
        assert offer(asking.get("/roles/bpo-job", headers=ASKS_FOR_ENGLISH).get_data(as_text=True))
        assert offer(silent.get("/roles/bpo-job").get_data(as_text=True)) is None
    assert "Accept-Language" in silent.get("/roles/bpo-job").headers["Vary"]


def test_a_member_who_chose_nothing_is_offered_english_with_their_token(seeded, app, user):
    member = app.test_client()
    member.delete_cookie("lang")
    member.login(user.email)
    form = offer(member.get("/tracker/", headers=ASKS_FOR_ENGLISH).get_data(as_text=True))
    assert 'name="csrf_token"' in form
    member.post("/auth/language", data={"language": "en", "next": "/tracker/"})
    assert '<html lang="en">' in member.get("/tracker/").get_data(as_text=True)


# Bengali words on an English page say so, so that a screen reader reads them with a
# Bengali voice rather than spelling them out with an English one (WCAG 3.1.2).
BPO_TITLE = '<span lang="bn">BPO কাজ</span>'


def test_bengali_titles_names_and_categories_on_english_pages_carry_lang_bn(seeded, user, user_client, make_user):
    catalogue = user_client.get("/").get_data(as_text=True)
    assert f'<a href="/roles/bpo-job">{BPO_TITLE}</a>' in catalogue
    assert '<dd><span lang="bn">ব্যবসায়িক সেবা</span></dd>' in catalogue  # a category

    rahim = seeded.test_client()
    rahim.login(make_user(email="rahim@example.com", display_name="রহিম").email)
    assert rahim.post("/roles/bpo-job/comments", data={"body": "রাতের শিফট আছে?"}).status_code == 303
    role = user_client.get("/roles/bpo-job").get_data(as_text=True)
    assert f"thought on “{BPO_TITLE}”" in role
    assert '<bdi lang="bn">রহিম</bdi>' in role
    # The guide is Bengali; its English heading says it is not.
    assert '<article class="role" lang="bn"' in role
    assert '<h2 id="glance-heading" lang="en">At a glance</h2>' in role

    application = track(seeded, user)
    tracker = user_client.get("/tracker/").get_data(as_text=True)
    assert f'<span lang="bn">{CCO_TITLE}</span></a>' in tracker
    assert f'<h1><span lang="bn">{CCO_TITLE}</span>' in user_client.get(f"/tracker/{application}").get_data(as_text=True)


def test_bengali_pages_do_not_repeat_their_own_language(seeded, undecided_client):
    catalogue = undecided_client.get("/").get_data(as_text=True)
    assert '<html lang="bn">' in catalogue and "BPO কাজ" in catalogue
    assert '<span lang="bn">' not in catalogue


def test_the_language_offer_is_a_landmark_of_its_own(seeded, undecided_client):
    page = undecided_client.get("/", headers=ASKS_FOR_ENGLISH).get_data(as_text=True)
    assert re.search(r'<aside aria-label="[^"]+">\s*<form action="/auth/language" method="post" class="language-offer">', page)
