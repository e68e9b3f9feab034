"""Finding my applications: words in the title, organisation or notes, Bengali or
English, as a plain GET form and as htmx asks while typing, with the stage filter."""
import unicodedata

from .applications_support import CCO_TITLE, text_of, track


def _tracked(seeded, user):
    return {
        "gp": track(seeded, user, organisation="Grameenphone", notes="HR: মিতা আপা ফোন করবেন"),
        "robi": track(seeded, user, organisation="Robi Axiata", moves=["applied"]),
        "bpo": track(seeded, user, slug="bpo-job", organisation="Genex Infosys", notes="night shift"),
    }


def _titles(html: str) -> list[str]:
    return [card.split("</h3>", 1)[0] for card in html.split('class="app-card"')[1:]]


def test_search_by_organisation_and_notes_in_english_ignoring_case(seeded, user, user_client):
    _tracked(seeded, user)
    page = user_client.get("/tracker/?q=ROBI").get_data(as_text=True)
    assert len(_titles(page)) == 1 and "Robi Axiata" in text_of(page)
    assert 'value="ROBI"' in page
    page = user_client.get("/tracker/?q=night+shift").get_data(as_text=True)
    assert len(_titles(page)) == 1 and "Genex Infosys" in text_of(page)


def test_search_in_bengali_by_title_and_notes(seeded, user, user_client):
    _tracked(seeded, user)
    by_title = user_client.get("/tracker/?q=কাস্টমার").get_data(as_text=True)
    assert len(_titles(by_title)) == 2 and all(CCO_TITLE in title for title in _titles(by_title))
    by_notes = user_client.get("/tracker/?q=মিতা").get_data(as_text=True)
    assert len(_titles(by_notes)) == 1 and "Grameenphone" in text_of(by_notes)
    # Typed decomposed (as some keyboards send it), it still finds the composed text.
    decomposed = unicodedata.normalize("NFD", "কাস্টমার কেয়ার")
    assert len(_titles(user_client.get(f"/tracker/?q={decomposed}").get_data(as_text=True))) == 2


def test_search_with_the_stage_filter(seeded, user, user_client):
    _tracked(seeded, user)
    page = user_client.get("/tracker/?q=কাস্টমার&status=applied").get_data(as_text=True)
    assert len(_titles(page)) == 1 and "Robi Axiata" in text_of(page)


def test_htmx_search_returns_the_list_only(seeded, user, user_client):
    _tracked(seeded, user)
    fragment = user_client.htmx("get", "/tracker/?q=genex&status=").get_data(as_text=True)
    assert "<html" not in fragment and len(_titles(fragment)) == 1 and "Genex Infosys" in fragment


def test_a_search_finding_nothing_says_so(seeded, user, user_client):
    _tracked(seeded, user)
    page = text_of(user_client.get("/tracker/?q=bKash").get_data(as_text=True))
    assert "No applications hold “bKash”." in page


def test_percent_and_underscore_are_searched_as_typed(seeded, user, user_client):
    _tracked(seeded, user)
    assert _titles(user_client.get("/tracker/?q=%25").get_data(as_text=True)) == []
    assert _titles(user_client.get("/tracker/?q=_").get_data(as_text=True)) == []


def test_the_search_form_is_a_plain_get_form_with_htmx_on_top(seeded, user, user_client):
    _tracked(seeded, user)
    page = user_client.get("/tracker/").get_data(as_text=True)
    form = page.split('class="tracker-filter"', 1)[1].split("</form>", 1)[0]
    assert 'method="get"' in form and 'name="q"' in form and 'hx-get="/tracker/"' in form
    assert "input changed" in form


def test_another_users_applications_are_never_found(seeded, user, other_user, other_client):
    _tracked(seeded, user)
    assert _titles(other_client.get("/tracker/?q=Robi").get_data(as_text=True)) == []


def test_searching_costs_the_same_queries_however_many_match(seeded, user, user_client, count_queries):
    track(seeded, user, organisation="Robi 0")
    with count_queries() as few:
        user_client.get("/tracker/?q=robi")
    for number in range(1, 12):
        track(seeded, user, organisation=f"Robi {number}")
    with count_queries() as many:
        page = user_client.get("/tracker/?q=robi").get_data(as_text=True)
    assert len(_titles(page)) == 12
    assert len(few) == len(many)


def test_a_catalogue_role_is_found_by_its_english_name_too(seeded, user, user_client):
    _tracked(seeded, user)
    page = user_client.get("/tracker/?q=customer+care").get_data(as_text=True)
    assert len(_titles(page)) == 2 and all(CCO_TITLE in title for title in _titles(page))
