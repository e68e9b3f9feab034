"""Your data is yours: a zip of everything an account holds, and deleting the account."""
import csv
import io
import json
import zipfile

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Application, AuditEntry, Comment, Interview, Notification, StatusChange, User
from tracker.moderation.actions import suspend

from .applications_support import interview_id, track
from .conftest import PASSWORD, register
from .discussion_support import add_comment, role  # noqa: F401


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_the_export_is_a_zip_of_json_and_csv_with_everything_of_the_account_and_nothing_else(
    seeded, role, user, other_user, user_client, add_comment
):
    application = track(seeded, user, moves=("applied",), notes="Asked for Friday")
    interview_id(seeded, application)
    track(seeded, other_user, organisation="Robi")
    question = add_comment(role, user, "=Is the job in Dhaka?")
    add_comment(role, other_user, "Yes, in Gulshan.", parent=question)
    response = user_client.get("/auth/account/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == [
        "applications.csv", "applications.json", "comments.csv", "comments.json", "notifications.json", "profile.json",
    ]
    profile = json.loads(archive.read("profile.json"))
    assert profile["email"] == user.email and profile["display_name"] == "Asha"
    [tracked] = json.loads(archive.read("applications.json"))
    assert tracked["organisation"] == "Grameenphone" and tracked["notes"] == "Asked for Friday"
    assert [step["to"] for step in tracked["history"]] == ["saved", "applied"]
    assert len(tracked["interviews"]) == 1
    assert "Robi" not in archive.read("applications.csv").decode()
    [comment] = json.loads(archive.read("comments.json"))
    assert comment["text"] == "=Is the job in Dhaka?"
    rows = list(csv.DictReader(io.StringIO(archive.read("comments.csv").decode("utf-8-sig"))))
    assert rows[0]["text"] == "'=Is the job in Dhaka?"  # never a formula in a spreadsheet
    [notification] = json.loads(archive.read("notifications.json"))
    assert notification["kind"] == "reply"


def test_the_export_and_deletion_need_a_login(client):
    assert client.get("/auth/account/export.zip").status_code == 302
    assert client.get("/auth/account/delete").status_code == 302


def test_deleting_asks_the_password_and_a_tick(app, user, user_client):
    page = user_client.post("/auth/account/delete", data={"password": "not it", "understood": "y"}).get_data(as_text=True)
    assert "That is not your current password." in page and "not it" not in page
    page = user_client.post("/auth/account/delete", data={"password": PASSWORD}).get_data(as_text=True)
    assert "Tick the box to say you understand." in page
    assert user_client.post("/auth/account/delete", data={"password": PASSWORD, "understood": "y"}, csrf=False).status_code == 400
    assert _count(app, User, User.deleted_at.is_not(None)) == 0


def test_deleting_removes_applications_keeps_comments_as_a_deleted_account_and_audit_numbers(
    seeded, role, user, other_user, moderator, user_client, add_comment, client
):
    application = track(seeded, user, moves=("applied",), notes="private notes")
    interview_id(seeded, application)
    kept = track(seeded, other_user, organisation="Robi")
    question = add_comment(role, user, "Is the job in Dhaka?")
    add_comment(role, other_user, "Yes, in Gulshan.", parent=question)
    add_comment(role, user, "Thanks!", parent=question)
    with seeded.app_context():
        suspend(db.session.get(User, user.id), db.session.get(User, moderator.id), 1, "spam")
        db.session.commit()

    response = user_client.post("/auth/account/delete", data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 303
    assert user_client.get("/tracker/").status_code == 302  # logged out
    assert _count(seeded, Application, Application.user_id == user.id) == 0
    assert _count(seeded, StatusChange, StatusChange.application_id == application) == 0
    assert _count(seeded, Interview, Interview.application_id == application) == 0
    assert _count(seeded, Application, Application.id == kept) == 1
    assert _count(seeded, Notification, Notification.user_id == user.id) == 0
    assert _count(seeded, Comment, Comment.author_id == user.id) == 2
    with seeded.app_context():
        account = db.session.get(User, user.id)
        assert account.email != user.email and account.display_name == "" and account.password_hash is None
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "suspend"))
        assert entry.target_user_id == user.id
    page = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert page.count("deleted account") == 2 and "Asha" not in page and "Is the job in Dhaka?" in page
    client.set_cookie("lang", "bn")
    bengali = client.get(f"/roles/{role.slug}").get_data(as_text=True)
    assert bengali.count("মুছে ফেলা অ্যাকাউন্ট") == 2 and "deleted account" not in bengali
    client.set_cookie("lang", "en")
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert client.get(f"/auth/people/{user.id}").status_code == 404
    # The address is free for a new account.
    assert register(client, email=user.email, display_name="Asha", password=PASSWORD).status_code == 303
