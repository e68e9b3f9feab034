"""Issue 27, items 1 and 2: the fit check (a profile against a guide's requirements) and
the pay check (an application's pay against its role's range; offers shared anonymously)."""
import html
import io
import json
import re
import zipfile
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from tracker.applications import fit, pay
from tracker.extensions import db
from tracker.models import Application, Role, RoleFacet, User

from .applications_support import BPO, CCO, application_count, make_roles, track  # noqa: F401 (a fixture)
from .applications_support import text_of as tags_dropped
from .conftest import PASSWORD, get_role_id

THIS_YEAR = 2026


def text_of(page: str) -> str:
    """The visible text of a page, its entities read."""
    return html.unescape(tags_dropped(page))


def _role(**requirements) -> Role:
    """A role held in memory only, asking what `requirements` say (skills: (Bengali, English) pairs)."""
    skills = requirements.pop("skills", ())
    facets = [RoleFacet(kind="core_skill", value=bn, position=i) for i, (bn, _) in enumerate(skills)]
    facets += [RoleFacet(kind="core_skill_english", value=en, position=i) for i, (_, en) in enumerate(skills) if en]
    return Role(slug="r", title="r", facets=facets, **requirements)


CCO_SKILLS = (("যোগাযোগের দক্ষতা", "communication skills"), ("সহযোগিতার সম্পর্ক তৈরি করতে পারা", "relationship building"),
              ("ধৈর্য", "patience"), ("মানসিক চাপ সামলানোর ক্ষমতা", "stress management"))
CCO_LIKE = dict(age_min=22, age_max=30, experience_min_years=1, experience_max_years=2, education_min="bachelors",
                skills=CCO_SKILLS)


def _verdicts(app, profile, role, lang="en"):
    with app.test_request_context(headers={"Cookie": f"lang={lang}"}):
        return [(r.name, r.verdict, r.reason) for r in fit.check_fit(profile, role, THIS_YEAR)]


def test_a_profile_meeting_every_requirement(app):
    profile = fit.Profile(birth_year=2001, education_level="masters", experience_years=2,
                          skills="Communication, patience, relationship building; stress management")
    verdicts = _verdicts(app, profile, _role(**CCO_LIKE))
    assert [(name, verdict) for name, verdict, _ in verdicts] == [
        ("age", "meets"), ("experience", "meets"), ("education", "meets"), ("skills", "meets")]
    assert verdicts[0][2] == "The guide asks 22 – 30 years; you are about 25."
    assert verdicts[1][2] == "The guide asks 1 – 2 years; you have 2."


def test_close_is_a_year_off_or_most_of_the_skills(app):
    profile = fit.Profile(birth_year=1995, education_level="bachelors", experience_years=0,
                          skills="ধৈর্য, যোগাযোগ, relationship building")
    verdicts = dict((name, (verdict, reason)) for name, verdict, reason in _verdicts(app, profile, _role(**CCO_LIKE)))
    assert verdicts["age"][0] == "close" and "you are about 31, a year off" in verdicts["age"][1]
    assert verdicts["experience"] == (
        "close", "The guide asks 1 – 2 years; you have 0, a year short. Many start as trainees: read the career path.")
    # ধৈর্য in Bengali, "relationship building" in English, and "যোগাযোগ" held in "যোগাযোগের দক্ষতা".
    assert verdicts["skills"] == ("close", "The guide names 4 core skills; you list 3 of them. "
                                           "Not in your profile: stress management.")


def test_not_yet_and_unknown(app):
    role = _role(age_min=22, age_max=30, experience_min_years=3, education_min="bachelors", skills=CCO_SKILLS)
    young = fit.Profile(birth_year=2010, education_level="hsc", experience_years=0, skills="typing")
    verdicts = dict((name, (verdict, reason)) for name, verdict, reason in _verdicts(app, young, role))
    assert {name: verdict for name, (verdict, _) in verdicts.items()} == {
        "age": "not_yet", "experience": "not_yet", "education": "not_yet", "skills": "not_yet"}
    assert verdicts["experience"][1] == (
        "The guide asks from 3 years; you have 0. Many start as trainees or interns: read the career path.")
    assert verdicts["education"][1].startswith("The guide asks for Bachelor's degree; you have HSC or equivalent.")
    empty = _verdicts(app, fit.Profile(education_level="other"), role)
    assert {verdict for _, verdict, _ in empty} == {"unknown"}
    assert "your profile does not give your year of birth" in empty[0][2]


def test_the_overall_verdict_and_what_fits(app):
    with app.test_request_context():
        role = _role(**CCO_LIKE)
        fitting = fit.check_fit(fit.Profile(2001, "bachelors", 0, "patience, communication, relationship building"), role, THIS_YEAR)
        assert fit.overall(fitting) == "close" and fit.fits(fitting)
        unknown = fit.check_fit(fit.Profile(2001, "bachelors", 1), role, THIS_YEAR)
        assert fit.overall(unknown) == "unknown" and not fit.fits(unknown)
        assert fit.overall(fit.check_fit(fit.Profile(2001), _role(), THIS_YEAR)) is None
        assert not fit.fits([])


def test_reasons_in_bengali_with_bengali_digits(app):
    profile = fit.Profile(birth_year=2001, education_level="bachelors", experience_years=0, skills="ধৈর্য")
    verdicts = _verdicts(app, profile, _role(**CCO_LIKE), lang="bn")
    joined = " ".join(reason for _, _, reason in verdicts)
    assert "২২ – ৩০" in joined and "২৫" in joined and not any(digit in joined for digit in "0123456789")


def test_pay_is_placed_against_the_role_range():
    assert pay.place_pay(8000, None, 10000, 20000) == pay.BELOW
    assert pay.place_pay(8000, 12000, 10000, 20000) == pay.WITHIN
    assert pay.place_pay(15000, None, 10000, 20000) == pay.WITHIN
    assert pay.place_pay(25000, 30000, 10000, 20000) == pay.ABOVE
    assert pay.place_pay(25000, None, 10000, None) == pay.WITHIN
    assert pay.place_pay(None, None, 10000, 20000) is None
    assert pay.place_pay(15000, None, None, None) is None


def _set_profile(app, user, **facts):
    with app.app_context():
        member = db.session.get(User, user.id)
        for name, value in facts.items():
            setattr(member, name, value)
        db.session.commit()


FITTING_CCO = dict(birth_year=THIS_YEAR - 25, education_level="bachelors", experience_years=1,
                   skills="communication skills, patience, relationship building, stress management")


def test_a_member_sees_their_fit_on_the_role_page_and_a_visitor_what_it_compares(seeded, user, user_client, client):
    _set_profile(seeded, user, **dict(FITTING_CCO, experience_years=0))
    visitor = text_of(client.get(f"/roles/{CCO}").get_data(as_text=True))
    member = text_of(user_client.get(f"/roles/{CCO}").get_data(as_text=True))
    assert "How you fit: Close to it" in member
    assert "Experience: Close to it. The guide asks 1 – 2 years; you have 0, a year short." in member
    assert "Only you see this. It never stops you saving or applying." in member
    assert "Save to my tracker" in member  # never in the way of saving
    assert "Do you fit this role?" in visitor and "Fill in your profile to see how you fit" in visitor
    assert "Education Bachelor's degree" in visitor and "Age 22 – 30 years" in visitor
    assert "How you fit" not in visitor and "you have 0" not in visitor
    # The visitor's page, kept for every visitor, holds nothing of the member who came before.
    again = text_of(client.get(f"/roles/{CCO}").get_data(as_text=True))
    assert again == visitor


def test_the_role_page_in_bengali(seeded, user, user_client):
    _set_profile(seeded, user, **FITTING_CCO)
    user_client.set_cookie("lang", "bn")
    page = text_of(user_client.get(f"/roles/{CCO}").get_data(as_text=True))
    assert "২২ – ৩০" in page and "২৫" in page


def test_the_role_page_runs_a_fixed_number_of_queries_for_a_member(seeded, user, make_user, user_client, count_queries):
    _set_profile(seeded, user, **FITTING_CCO)
    user_client.get(f"/roles/{CCO}")  # clears the login's message
    with count_queries() as few:
        user_client.get(f"/roles/{CCO}")
    for number in range(6):
        member = make_user(email=f"m{number}@example.com", display_name=f"M{number}")
        application = track(seeded, member, moves=["applied", "interviewing", "offer"], pay_min=15000)
        _share(seeded, application)
    with count_queries() as many:
        page = user_client.get(f"/roles/{CCO}").get_data(as_text=True)
    assert "Offers shared by 6 members" in page
    assert len(many) == len(few)


def _share(app, application_id, shared=True):
    with app.app_context():
        pay.share_pay(db.session.get(Application, application_id), shared)
        db.session.commit()


def test_the_tracker_shows_the_fit_of_each_application_linked_to_a_role(seeded, user, user_client, make_roles, count_queries):
    _set_profile(seeded, user, **FITTING_CCO)
    track(seeded, user)
    track(seeded, user, slug=BPO, organisation="Genex")
    page = text_of(user_client.get("/tracker/").get_data(as_text=True))
    assert page.count("Your fit Meets") == 1  # the BPO guide's skills are not in the profile
    assert page.count("Your fit Not yet") == 1
    # A changed profile is shown at once, though no application changed.
    _set_profile(seeded, user, skills="")
    assert text_of(user_client.get("/tracker/").get_data(as_text=True)).count("Your fit Unknown") == 2
    with count_queries() as few:
        user_client.get("/tracker/")
    for number, role_id in enumerate(make_roles(5)):
        with seeded.app_context():
            role = db.session.get(Role, role_id)
            role.age_min, role.facets = 20, [RoleFacet(kind="core_skill", value="ধৈর্য", position=0)]
            db.session.commit()
        track(seeded, user, slug=f"extra-{number}")
    with count_queries() as many:
        user_client.get("/tracker/")
    assert len(many) == len(few)


def test_roles_i_fit_is_a_filter_for_members(seeded, user, user_client, client):
    _set_profile(seeded, user, **FITTING_CCO)
    fitting = text_of(user_client.get("/?fit=1").get_data(as_text=True))
    assert "Roles I fit" in fitting and "1 role" in fitting and "Customer Care Officer" in fitting
    assert "BPO Job" not in fitting
    assert "BPO Job" in text_of(user_client.get("/").get_data(as_text=True))
    htmx = user_client.htmx("GET", "/?fit=1").get_data(as_text=True)
    assert "1 role" in htmx and "BPO Job" not in htmx
    # A visitor is not offered it, and asking for it changes nothing.
    visitor = text_of(client.get("/?fit=1").get_data(as_text=True))
    assert "Roles I fit" not in visitor and "BPO Job" in visitor


def test_the_application_page_places_its_pay_against_the_role(seeded, user, user_client):
    application = track(seeded, user, pay_min=8000)
    page = text_of(user_client.get(f"/tracker/{application}").get_data(as_text=True))
    assert "Pay check: ৳8,000 a month is below the guide's range for this role, ৳10,000 – ৳20,000." in page
    assert "Share this offer's pay" not in page  # not an offer
    user_client.set_cookie("lang", "bn")
    page = text_of(user_client.get(f"/tracker/{application}").get_data(as_text=True))
    assert "৳৮,০০০" in page and "৳১০,০০০ – ৳২০,০০০" in page


def _shared_count(app, role_slug=CCO):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Application.id)).where(
            Application.role_id == get_role_id(app, role_slug), Application.pay_shared_at.is_not(None)))


def test_an_offer_is_shared_with_a_tick_and_taken_back(seeded, user, user_client, other_client):
    application = track(seeded, user, moves=["applied", "interviewing", "offer"], pay_min=18000)
    page = user_client.get(f"/tracker/{application}").get_data(as_text=True)
    assert "Share this offer's pay, anonymously" in text_of(page) and 'name="share"' in page and "checked" not in page
    response = user_client.post(f"/tracker/{application}/share", data={"share": "y"})
    assert response.status_code == 303 and _shared_count(seeded) == 1
    assert "Your offer's pay is shared, anonymously." in text_of(user_client.get(response.headers["Location"]).get_data(as_text=True))
    assert other_client.post(f"/tracker/{application}/share", data={"share": ""}).status_code == 404
    assert _shared_count(seeded) == 1
    user_client.post(f"/tracker/{application}/share", data={})
    assert _shared_count(seeded) == 0
    assert user_client.post(f"/tracker/{application}/share", data={"share": "y"}, csrf=False).status_code == 400
    assert _shared_count(seeded) == 0


def test_only_an_offer_with_a_pay_can_be_shared(seeded, user, user_client):
    application = track(seeded, user, moves=["applied"], pay_min=18000)
    page = text_of(user_client.post(f"/tracker/{application}/share", data={"share": "y"}).get_data(as_text=True))
    assert "Only an offer's pay, given in the details, for a catalogue role can be shared." in page
    assert _shared_count(seeded) == 0


def _members_sharing(app, make_user, amounts):
    for number, amount in enumerate(amounts):
        member = make_user(email=f"sharer{number}@example.com", display_name=f"Sharer {number}")
        _share(app, track(app, member, moves=["applied", "interviewing", "offer"], **amount))


def test_shared_offers_show_from_five_members(seeded, user, user_client, make_user):
    _members_sharing(seeded, make_user, [dict(pay_min=12000), dict(pay_min=14000), dict(pay_min=16000, pay_max=20000),
                                          dict(pay_min=22000)])
    # One member's two offers count once (the last shared).
    again = track(seeded, Member(get_user_id(seeded, "sharer0@example.com")), organisation="Robi",
                  moves=["applied", "interviewing", "offer"], pay_min=13000)
    _share(seeded, again)
    with seeded.test_request_context():
        assert pay.shared_offers(get_role_id(seeded, CCO)) is None
    page = text_of(user_client.get(f"/roles/{CCO}").get_data(as_text=True))
    assert "The pay of offers for this role shows here once five members have shared theirs, anonymously." in page
    assert "Offers shared by" not in page
    fifth = make_user(email="fifth@example.com", display_name="Fifth")
    _share(seeded, track(seeded, fifth, moves=["applied", "interviewing", "offer"], pay_min=11000))
    with seeded.test_request_context():
        assert pay.shared_offers(get_role_id(seeded, CCO)) == pay.SharedOffers(5, 14000, 11000, 22000)
    page = text_of(user_client.get(f"/roles/{CCO}").get_data(as_text=True))
    assert "Offers shared by 5 members: median ৳14,000 a month, from ৳11,000 to ৳22,000." in page
    assert "Sharer" not in page and "Fifth" not in page
    user_client.set_cookie("lang", "bn")
    page = text_of(user_client.get(f"/roles/{CCO}").get_data(as_text=True))
    assert "৳১৪,০০০" in page and "৳১১,০০০" in page


@dataclass(frozen=True)
class Member:
    id: int


def get_user_id(app, email):
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.email == email))


def test_export_holds_the_share_and_deleting_the_account_takes_it_back(seeded, user, user_client, make_user):
    _members_sharing(seeded, make_user, [dict(pay_min=12000 + 1000 * n) for n in range(4)])
    application = track(seeded, user, moves=["applied", "interviewing", "offer"], pay_min=18000)
    user_client.post(f"/tracker/{application}/share", data={"share": "y"})
    with seeded.test_request_context():
        assert pay.shared_offers(get_role_id(seeded, CCO)).count == 5
    archive = zipfile.ZipFile(io.BytesIO(user_client.get("/auth/account/export.zip").data))
    exported = json.loads(archive.read("applications.json"))
    assert exported[0]["pay_shared_at"] is not None
    user_client.post("/auth/account/delete", data={"password": PASSWORD, "understood": "y"})
    assert application_count(seeded, user) == 0
    with seeded.test_request_context():
        assert pay.shared_offers(get_role_id(seeded, CCO)) is None


def test_a_role_file_gives_the_education_and_english_skill_names(tmp_path):
    from tracker.catalogue.importer import RoleFileError, read_role_file

    good = tmp_path / "good.toml"
    good.write_text('slug = "a"\ntitle = "A"\neducation = "hsc"\ncore_skills = ["ধৈর্য"]\ncore_skills_english = ["patience"]\n',
                    encoding="utf-8")
    assert read_role_file(good)["education"] == "hsc"
    for text, said in (
        ('education = "phd"\n', "field 'education' must be one of: ssc, hsc, diploma, bachelors, masters"),
        ('core_skills = ["ধৈর্য", "যোগাযোগ"]\ncore_skills_english = ["patience"]\n',
         "field 'core_skills_english' must name each of 'core_skills', in the same order"),
    ):
        bad = tmp_path / "bad.toml"
        bad.write_text('slug = "a"\ntitle = "A"\n' + text, encoding="utf-8")
        with pytest.raises(RoleFileError, match=re.escape(said)):
            read_role_file(bad)


def test_the_seeded_guide_gives_what_the_fit_check_compares(seeded):
    with seeded.test_request_context():
        role = db.session.get(Role, get_role_id(seeded, CCO))
        assert role.education_min == "bachelors"
        assert fit.core_skills(role)[2] == fit.Skill("ধৈর্য", "patience")
        assert fit.stated(role, fit.core_skills(role)) == ["age", "experience", "education", "skills"]


def test_roles_i_fit_runs_a_fixed_number_of_queries(seeded, user, user_client, make_roles, count_queries):
    _set_profile(seeded, user, **FITTING_CCO)
    user_client.get("/")  # clears the login's message
    with count_queries() as few:
        assert "1 role" in user_client.get("/?fit=1").get_data(as_text=True)
    for role_id in make_roles(8):
        with seeded.app_context():
            role = db.session.get(Role, role_id)
            role.age_min, role.facets = 20, [RoleFacet(kind="core_skill", value="ধৈর্য", position=0),
                                             RoleFacet(kind="core_skill_english", value="patience", position=0)]
            db.session.commit()
    with count_queries() as many:
        assert "9 roles" in user_client.get("/?fit=1").get_data(as_text=True)
    assert len(many) == len(few)
