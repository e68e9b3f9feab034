import re
from pathlib import Path
from urllib.parse import quote

import pytest

SEED_ROLES = Path(__file__).resolve().parent.parent / "seed_data" / "roles"


def results_titles(page: str) -> list[str]:
    # On an English page a Bengali title says its language (<span lang="bn">).
    return re.findall(r'<h2><a href="/roles/[^"]+">(?:<span lang="bn">)?([^<]+)(?:</span>)?</a></h2>', page)


def test_catalogue_lists_seeded_roles_with_facts(seeded, client):
    page = client.get("/").get_data(as_text=True)
    assert results_titles(page) == ["BPO Job", "Customer Care Officer"]
    assert "ব্যবসায়িক সেবা" in page
    assert "ফুল-টাইম, পার্ট-টাইম" in page and "এন্ট্রি, মিড" in page
    assert "৳10,000 – ৳20,000" in page and "৳5,000 – ৳25,000" in page


def test_search_in_bengali_matches_skills_and_duties(seeded, client):
    assert results_titles(client.get("/?q=" + quote("ধৈর্য")).get_data(as_text=True)) == ["Customer Care Officer"]
    # A duty line of the customer care officer guide.
    assert results_titles(client.get("/?q=" + quote("রিপোর্ট")).get_data(as_text=True)) == ["Customer Care Officer"]
    both = results_titles(client.get("/?q=" + quote("কম্পিউটার")).get_data(as_text=True))
    assert sorted(both) == ["BPO Job", "Customer Care Officer"]


def test_search_in_english_is_case_insensitive(seeded, client):
    assert results_titles(client.get("/?q=bpo").get_data(as_text=True)) == ["BPO Job"]
    assert results_titles(client.get("/?q=Work+From+Home").get_data(as_text=True)) == ["BPO Job"]


@pytest.mark.parametrize(
    "words, titles",
    [
        ("customer", ["Customer Care Officer"]),
        ("Customer Care", ["Customer Care Officer"]),
        ("customer service", ["Customer Care Officer"]),
        ("customer support", ["Customer Care Officer"]),
        ("call centre", ["BPO Job", "Customer Care Officer"]),
        ("call center", ["BPO Job", "Customer Care Officer"]),
        ("outsourcing", ["BPO Job"]),
    ],
)
def test_search_in_english_finds_the_roles_by_their_english_names(seeded, client, words, titles):
    assert results_titles(client.get("/?q=" + quote(words)).get_data(as_text=True)) == titles


@pytest.mark.parametrize(
    "words, titles",
    [
        ("data entry", ["BPO Job"]),
        ("patience", ["Customer Care Officer"]),
        ("Problem solving", ["Customer Care Officer"]),
        ("communication", ["BPO Job", "Customer Care Officer"]),
    ],
)
def test_search_in_english_finds_the_roles_by_their_skills_and_duties(seeded, client, words, titles):
    # The search box promises title, skill or duty in either language.
    assert sorted(results_titles(client.get("/?q=" + quote(words)).get_data(as_text=True))) == titles


def test_english_names_are_searched_but_not_shown_among_the_guides_titles(seeded, client):
    glance = glance_box(client.get("/roles/customer-care-officer").get_data(as_text=True))
    assert "Call Centre Agent" not in glance


def test_search_matches_bengali_typed_in_decomposed_form(seeded, client):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "সহযোগিতার")
    assert results_titles(client.get("/?q=" + quote(decomposed)).get_data(as_text=True)) == ["Customer Care Officer"]


def test_search_treats_like_wildcards_as_text(seeded, client):
    page = client.get("/?q=%25").get_data(as_text=True)
    assert results_titles(page) == []


def test_filters_by_category_career_type_and_level(seeded, client):
    for name, value in (("category", "ব্যবসায়িক সেবা"), ("career_type", "পার্ট-টাইম"), ("level", "মিড")):
        page = client.get(f"/?{name}={quote(value)}").get_data(as_text=True)
        assert results_titles(page) == ["Customer Care Officer"], name


def test_filter_choices_come_from_the_data(seeded, client):
    page = client.get("/").get_data(as_text=True)
    for value in ("ব্যবসায়িক সেবা", "ফুল-টাইম", "পার্ট-টাইম", "এন্ট্রি", "মিড"):
        assert f'<option value="{value}"' in page


def test_empty_result_says_so(seeded, client):
    page = client.get("/?q=astronaut").get_data(as_text=True)
    assert "No roles match your search" in page


def test_htmx_search_returns_only_the_results_fragment(seeded, client):
    response = client.get("/?q=bpo", headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert results_titles(fragment) == ["BPO Job"]
    assert "<html" not in fragment and "<form" not in fragment
    assert "HX-Request" in response.headers["Vary"]
    full = client.get("/?q=bpo").get_data(as_text=True)
    assert "<html" in full and results_titles(full) == ["BPO Job"]


def test_htmx_history_restore_of_a_search_gets_the_whole_page(seeded, client):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    page = client.get("/?q=bpo", headers=headers).get_data(as_text=True)
    assert "<html" in page and "<form" in page and results_titles(page) == ["BPO Job"]


def test_a_page_past_the_last_shows_the_last_page(seeded, client):
    response = client.get("/?page=5&q=bpo")
    assert response.status_code == 302 and response.headers["Location"] == "/?page=1&q=bpo"
    assert results_titles(client.get(response.headers["Location"]).get_data(as_text=True)) == ["BPO Job"]
    nothing = client.get("/?page=5&q=no-such-role").get_data(as_text=True)
    assert "No roles match your search" in nothing


def glance_box(page: str) -> str:
    return page[page.index('<aside class="glance"'):page.index("</aside>")]


def test_customer_care_officer_page_shows_the_whole_guide(seeded, client):
    page = client.get("/roles/customer-care-officer").get_data(as_text=True)
    expected = [
        "<h1 itemprop=\"name\">Customer Care Officer</h1>",
        "কাস্টমার কেয়ার অফিসার, কাস্টমার সাপোর্ট অফিসার",
        "ব্যবসায়িক সেবা",
        "সরকারি, বেসরকারি, প্রাইভেট ফার্ম/কোম্পানি",
        "ফুল-টাইম, পার্ট-টাইম",
        "এন্ট্রি, মিড",
        "1 – 2 years",
        "৳10,000 – ৳20,000",
        "22 – 30 years",
        "যোগাযোগের দক্ষতা, সহযোগিতার সম্পর্ক তৈরি করতে পারা, ধৈর্য, মানসিক চাপ সামলানোর ক্ষমতা",
        "যথাসম্ভব কম সময়ের মধ্যে তথ্য সংগ্রহ করতে পারা, সমস্যা সমাধানের দক্ষতা",
        "একজন কাস্টমার কেয়ার অফিসার কোথায় কাজ করেন?",
        "মোবাইল টেলিকমিউনিকেশন কোম্পানিতে (যেমনঃ গ্রামীণফোন)",
        "প্রতিদিনের কাজের কল লগ সংরক্ষণ করা ও রিপোর্ট লেখা",
        "বিশেষ শর্তঃ কিছু ক্ষেত্রে নারী বা পুরুষ প্রার্থীর কথা উল্লেখ করা থাকে।",
        "মানসিক চাপ সামলানোর ক্ষমতা, যা নেতিবাচক পরিস্থিতিতে কাজে দেবে",
        "এ পদে অভিজ্ঞতার ভিত্তিতে আপনি মাসে ৳১০,০০০ – ৳২০,০০০ পর্যন্ত আয় করতে পারবেন।",
        "পরবর্তীতে কাস্টমার কেয়ার ম্যানেজার পদে উন্নীত হতে পারেন।",
    ]
    for text in expected:
        assert text in page, text
    assert "<dd>৳10,000 – ৳20,000</dd>" in glance_box(page)


def test_bpo_page_keeps_the_question_and_answer_sections(seeded, client):
    page = client.get("/roles/bpo-job").get_data(as_text=True)
    for heading in ("BPO কাজ কি?", "BPO কাজের বেতন কত?", "bpo means in job", "bpo job work from home", "amazon bpo jobs work from home"):
        assert heading in page
    assert "৳5,000 – ৳25,000" in page
    assert "প্রায় ৫,০০০ থেকে ২৫,০০০ টাকা পর্যন্ত হতে পারে" in page
    assert "আউটবাউন্ড কল" in page


def test_unknown_role_is_a_404_page(seeded, client):
    response = client.get("/roles/astronaut")
    assert response.status_code == 404
    assert "We could not find that page." in response.get_data(as_text=True)


def test_pages_are_utf8_and_carry_security_headers(seeded, client):
    response = client.get("/roles/customer-care-officer")
    assert response.content_type == "text/html; charset=utf-8"
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_and_load_vendored_htmx(seeded, user_client):
    page = user_client.get("/").get_data(as_text=True)
    assert "<script>" not in page and " on" + "click=" not in page
    # htmx comes from our own origin, in the one script a page loads (static_files.py, PAGE_SCRIPTS).
    bundle = re.search(r'<script src="(/static/js/bundle\.[0-9a-f]{12}\.js)" defer></script>', page)
    vendored = (Path(__file__).resolve().parent.parent / "tracker/static/vendor/htmx.min.js").read_bytes().strip()
    with user_client.get(bundle.group(1)) as script:
        assert script.status_code == 200 and script.data.startswith(vendored)


def test_catalogue_page_uses_a_fixed_number_of_queries(seeded, client, count_queries, runner, tmp_path):
    with count_queries() as few:
        client.get("/")
    for number in range(30):
        role_file = tmp_path / f"role{number}.toml"
        role_file.write_text(f'slug = "r{number}"\ntitle = "ভূমিকা {number}"\nlevels = ["এন্ট্রি"]\n', encoding="utf-8")
        assert runner.invoke(args=["catalogue", "import", str(role_file)]).exit_code == 0
    with count_queries() as many:
        client.get("/")
    assert len(many) == len(few)


def test_bengali_interface_mirrors_the_guides_at_a_glance_box(seeded, undecided_client):
    page = undecided_client.get("/roles/customer-care-officer").get_data(as_text=True)
    assert '<html lang="bn">' in page
    glance = glance_box(page)
    for label, value in (
        ("এক নজরে", None),
        ("সাধারণ পদবী", "কাস্টমার কেয়ার অফিসার, কাস্টমার সাপোর্ট অফিসার"),
        ("এন্ট্রি লেভেলে সম্ভাব্য অভিজ্ঞতা সীমা", "১ – ২ বছর"),
        ("এন্ট্রি লেভেলে সম্ভাব্য গড় বেতন", "৳১০,০০০ – ৳২০,০০০"),
        ("এন্ট্রি লেভেলে সম্ভাব্য বয়স", "২২ – ৩০ বছর"),
    ):
        assert label in glance
        if value:
            assert f"<dt lang=\"bn\">{label}</dt><dd>{value}</dd>" in glance


def test_language_choice_is_remembered(seeded, client):
    response = client.post("/auth/language", data={"language": "bn", "next": "/roles/bpo-job"})
    assert response.status_code == 303 and response.headers["Location"] == "/roles/bpo-job"
    assert "এক নজরে" in client.get("/roles/bpo-job").get_data(as_text=True)
    client.post("/auth/language", data={"language": "en", "next": "https://evil.example/"})
    assert "At a glance" in client.get("/roles/bpo-job").get_data(as_text=True)


def test_anonymous_readers_share_a_role_page_that_holds_no_token_and_sets_no_cookie(seeded, app):
    first, second = app.test_client(), app.test_client()
    first_response, second_response = first.get("/roles/bpo-job"), second.get("/roles/bpo-job")
    assert first_response.get_data() == second_response.get_data()
    page = first_response.get_data(as_text=True)
    assert "csrf_token" not in page and "X-CSRFToken" not in page
    assert "Set-Cookie" not in first_response.headers
    # The language switch, a cookie and nothing else, works for them without a token.
    response = second.post("/auth/language", data={"language": "bn", "next": "/roles/bpo-job"}, csrf=False)
    assert "lang=bn" in response.headers["Set-Cookie"]
    assert "এক নজরে" in second.get("/roles/bpo-job").get_data(as_text=True)
    assert "At a glance" in first.get("/roles/bpo-job").get_data(as_text=True)


def test_a_members_language_switch_needs_their_token(seeded, user_client):
    form = {"language": "bn", "next": "/roles/bpo-job"}
    assert user_client.post("/auth/language", data=form, csrf=False).status_code == 400
    assert "lang=bn" in user_client.post("/auth/language", data=form).headers["Set-Cookie"]


def test_a_message_waiting_for_an_anonymous_reader_shows_on_a_shared_page(seeded, client):
    client.get("/roles/bpo-job")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Your password was changed.")]
    assert "Your password was changed." in client.get("/roles/bpo-job").get_data(as_text=True)
    assert "Your password was changed." not in client.get("/roles/bpo-job").get_data(as_text=True)


def test_an_imported_change_reaches_readers_at_once(seeded, client, runner, tmp_path):
    page = "/roles/customer-care-officer"
    assert "এনজিও" not in client.get(page).get_data(as_text=True)
    # Only the organisation types change: no column of the role's own row does.
    source = (SEED_ROLES / "customer-care-officer.toml").read_text(encoding="utf-8")
    changed = tmp_path / "customer-care-officer.toml"
    changed.write_text(source.replace('organisation_types = ["', 'organisation_types = ["এনজিও", "', 1), encoding="utf-8")
    assert runner.invoke(args=["catalogue", "import", str(changed)]).exit_code == 0
    assert "এনজিও" in client.get(page).get_data(as_text=True)


def test_a_renamed_role_shows_its_new_title_in_the_thread_heading_at_once(
    seeded, client, user_client, undecided_client, runner, tmp_path
):
    page = "/roles/customer-care-officer"
    for reader in (client, user_client):
        assert "thoughts on “Customer Care Officer”" in reader.get(page).get_data(as_text=True)
    assert "“কাস্টমার কেয়ার অফিসার” নিয়ে" in undecided_client.get(page).get_data(as_text=True)
    source = (SEED_ROLES / "customer-care-officer.toml").read_text(encoding="utf-8")
    source = re.sub(r'(?m)^title = ".*"$', 'title = "গ্রাহক সেবা কর্মকর্তা"', source, count=1)
    changed = tmp_path / "customer-care-officer.toml"
    changed.write_text(re.sub(r'(?m)^title_en = ".*"$', 'title_en = "Customer Service Officer"', source, count=1), encoding="utf-8")
    assert runner.invoke(args=["catalogue", "import", str(changed)]).exit_code == 0
    for reader in (client, user_client):
        assert "thoughts on “Customer Service Officer”" in reader.get(page).get_data(as_text=True)
    assert "“গ্রাহক সেবা কর্মকর্তা” নিয়ে" in undecided_client.get(page).get_data(as_text=True)


def test_robots_txt_lets_search_engines_read_every_page_and_a_private_one_shows_them_the_login(seeded, client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    rules = response.get_data(as_text=True).splitlines()
    assert rules == ["User-agent: *", "Allow: /", "Sitemap: http://127.0.0.1:5000/sitemap.xml"]
    tracker = client.get("/tracker/")
    assert tracker.status_code == 302 and tracker.headers["Location"].startswith("/auth/login")


def test_a_members_page_is_not_a_search_result_under_their_name(seeded, client, user):
    page = client.get(f"/auth/people/{user.id}").get_data(as_text=True)
    assert '<meta name="robots" content="noindex">' in page
    assert "noindex" not in client.get("/roles/customer-care-officer").get_data(as_text=True)
