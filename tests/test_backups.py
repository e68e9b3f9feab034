"""`flask backup` and `flask restore`: every row of every table comes back as it was."""
import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Application, Comment, CommentDraft, ImportJob, PreparedSkill, User
from tracker.moderation.actions import hide

from .applications_support import BPO, interview_id, track
from .conftest import every_row
from .discussion_support import add_comment, role  # noqa: F401
from .moderation_support import add_report


@pytest.fixture
def filled(seeded, role, user, other_user, moderator, user_client, add_comment):
    """A row or more in every table: the seeded catalogue and threads, Asha logged in with
    an application that has an interview and a skill ticked for it, a reply that notified
    her, reported and hidden, a reply typed after a logout, a mail she asked for and a file
    waiting to be imported."""
    application_id = track(seeded, user, moves=("applied",))
    interview_id(seeded, application_id)
    question = add_comment(role, user, "Is the job in Dhaka?")
    reply = add_comment(role, other_user, "Yes, in Gulshan.", parent=question)
    add_report(seeded, reply, user)
    with seeded.app_context():
        hide(db.session.get(Comment, reply), db.session.get(User, moderator.id), "off topic")
        db.session.add(ImportJob(user_id=user.id, language="bn", text="title\nক্যাশিয়ার\n", rows=1))  # a file waiting its job
        db.session.add(PreparedSkill(application_id=application_id, skill="যোগাযোগ"))
        db.session.add(CommentDraft(token_digest="0" * 64, role_id=role.id, parent_id=question, body="ধন্যবাদ"))
        db.session.commit()
    user_client.post("/auth/password/forgot", data={"email": user.email})  # a mail in the outbox
    return seeded


def _rows(app) -> dict[str, list[tuple]]:
    with app.app_context(), db.engine.connect() as connection:
        return every_row(connection)


def test_a_restore_brings_back_every_row_of_every_table_as_it_was_backed_up(filled, runner, user, tmp_path):
    before = _rows(filled)
    assert [name for name, rows in before.items() if not rows] == []
    backup = tmp_path / "tracker.backup"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0 and f"to {backup}" in result.output, result.output

    track(filled, user, slug=BPO, organisation="Robi")
    with filled.app_context():
        db.session.execute(sa.update(User).values(display_name="Changed"))
        db.session.execute(sa.delete(Comment).where(Comment.parent_id.is_not(None)))
        db.session.commit()
    assert _rows(filled) != before

    result = runner.invoke(args=["restore", str(backup), "--yes"])
    assert result.exit_code == 0 and f"from {backup}" in result.output, result.output
    assert _rows(filled) == before
    # Ids go on from where the backup left them, not from where the deleted rows did.
    new_id = track(filled, user, slug=BPO, organisation="Banglalink")
    assert new_id == max(row.id for row in before["applications"]) + 1
    with filled.app_context():
        assert db.session.get(Application, new_id).organisation == "Banglalink"


def test_a_restore_without_yes_changes_nothing(app, runner, make_user, tmp_path):
    backup = tmp_path / "empty.backup"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    make_user()
    before = _rows(app)
    result = runner.invoke(args=["restore", str(backup)])
    assert result.exit_code != 0 and "Run it again with --yes" in result.output
    assert _rows(app) == before and before["users"]


def test_bad_backup_files_are_refused_with_a_clear_message(app, database_url, runner, user, tmp_path):
    if database_url.startswith("sqlite"):
        other_header, other_kind = "PGDMP", "PostgreSQL"
    else:
        other_header, other_kind = "SQLite format 3\x00", "SQLite"
    cases = {
        "notes.txt": ("not a backup", "is not a"),
        "other.backup": (other_header + " and the rest", f"(it is a {other_kind} one)"),
    }
    before = _rows(app)
    for name, (content, message) in cases.items():
        (tmp_path / name).write_text(content)
        result = runner.invoke(args=["restore", str(tmp_path / name), "--yes"])
        assert result.exit_code != 0 and message in result.output and name in result.output, result.output
        assert "The database was not changed." in result.output
    assert _rows(app) == before

    missing = runner.invoke(args=["restore", str(tmp_path / "missing.backup"), "--yes"])
    assert missing.exit_code != 0 and "does not exist" in missing.output
    existing = runner.invoke(args=["backup", str(tmp_path / "notes.txt")])
    assert existing.exit_code != 0 and "exists already" in existing.output
    assert (tmp_path / "notes.txt").read_text() == "not a backup"
    unwritable = runner.invoke(args=["backup", str(tmp_path / "no-such-folder" / "tracker.backup")])
    assert unwritable.exit_code != 0 and "no-such-folder" in unwritable.output
