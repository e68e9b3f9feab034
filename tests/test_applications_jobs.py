"""Tracking any job, not only catalogue roles: the form, its checks, and the roles
suggested as the title is typed."""
from datetime import datetime, time, timedelta

import pytz
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Application

from .applications_support import CCO, CCO_TITLE, application_count, text_of
from .applications_support import stored as stored_application
from .conftest import get_role_id
from .test_applications_tracker import dhaka_today

DEADLINE = dhaka_today() + timedelta(days=20)
DHAKA = pytz.timezone("Asia/Dhaka")


def job(**changes) -> dict:
    """A job as the form posts it: a Facebook post for a call-centre shift."""
    return {
        "title": "Call centre agent (night shift)", "organisation": "Genex", "role_id": "",
        "link": "https://facebook.com/genex/posts/1", "district": "Dhaka", "source": "facebook",
        "pay_min": "12000", "pay_max": "15000", "deadline": DEADLINE.isoformat(),
    } | changes


def saved(app, user) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Application).where(Application.user_id == user.id).order_by(Application.id))
        return [
            {name: getattr(row, name) for name in (
                "title", "organisation", "role_id", "link", "district", "source", "pay_min", "pay_max", "deadline",
                "attempt", "status")}
            for row in rows
        ]


def test_a_job_not_in_the_catalogue_is_tracked_with_everything_typed(seeded, user, user_client):
    response = user_client.post("/tracker/add", data=job())
    assert response.status_code == 303
    [stored] = saved(seeded, user)
    assert stored == {
        "title": "Call centre agent (night shift)", "organisation": "Genex", "role_id": None,
        "link": "https://facebook.com/genex/posts/1", "district": "Dhaka", "source": "facebook",
        "pay_min": 12000, "pay_max": 15000, "deadline": DEADLINE, "attempt": 1, "status": "saved",
    }
    page = text_of(user_client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Call centre agent (night shift) · Genex" in page
    assert "Read the role guide" not in page
    listed = text_of(user_client.get("/tracker/").get_data(as_text=True))
    assert "Call centre agent (night shift)" in listed


def test_a_job_can_be_linked_to_a_catalogue_role(seeded, user, user_client):
    role_id = get_role_id(seeded, CCO)
    user_client.post("/tracker/add", data=job(title="Sales Executive", organisation="bKash", role_id=role_id))
    [stored] = saved(seeded, user)
    assert (stored["title"], stored["role_id"]) == ("Sales Executive", role_id)
    page = user_client.get("/tracker/").get_data(as_text=True)
    assert "Sales Executive" in page


def test_bengali_digits_in_pay_and_deadline_are_understood(seeded, user, user_client):
    bengali_day = DEADLINE.isoformat().translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯"))
    user_client.post("/tracker/add", data=job(pay_min="১২,০০০", pay_max="৳ ১৫০০০", deadline=bengali_day))
    [stored] = saved(seeded, user)
    assert (stored["pay_min"], stored["pay_max"], stored["deadline"]) == (12000, 15000, DEADLINE)
    # Shown again as typed: in Bengali digits on a Bengali page, not 12000.
    user_client.set_cookie("lang", "bn")
    with seeded.app_context():
        application = db.session.scalar(sa.select(Application.id).where(Application.user_id == user.id))
    html = user_client.get(f"/tracker/{application}").get_data(as_text=True)
    assert 'value="১২০০০"' in html and 'value="১৫০০০"' in html and 'value="12000"' not in html


def test_a_link_without_https_gets_it(seeded, user, user_client):
    user_client.post("/tracker/add", data=job(link="bdjobs.com/jobs/123"))
    assert saved(seeded, user)[0]["link"] == "https://bdjobs.com/jobs/123"


def test_bad_input_is_named_next_to_its_field_and_kept(seeded, user, user_client):
    long_past = (dhaka_today() - timedelta(days=400)).isoformat()
    response = user_client.post(
        "/tracker/add",
        data=job(title="", link="not a link", pay_min="20000", pay_max="15000", deadline=long_past, district="Sylhet"),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(html)
    assert "Enter the job title, for example “Sales Executive”." in page
    assert "Enter the posting's web address, for example https://bdjobs.com/..." in page
    assert "The most cannot be below the least (20,000)." in page
    assert "This deadline passed more than 90 days ago: check the year, or leave it empty." in page
    assert 'id="pay_max-error"' in html and 'id="link-error"' in html and 'id="deadline-error"' in html
    assert 'value="not a link"' in html
    assert 'value="Sylhet"' in html and 'value="20000"' in html
    assert application_count(seeded, user) == 0


def test_pay_that_is_not_a_number_is_refused_and_kept(seeded, user, user_client):
    html = user_client.post("/tracker/add", data=job(pay_min="about 12k")).get_data(as_text=True)
    assert "Enter the pay as taka a month in digits, for example 15000 or ১৫০০০." in text_of(html)
    assert 'value="about 12k"' in html
    assert application_count(seeded, user) == 0


def test_the_add_page_suggests_roles_matching_the_title(seeded, user_client):
    page = user_client.get("/tracker/add").get_data(as_text=True)
    assert 'name="title"' in page and 'hx-get="/tracker/add"' in page and 'name="role_id"' in page
    assert CCO_TITLE in page  # every role, for a browser without JavaScript
    fragment = user_client.htmx("get", "/tracker/add?title=customer+care").get_data(as_text=True)
    assert "<html" not in fragment and 'id="role-field"' in fragment
    assert "Matching “customer care”" in fragment and CCO_TITLE in fragment
    assert "1 catalogue role matches the title" in text_of(fragment)
    nothing = user_client.htmx("get", "/tracker/add?title=zzzz").get_data(as_text=True)
    assert "Matching" not in nothing and CCO_TITLE in nothing


def test_the_suggestions_without_javascript_come_with_the_whole_page(seeded, user_client):
    page = user_client.get("/tracker/add?title=customer+care").get_data(as_text=True)
    assert "<html" in page and "Matching “customer care”" in page and 'value="customer care"' in page


def test_an_unknown_role_is_refused(seeded, user, user_client):
    page = text_of(user_client.post("/tracker/add", data=job(role_id="99999")).get_data(as_text=True))
    assert "Choose a role from the list, or none." in page
    assert application_count(seeded, user) == 0


def test_adding_without_csrf_is_refused(seeded, user, user_client):
    assert user_client.post("/tracker/add", data=job(), csrf=False).status_code == 400
    assert application_count(seeded, user) == 0


def test_the_same_job_twice_warns_and_keeps_one(seeded, user, user_client):
    user_client.post("/tracker/add", data=job())
    again = user_client.post("/tracker/add", data=job(title="call centre agent  (night shift)", organisation="genex"))
    assert again.status_code == 200
    assert "You already track “Call centre agent (night shift)” at “Genex”. Nothing new was saved." in text_of(
        again.get_data(as_text=True)
    )
    assert application_count(seeded, user) == 1


def _tracked(seeded, user_client) -> int:
    response = user_client.post("/tracker/add", data=job())
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_everything_about_the_job_can_be_edited_afterwards(seeded, user, user_client):
    application = _tracked(seeded, user_client)
    role_id = get_role_id(seeded, CCO)
    later = DEADLINE + timedelta(days=5)
    response = user_client.post(f"/tracker/{application}/details", data=job(
        title="Customer care officer", organisation="Robi", role_id=role_id, link="https://bdjobs.com/j/9",
        district="Chattogram", source="bdjobs", pay_min="18000", pay_max="", deadline=later.isoformat(),
        notes="বেতন আলোচনা সাপেক্ষে",
    ))
    assert response.status_code == 303
    [stored] = saved(seeded, user)
    assert stored | {"status": None, "attempt": None} == {
        "title": "Customer care officer", "organisation": "Robi", "role_id": role_id,
        "link": "https://bdjobs.com/j/9", "district": "Chattogram", "source": "bdjobs",
        "pay_min": 18000, "pay_max": None, "deadline": later, "attempt": None, "status": None,
    }
    page = text_of(user_client.get(f"/tracker/{application}").get_data(as_text=True))
    assert "Customer care officer · Robi" in page and "Read the role guide" in page
    assert "৳18,000 a month" in page and "Chattogram" in page and "bdjobs" in page


def test_unlinking_the_role_keeps_the_job(seeded, user, user_client):
    role_id = get_role_id(seeded, CCO)
    application = int(user_client.post("/tracker/add", data=job(role_id=role_id)).headers["Location"].rsplit("/", 1)[1])
    user_client.post(f"/tracker/{application}/details", data=job(role_id=""))
    assert saved(seeded, user)[0]["role_id"] is None


def test_editing_with_bad_pay_keeps_what_was_typed_and_saves_nothing(seeded, user, user_client):
    application = _tracked(seeded, user_client)
    html = user_client.post(
        f"/tracker/{application}/details", data=job(pay_min="৳২০,০০০", pay_max="১০০০০", link="bdjobs")
    ).get_data(as_text=True)
    assert "The most cannot be below the least (20,000)." in text_of(html)
    assert "Enter the posting's web address" in text_of(html)
    assert 'value="৳২০,০০০"' in html and 'value="১০০০০"' in html and 'value="bdjobs"' in html
    assert saved(seeded, user)[0]["pay_min"] == 12000


def test_an_interview_can_be_edited_afterwards(seeded, user, user_client):
    application = _tracked(seeded, user_client)
    day = dhaka_today() + timedelta(days=3)
    user_client.post(f"/tracker/{application}/interviews", data={"day": day.isoformat(), "at": "10:00", "kind": "phone"})
    page = user_client.get(f"/tracker/{application}").get_data(as_text=True)
    assert "Edit this interview" in page
    interview = interview_id_of(seeded, application)
    prefix = f"edit-{interview}-"
    bengali_day = (day + timedelta(days=1)).isoformat().translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯"))
    response = user_client.post(
        f"/tracker/{application}/interviews/{interview}/edit",
        data={prefix + "day": bengali_day, prefix + "at": "১৫:৩০", prefix + "kind": "in_person",
              prefix + "notes": "বনানী অফিস, ৩য় তলা", prefix + "outcome": "Passed the first round"},
    )
    assert response.status_code == 303
    [(scheduled_at, kind, outcome, notes)] = stored_application(seeded, application).interviews
    assert (kind, outcome, notes) == ("in_person", "Passed the first round", "বনানী অফিস, ৩য় তলা")
    assert scheduled_at.astimezone(DHAKA).replace(tzinfo=None) == datetime.combine(day + timedelta(days=1), time(15, 30))
    page = text_of(user_client.get(f"/tracker/{application}").get_data(as_text=True))
    assert "Outcome: Passed the first round" in page and "In person" in page


def test_a_bad_interview_edit_opens_its_form_with_the_message(seeded, user, user_client):
    application = _tracked(seeded, user_client)
    day = dhaka_today() + timedelta(days=3)
    user_client.post(f"/tracker/{application}/interviews", data={"day": day.isoformat(), "at": "10:00", "kind": "phone"})
    interview = interview_id_of(seeded, application)
    prefix = f"edit-{interview}-"
    html = user_client.post(
        f"/tracker/{application}/interviews/{interview}/edit",
        data={prefix + "day": "tomorrow", prefix + "at": "10:00", prefix + "kind": "phone", prefix + "notes": "kept"},
    ).get_data(as_text=True)
    assert '<details class="edit-interview" open>' in html
    assert f'id="{prefix}day-error"' in html and 'value="tomorrow"' in html and "kept</textarea>" in html


def interview_id_of(app, application_id) -> int:
    with app.app_context():
        return db.session.get(Application, application_id).interviews[0].id


def test_the_duplicate_warning_offers_a_second_application_kept_apart(seeded, user, user_client):
    first = _tracked(seeded, user_client)
    user_client.post(f"/tracker/{first}/status", data={"status": "rejected", "final": "y"})
    warned = user_client.post("/tracker/add", data=job()).get_data(as_text=True)
    assert "Track a second application" in warned and 'name="again" value="y"' in warned
    response = user_client.post("/tracker/add", data=job(again="y"))
    assert response.status_code == 303
    second = int(response.headers["Location"].rsplit("/", 1)[1])
    assert second != first
    assert [(row["attempt"], row["status"]) for row in saved(seeded, user)] == [(1, "rejected"), (2, "saved")]
    assert [c[1] for c in stored_application(seeded, first).changes] == ["saved", "rejected"]
    assert [c[1] for c in stored_application(seeded, second).changes] == ["saved"]
    assert "application 2" in text_of(user_client.get(f"/tracker/{second}").get_data(as_text=True))
    # A third, on purpose too; a plain resend of the form still makes none.
    user_client.post("/tracker/add", data=job(again="y"))
    user_client.post("/tracker/add", data=job())
    assert [row["attempt"] for row in saved(seeded, user)] == [1, 2, 3]


def test_a_catalogue_role_can_be_applied_to_again_on_purpose(seeded, user, user_client):
    role_id = get_role_id(seeded, CCO)
    user_client.post("/tracker/new", data={"role_id": role_id, "organisation": "Robi"})
    warned = user_client.post("/tracker/new", data={"role_id": role_id, "organisation": "robi"}).get_data(as_text=True)
    assert "Nothing new was saved." in text_of(warned) and 'name="again" value="y"' in warned
    response = user_client.post("/tracker/new", data={"role_id": role_id, "organisation": "Robi", "again": "y"})
    assert response.status_code == 303
    assert [(row["role_id"], row["organisation"], row["attempt"]) for row in saved(seeded, user)] == [
        (role_id, "Robi", 1), (role_id, "Robi", 2)
    ]
    # The one-click save button on the role page still never duplicates.
    user_client.post("/tracker/new", data={"role_id": role_id, "organisation": "Robi"})
    assert application_count(seeded, user) == 2


def test_editing_a_second_application_is_not_refused_as_a_twin(seeded, user, user_client):
    _tracked(seeded, user_client)
    second = int(user_client.post("/tracker/add", data=job(again="y")).headers["Location"].rsplit("/", 1)[1])
    response = user_client.post(f"/tracker/{second}/details", data=job(notes="second try"))
    assert response.status_code == 303


def test_an_old_deadline_kept_as_it_was_does_not_block_editing(seeded, user, user_client):
    application = _tracked(seeded, user_client)
    long_ago = dhaka_today() - timedelta(days=200)
    with seeded.app_context():
        db.session.get(Application, application).deadline = long_ago
        db.session.commit()
    kept = user_client.post(f"/tracker/{application}/details", data=job(deadline=long_ago.isoformat(), notes="later"))
    assert kept.status_code == 303
    moved = user_client.post(
        f"/tracker/{application}/details", data=job(deadline=(long_ago - timedelta(days=1)).isoformat())
    )
    assert "This deadline passed more than 90 days ago" in text_of(moved.get_data(as_text=True))


def test_the_new_pages_read_in_bengali(seeded, user, user_client):
    application = _tracked(seeded, user_client)
    user_client.post(f"/tracker/{application}/status", data={"status": "rejected", "final": "y"})
    user_client.set_cookie("lang", "bn")
    page = text_of(user_client.get(f"/tracker/{application}").get_data(as_text=True))
    assert "আবেদনটি আবার খুলুন" in page and "মাসে ৳১২,০০০ – ৳১৫,০০০" in page and "ফেসবুক" in page
    add = user_client.get("/tracker/add?title=customer+care").get_data(as_text=True)
    assert "একটি চাকরি ট্র্যাক করুন" in text_of(add) and "১টি পেশা মেলে" in text_of(add)
    assert "চাকরি খোঁজার প্রমাণ" in text_of(user_client.get("/tracker/proof").get_data(as_text=True))
    assert "আবেদন আমদানি করুন" in text_of(user_client.get("/tracker/import").get_data(as_text=True))
    bengali_pay = user_client.post("/tracker/add", data=job(title="অফিস সহকারী", pay_min="২০০০০", pay_max="১৫০০০"))
    assert "সর্বোচ্চ বেতন সর্বনিম্নের (২০,০০০) চেয়ে কম হতে পারে না।" in text_of(bengali_pay.get_data(as_text=True))
