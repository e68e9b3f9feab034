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
    assert 'name="next" value="/roles/bpo-job"' in form

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
UNNAMED_TITLE = '<span lang="bn">ডাটা এন্ট্রি অপারেটর</span>'


@pytest.fixture
def role_without_english_title(seeded, runner, tmp_path):
    """A role whose file gives no English title (`title_en`)."""
    role_file = tmp_path / "data-entry-operator.toml"
    role_file.write_text('slug = "data-entry-operator"\ntitle = "ডাটা এন্ট্রি অপারেটর"\n', encoding="utf-8")
    assert runner.invoke(args=["catalogue", "import", str(role_file)]).exit_code == 0
    return "/roles/data-entry-operator"


def test_bengali_titles_names_and_categories_on_english_pages_carry_lang_bn(
    seeded, user, user_client, make_user, role_without_english_title
):
    catalogue = user_client.get("/").get_data(as_text=True)
    assert f'<a href="{role_without_english_title}">{UNNAMED_TITLE}</a>' in catalogue
    assert '<dd><span lang="bn">ব্যবসায়িক সেবা</span></dd>' in catalogue  # a category

    rahim = seeded.test_client()
    rahim.login(make_user(email="rahim@example.com", display_name="রহিম").email)
    assert rahim.post(f"{role_without_english_title}/comments", data={"body": "রাতের শিফট আছে?"}).status_code == 303
    role = user_client.get(role_without_english_title).get_data(as_text=True)
    assert f'<h1 itemprop="name">{UNNAMED_TITLE}</h1>' in role
    assert f"thought on “{UNNAMED_TITLE}”" in role
    assert '<bdi lang="bn">রহিম</bdi>' in role
    # The guide is Bengali; its English heading says it is not.
    guide = user_client.get("/roles/bpo-job").get_data(as_text=True).split('<div lang="bn">', 1)[1]
    assert '<h2 id="glance-heading" lang="en">At a glance</h2>' in guide

    application = track(seeded, user)
    tracker = user_client.get("/tracker/").get_data(as_text=True)
    assert f'<span lang="bn">{CCO_TITLE}</span></a>' in tracker
    assert f'<h1><span lang="bn">{CCO_TITLE}</span>' in user_client.get(f"/tracker/{application}").get_data(as_text=True)


def test_english_pages_call_a_role_by_its_english_title(seeded, client, user_client, make_user):
    for reader in (client, user_client):
        catalogue = reader.get("/").get_data(as_text=True)
        assert '<a href="/roles/bpo-job">BPO Job</a>' in catalogue and "BPO কাজ" not in catalogue
    rahim = seeded.test_client()
    rahim.login(make_user(email="rahim@example.com", display_name="রহিম").email)
    assert rahim.post("/roles/bpo-job/comments", data={"body": "রাতের শিফট আছে?"}).status_code == 303
    for reader in (client, user_client):
        role = reader.get("/roles/bpo-job").get_data(as_text=True)
        assert "<title>BPO Job · Career guides</title>" in role
        assert '<meta property="og:title" content="BPO Job">' in role
        assert '<h1 itemprop="name">BPO Job</h1>' in role
        assert "1 thought on “BPO Job”" in role


def test_bengali_pages_call_a_role_by_its_bengali_title(seeded, undecided_client):
    assert '<a href="/roles/bpo-job">BPO কাজ</a>' in undecided_client.get("/").get_data(as_text=True)
    role = undecided_client.get("/roles/bpo-job").get_data(as_text=True)
    assert '<meta property="og:title" content="BPO কাজ">' in role and '<h1 itemprop="name">BPO কাজ</h1>' in role
    assert "BPO Job" not in role.split("</head>")[1].split('<div lang="bn">')[0]


def test_bengali_pages_do_not_repeat_their_own_language(seeded, undecided_client):
    catalogue = undecided_client.get("/").get_data(as_text=True)
    assert '<html lang="bn">' in catalogue and "BPO কাজ" in catalogue
    assert '<span lang="bn">' not in catalogue


def test_the_language_offer_is_a_landmark_of_its_own(seeded, undecided_client):
    page = undecided_client.get("/", headers=ASKS_FOR_ENGLISH).get_data(as_text=True)
    assert re.search(r'<aside aria-label="[^"]+">\s*<form action="/auth/language" method="post" class="language-offer">', page)


def test_a_url_naming_its_language_is_read_in_it_without_changing_the_readers_choice(seeded, undecided_client, client):
    english = undecided_client.get("/roles/bpo-job?lang=en")
    page = english.get_data(as_text=True)
    assert '<html lang="en">' in page and '<h1 itemprop="name">BPO Job</h1>' in page and "At a glance" in page
    # Its links stay in English, the stylesheet is one copy for every language.
    assert '<a class="brand" href="/?lang=en">' in page and '<form action="/auth/language?lang=en"' in page
    assert re.search(r'<link rel="stylesheet" href="/static/css/app\.[0-9a-f]{12}\.css">', page)
    assert "Set-Cookie" not in english.headers
    assert '<html lang="bn">' in undecided_client.get("/roles/bpo-job").get_data(as_text=True)
    # A reader who chose English reads a Bengali address in Bengali, and keeps English elsewhere.
    assert '<html lang="bn">' in client.get("/?lang=bn").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    # Named twice, or a language the site has not: the reader's own.
    for url in ("/?lang=en&lang=bn", "/?lang=fr"):
        assert '<html lang="bn">' in undecided_client.get(url).get_data(as_text=True)


def test_each_language_of_a_visitors_role_page_is_kept_at_its_own_address(seeded, undecided_client):
    for _ in range(2):  # the second time from the cache
        english = undecided_client.get("/roles/bpo-job?lang=en")
        bengali = undecided_client.get("/roles/bpo-job")
        assert '<html lang="en">' in english.get_data(as_text=True) and '<html lang="bn">' in bengali.get_data(as_text=True)
        assert english.headers["ETag"] and bengali.headers["ETag"] and english.headers["ETag"] != bengali.headers["ETag"]
    # Revalidated as any kept page: a repeat view of the English address is a 304.
    repeat = undecided_client.get("/roles/bpo-job?lang=en", headers={"If-None-Match": english.headers["ETag"]})
    assert repeat.status_code == 304


def test_choosing_a_language_on_a_page_whose_url_names_one_goes_back_to_it_without(seeded, undecided_client):
    response = undecided_client.post(
        "/auth/language?lang=en", data={"language": "bn", "next": "/roles/bpo-job?order=newest&lang=en"}, csrf=False
    )
    assert response.status_code == 303 and response.headers["Location"] == "/roles/bpo-job?order=newest"
    assert '<html lang="bn">' in undecided_client.get(response.headers["Location"]).get_data(as_text=True)
