"""A profile: a name that cannot pass for someone else's, a language kept on the account,
facts kept private unless the member shows them."""
import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import User

from .conftest import PASSWORD, register
from .discussion_support import add_comment, role  # noqa: F401

PROFILE = {
    "display_name": "Asha",
    "preferred_language": "en",
    "birth_year": "",
    "education_level": "",
    "experience_years": "",
    "skills": "",
    "district": "",
}


def _save(client, **changes):
    return client.post("/auth/profile", data={**PROFILE, **changes})


def _account(app, user) -> User:
    with app.app_context():
        account = db.session.get(User, user.id)
        db.session.expunge(account)
        return account


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("Site team", "looks like a moderator's or the site team's"),
        ("SITE  TEAM", "looks like a moderator's or the site team's"),
        ("Ѕitе tеаm", "looks like a moderator's or the site team's"),  # Cyrillic look-alikes
        ("Ｓｉｔｅ ｔｅａｍ", "looks like a moderator's or the site team's"),  # fullwidth, NFKC
        ("Site-team official", "looks like a moderator's or the site team's"),
        ("অ্যাডমিন", "looks like a moderator's or the site team's"),
        ("মডারেটর", "looks like a moderator's or the site team's"),
        ("Moderator Mita", "looks like a moderator's or the site team's"),
        ("Moderat0r Mita", "looks like a moderator's or the site team's"),
        # Issue 24's names, and more of their kind: hidden marks, letters in runs (rn, vv),
        # digits and signs for letters, Bengali spelling variants, Assamese letters.
        ("Moderator\ufe0f", "looks like a moderator's or the site team's"),
        ("Site team\ufe0f", "looks like a moderator's or the site team's"),
        ("মডারেটর\u034f", "looks like a moderator's or the site team's"),
        ("Karirn Mod", "looks like a moderator's or the site team's"),
        ("Site tearn", "looks like a moderator's or the site team's"),
        ("S1te team", "looks like a moderator's or the site team's"),
        ("Slte team", "looks like a moderator's or the site team's"),
        ("adrnin", "looks like a moderator's or the site team's"),
        ("সাইট টীম", "looks like a moderator's or the site team's"),
        ("মডাৰেটৰ", "looks like a moderator's or the site team's"),
        ("Official", "looks like a moderator's or the site team's"),
        ("Adm!n Support", "looks like a moderator's or the site team's"),
        ("Móderátor", "looks like a moderator's or the site team's"),
        ("Staff", "looks like a moderator's or the site team's"),
        ("অফিশিয়াল", "looks like a moderator's or the site team's"),
        ("এডমিন", "looks like a moderator's or the site team's"),
        ("কর্তৃপক্ষ", "looks like a moderator's or the site team's"),
        ("সাপোর্ট টিম", "looks like a moderator's or the site team's"),
        ("মডাঁরেটর", "looks like a moderator's or the site team's"),
        ("Moderator Mlta", "looks like a moderator's or the site team's"),
        ("\u202emaet etiS", "do not show or that turn text around (U+202E)"),
        ("\u200b\u200b\u200b", "do not show or that turn text around (U+200B, U+200B, U+200B)"),
        ("Asha\u2066x", "do not show or that turn text around (U+2066)"),
        ("\u3164", "do not show or that turn text around"),
        ("   ", "Enter the name others will see beside your comments."),
    ],
)
def test_a_name_that_could_pass_for_someone_else_is_refused_and_kept_in_the_form(app, user_client, user, moderator, name, says):
    page = _save(user_client, display_name=name).get_data(as_text=True)
    assert says in page
    assert _account(app, user).display_name == "Asha"


def test_a_moderators_exact_name_or_a_look_alike_cannot_be_registered(client, moderator):
    for name in ("Moderator Mita", "M\u043ederator Mita", "Moderator Mita\u034f", "Moderator M1ta"):
        page = register(client, email="new@example.com", display_name=name, password=PASSWORD).get_data(as_text=True)
        assert "looks like a moderator's or the site team's" in page and 'name="display_name"' in page


def test_bengali_names_with_joiners_and_ordinary_names_are_kept_normalised(app, user_client, user):
    for name in ("র\u200d্যাবেয়া", "Asha Rahman", "নাদিয়া"):
        assert _save(user_client, display_name=f"  {name} ").status_code == 303
        assert _account(app, user).display_name == name
    _save(user_client, display_name="Ａsha")
    assert _account(app, user).display_name == "Asha"


ORDINARY_NAMES = (
    "Rahim Uddin", "Mina", "Tamim Iqbal", "Sumaiya", "Modhu", "Taimur", "Admire", "Sitara", "Md Rahim",
    "Mohd. Karim", "Mita", "Nusrat Jahan", "Mushfiqur Rahim", "Arnob", "Moumita", "Tim", "Stefan", "Adnan",
    "রহিম উদ্দিন", "মো. রহিম", "মোঃ করিম", "সুমাইয়া", "তামিম", "মিনা", "মধু", "তৈমুর", "সাইফুল ইসলাম",
    "শিরিন আক্তার", "দেবাশীষ", "মৌমিতা", "টুম্পা", "মৃদুল", "ঐশী", "নাদিয়া", "মাহমুদুল হাসান",
)


def test_ordinary_names_in_both_scripts_are_kept(app, user_client, user):
    for name in ORDINARY_NAMES:
        assert _save(user_client, display_name=name).status_code == 303, name
        assert _account(app, user).display_name == name


def test_a_moderator_keeps_their_own_name(app, moderator_client, moderator):
    assert _save(moderator_client, display_name=moderator.display_name).status_code == 303


def test_a_moderator_cannot_take_a_look_alike_of_a_members_name(app, moderator_client, moderator, user):
    page = _save(moderator_client, display_name="ASHA\ufe0f").get_data(as_text=True)
    assert "Another member's name looks like that one" in page and 'value="ASHA\ufe0f"' in page
    assert _account(app, moderator).display_name == "Moderator Mita"
    assert _save(moderator_client, display_name="Site team Mita").status_code == 303


def test_a_new_name_shows_at_once_on_every_comment_in_bdi(app, role, user, user_client, add_comment, client):
    add_comment(role, user, "Is the job in Dhaka?")
    slug_page = f"/roles/{role.slug}"
    assert "<bdi>Asha</bdi>" in client.get(slug_page).get_data(as_text=True)
    _save(user_client, display_name="Asha Rahman")
    page = client.get(slug_page).get_data(as_text=True)
    assert "<bdi>Asha Rahman</bdi>" in page and "<bdi>Asha</bdi>" not in page


def test_profile_facts_are_checked_kept_and_private_unless_shown(app, user_client, user, client):
    page = _save(user_client, birth_year="nineteen", experience_years="99", skills="Excel").get_data(as_text=True)
    assert "Type a whole number, such as 3." in page and 'value="nineteen"' in page
    assert "Give a number of years from 0 to 60." in page and 'value="Excel"' in page
    assert _save(user_client, birth_year="২০০১", experience_years="2", education_level="hsc",
                 skills="Excel, typing", district="Rangpur").status_code == 303
    account = _account(app, user)
    assert (account.birth_year, account.experience_years, account.education_level, account.district) == (
        2001, 2, "hsc", "Rangpur")
    user_client.set_cookie("lang", "bn")
    page = user_client.get("/auth/profile").get_data(as_text=True)
    assert 'value="২০০১"' in page and 'value="২"' in page and 'value="2001"' not in page
    user_client.set_cookie("lang", "en")
    assert "Rangpur" not in client.get(f"/auth/people/{user.id}").get_data(as_text=True)
    assert "Rangpur" in user_client.get(f"/auth/people/{user.id}").get_data(as_text=True)
    _save(user_client, district="Rangpur", profile_public="y")
    assert "Rangpur" in client.get(f"/auth/people/{user.id}").get_data(as_text=True)


def test_the_language_is_kept_on_the_account_and_follows_it_to_another_device(app, user_client, user):
    response = _save(user_client, preferred_language="bn")
    assert "lang=bn" in response.headers["Set-Cookie"]
    assert _account(app, user).preferred_language == "bn"
    other_device = app.test_client()
    other_device.login(user.email)
    assert '<html lang="bn">' in other_device.get("/auth/profile").get_data(as_text=True)


def test_switching_to_english_is_confirmed_in_english(app, client, user):
    client.set_cookie("lang", "bn")
    client.login(user.email)
    _save(client, preferred_language="en")
    page = client.get("/auth/profile").get_data(as_text=True)
    assert '<html lang="en">' in page and "Your profile is saved." in page


def test_a_member_whose_account_has_a_language_is_not_offered_another_on_a_new_phone(app, client, user):
    client.login(user.email)
    _save(client, preferred_language="bn")
    new_phone = app.test_client()
    new_phone.delete_cookie("lang")
    new_phone.post("/auth/login", data={"email": user.email, "password": user.password, "remember_me": "y"})
    # Its session ends; the remember-me cookie logs it in again, with no language cookie set.
    new_phone.delete_cookie("session")
    new_phone.delete_cookie("lang")
    page = new_phone.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert 'action="/auth/logout"' in page  # logged in
    assert 'class="language-offer"' not in page


def test_switching_the_language_while_logged_in_keeps_it_on_the_account(app, user_client, user):
    user_client.post("/auth/language", data={"language": "bn"})
    assert _account(app, user).preferred_language == "bn"


def test_profile_needs_a_login_and_the_form_its_token(client, user_client):
    assert client.get("/auth/profile").status_code == 302
    assert user_client.post("/auth/profile", data=PROFILE, csrf=False).status_code == 400


def test_logging_in_says_so_in_the_accounts_language_the_next_page_is_in(app, client, user):
    with app.app_context():
        db.session.get(User, user.id).preferred_language = "bn"
        db.session.commit()
    client.set_cookie("lang", "en")  # chose English on this phone before logging in
    page = client.post("/auth/login", data={"email": user.email, "password": PASSWORD}, follow_redirects=True).get_data(as_text=True)
    assert '<html lang="bn">' in page
    assert "আপনি লগ ইন করেছেন।" in page and "You are logged in." not in page
