"""The tracker overview, kept for each session until its owner changes an application:
every write shows at once, only to its owner, and each session's forms carry its own token."""
import re
from datetime import timedelta

from tracker.applications import tracking
from tracker.extensions import db
from tracker.models import Application, User, utcnow

from .applications_support import stored, text_of, track
from .conftest import CSRFClient
from .test_applications_tracker import dhaka_today

QUIET_TOKEN = re.compile(r'class="quiet-form">\s*<input type="hidden" name="csrf_token" value="([^"]+)"')


def _tracker(client) -> str:
    return text_of(client.get("/tracker/").get_data(as_text=True))


def _version(app, user_id) -> int:
    with app.app_context():
        return db.session.get(User, user_id).tracker_version


def test_every_kind_of_write_shows_at_once(seeded, user, user_client):
    application = track(seeded, user, organisation="Grameenphone")
    assert "Saved (1)" in _tracker(user_client)

    user_client.post(f"/tracker/{application}/status", data={"status": "applied", "note": ""})
    page = _tracker(user_client)
    assert "Applied (1)" in page and "Saved (0)" in page

    day = dhaka_today() + timedelta(days=3)
    user_client.post(
        f"/tracker/{application}/interviews",
        data={"day": day.isoformat(), "at": "10:30", "kind": "in_person", "notes": ""},
    )
    assert "Interview (In person)" in _tracker(user_client).split("My funnel")[0]

    user_client.post(f"/tracker/{application}/delete")
    assert stored(seeded, application) is None
    assert "Your tracker is empty" in _tracker(user_client)


def test_a_drawn_tracker_is_shown_to_its_owner_only(seeded, user, other_user, user_client, other_client):
    track(seeded, user, organisation="Asha Private Ltd")
    assert "Asha Private Ltd" in _tracker(user_client)
    page = _tracker(other_client)
    assert "Asha Private Ltd" not in page and "Your tracker is empty" in page


def test_writes_move_only_their_owners_version(seeded, user, other_user):
    mine, theirs = _version(seeded, user.id), _version(seeded, other_user.id)
    application_id = track(seeded, user)
    assert _version(seeded, user.id) > mine
    with seeded.test_request_context(), db.session.no_autoflush:
        application = db.session.get(Application, application_id)
        before = _version(seeded, user.id)
        tracking.add_interview(application, utcnow() + timedelta(days=2), "phone", "")
        db.session.commit()
    assert _version(seeded, user.id) > before
    assert _version(seeded, other_user.id) == theirs


def test_each_session_gets_its_own_working_token(seeded, app, user):
    quiet = track(seeded, user, organisation="Quiet Ltd", moves=["applied"], last_changed_at=utcnow() - timedelta(days=30))
    also_quiet = track(seeded, user, organisation="Still Ltd", moves=["applied"], last_changed_at=utcnow() - timedelta(days=30))
    phone, laptop = CSRFClient(app), CSRFClient(app)
    phone.login(user.email)
    laptop.login(user.email)
    tokens = [QUIET_TOKEN.findall(client.get("/tracker/").get_data(as_text=True)) for client in (phone, laptop)]
    assert len(tokens[0]) == 2 and tokens[0][0] != tokens[1][0]
    for client, token, application in ((phone, tokens[0][0], quiet), (laptop, tokens[1][0], also_quiet)):
        response = client.post(
            f"/tracker/{application}/status", csrf=False,
            data={"csrf_token": token, "status": "no_response", "note": "No answer"},
        )
        assert response.status_code == 303
        assert stored(seeded, application).status == "no_response"


def test_a_tracker_drawn_before_runs_two_queries(seeded, user, user_client, count_queries):
    _tracker(user_client)  # shows, and so clears, the "logged in" message
    for number in range(5):
        track(seeded, user, organisation=f"Company {number}", moves=["applied"])
    with count_queries() as statements:
        first = _tracker(user_client)
        cold = len(statements)
        statements.clear()
        assert _tracker(user_client) == first
    # The user (for the login) and their unread notifications: nothing about applications.
    assert len(statements) == 2 < cold


def test_the_new_writes_of_any_job_show_at_once(seeded, user, user_client):
    """Adding a job, editing it, reopening it, changing an interview and importing: each
    moves the kept overview on."""
    import io

    from .test_applications_jobs import job

    assert "Your tracker is empty" in _tracker(user_client)
    location = user_client.post("/tracker/add", data=job(deadline=(dhaka_today() + timedelta(days=2)).isoformat()))
    application = int(location.headers["Location"].rsplit("/", 1)[1])
    page = _tracker(user_client)
    assert "Closing soon" in page and "Call centre agent (night shift)" in page

    user_client.post(f"/tracker/{application}/details", data=job(title="Night agent", deadline=""))
    page = _tracker(user_client)
    assert "Night agent" in page and "Closing soon" not in page

    user_client.post(f"/tracker/{application}/status", data={"status": "rejected", "final": "y"})
    assert "Rejected (1)" in _tracker(user_client)
    user_client.post(f"/tracker/{application}/reopen", data={"reopen-status": "applied", "reopen-note": "called back"})
    assert "Applied (1)" in _tracker(user_client)

    day = dhaka_today() + timedelta(days=3)
    user_client.post(f"/tracker/{application}/interviews", data={"day": day.isoformat(), "at": "10:30", "kind": "phone"})
    assert "Interview (Phone)" in _tracker(user_client)
    with seeded.app_context():
        interview = db.session.get(Application, application).interviews[0].id
    prefix = f"edit-{interview}-"
    user_client.post(
        f"/tracker/{application}/interviews/{interview}/edit",
        data={prefix + "day": day.isoformat(), prefix + "at": "10:30", prefix + "kind": "video"},
    )
    assert "Interview (Video)" in _tracker(user_client)

    upload = {"file": (io.BytesIO(b"title,organisation\nImported job,Acme\n"), "jobs.csv")}
    user_client.post("/tracker/import", data=upload, content_type="multipart/form-data")
    assert "Imported job" in _tracker(user_client)
