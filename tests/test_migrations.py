"""What the migrations do to a database that already holds rows, and ids never handed
out twice."""
from datetime import datetime, timezone

import flask_migrate
import sqlalchemy as sa

from tracker.discussion.threads import post_comment
from tracker.extensions import db
from tracker.models import Comment, Role, User

from .conftest import every_row, make_app

FIRST = "846540e4549c"
BEFORE_AUTOINCREMENT = "d4e8f1a2b3c4"
STAMP = datetime(2026, 1, 5, 10, tzinfo=timezone.utc)
# One row or two in every table, written as the schema before AUTOINCREMENT holds them
# (the tables and columns of the first revision).
ROWS = {
    "users": [
        {"id": 1, "email": "asha@example.com", "display_name": "Asha", "is_moderator": False, "created_at": STAMP},
        {"id": 2, "email": "mod@example.com", "display_name": "Mita", "is_moderator": True, "created_at": STAMP},
    ],
    "roles": [
        {"id": 1, "slug": "cashier", "title": "ক্যাশিয়ার", "title_sort_key": "ক্যাশিয়ার", "summary": "",
         "sections": [], "search_text": "ক্যাশিয়ার", "created_at": STAMP, "updated_at": STAMP},
    ],
    "role_facets": [{"id": 1, "role_id": 1, "kind": "level", "value": "এন্ট্রি", "position": 0}],
    "applications": [
        {"id": 1, "user_id": 1, "role_id": 1, "organisation": "Robi", "created_at": STAMP, "last_changed_at": STAMP},
    ],
    "status_changes": [{"id": 1, "application_id": 1, "to_status": "saved", "changed_at": STAMP, "changed_by_id": 1}],
    "interviews": [{"id": 1, "application_id": 1, "scheduled_at": STAMP, "kind": "phone"}],
    "comments": [
        {"id": 1, "role_id": 1, "author_id": 1, "parent_id": None, "root_id": 1, "path": "0000000001", "depth": 0,
         "body_source": "প্রশ্ন", "body_html": "<p>প্রশ্ন</p>", "created_at": STAMP},
        {"id": 2, "role_id": 1, "author_id": 2, "parent_id": 1, "root_id": 1, "path": "0000000001/0000000002",
         "depth": 1, "body_source": "উত্তর", "body_html": "<p>উত্তর</p>", "created_at": STAMP},
    ],
    "notifications": [{"id": 1, "user_id": 1, "comment_id": 2, "kind": "reply", "created_at": STAMP}],
    "reports": [{"id": 1, "comment_id": 2, "reporter_id": 1, "reason": "spam", "created_at": STAMP}],
    "audit_entries": [{"id": 1, "moderator_id": 2, "action": "hide", "comment_id": 2, "created_at": STAMP}],
}


def _sqlite_tables_without_autoincrement(connection) -> list[str]:
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT IN ('alembic_version', 'sqlite_sequence')"
    ).all()
    return sorted(name for name, sql in rows if "AUTOINCREMENT" not in sql)


def test_upgrading_a_sqlite_database_that_holds_rows_keeps_every_row_and_stops_reusing_ids(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'old.sqlite'}")
    with app.app_context():
        flask_migrate.upgrade(revision=BEFORE_AUTOINCREMENT)
        with db.engine.begin() as connection:
            tables = sa.MetaData()
            tables.reflect(connection)
            for name, rows in ROWS.items():
                connection.execute(sa.insert(tables.tables[name]), rows)
            before = every_row(connection)
            assert _sqlite_tables_without_autoincrement(connection) == sorted(ROWS)
        flask_migrate.upgrade(revision="e5f6a7b8c9d0")
        with db.engine.begin() as connection:
            assert every_row(connection) == before
            assert _sqlite_tables_without_autoincrement(connection) == []
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        flask_migrate.downgrade(revision=BEFORE_AUTOINCREMENT)
        with db.engine.begin() as connection:
            assert every_row(connection) == before
            assert _sqlite_tables_without_autoincrement(connection) == sorted(ROWS)
        db.engine.dispose()


def _columns_of(before: dict[str, list], connection) -> dict[str, list[tuple]]:
    """The rows of the tables in `before`, of only the columns it has."""
    tables = sa.MetaData()
    tables.reflect(connection)
    return {
        name: connection.execute(
            sa.select(*(tables.tables[name].c[column] for column in rows[0]._fields)).order_by(*tables.tables[name].primary_key)
        ).all()
        for name, rows in before.items()
    }


def _revision(connection) -> str:
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def test_rows_written_at_the_first_revision_survive_upgrading_to_head_and_a_step_down_and_up(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        flask_migrate.upgrade(revision=FIRST)
        with db.engine.begin() as connection:
            tables = sa.MetaData()
            tables.reflect(connection)
            assert sorted(set(tables.tables) - {"alembic_version"}) == sorted(ROWS)
            for name, rows in ROWS.items():
                connection.execute(sa.insert(tables.tables[name]), rows)
            before = every_row(connection)
        flask_migrate.upgrade()
        with db.engine.begin() as connection:
            head = _revision(connection)
            assert head != FIRST
            assert _columns_of(before, connection) == before
        flask_migrate.downgrade()
        with db.engine.begin() as connection:
            assert _revision(connection) not in (head, FIRST)
        flask_migrate.upgrade()
        with db.engine.begin() as connection:
            assert _revision(connection) == head
            assert _columns_of(before, connection) == before
        db.engine.dispose()


def test_the_models_and_the_migrations_agree_on_sqlite_autoincrement(sqlite_template, tmp_path):
    # AUTOINCREMENT is SQLite's (PostgreSQL's sequences never reuse an id): a SQLite test only.
    migrated = sa.create_engine(f"sqlite:///{sqlite_template}")
    fresh = sa.create_engine(f"sqlite:///{tmp_path / 'from_models.sqlite'}")
    db.metadata.create_all(fresh)
    for engine in (migrated, fresh):
        with engine.connect() as connection:
            assert _sqlite_tables_without_autoincrement(connection) == []
        engine.dispose()


def test_a_deleted_comments_id_is_never_given_to_the_next_one(app, user):
    with app.test_request_context():
        role = Role(slug="cashier", title="ক্যাশিয়ার", title_sort_key="ক্যাশিয়ার")
        db.session.add(role)
        author = db.session.get(User, user.id)
        first = post_comment(role, author, "প্রথম মন্তব্য")
        db.session.commit()
        deleted_id = first.id
        db.session.delete(first)
        db.session.commit()
        second = post_comment(role, author, "দ্বিতীয় মন্তব্য")
        db.session.commit()
        assert second.id > deleted_id
        assert db.session.get(Comment, deleted_id) is None


def test_any_job_migration_titles_applications_after_their_role_and_keeps_their_timelines(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        flask_migrate.upgrade(revision="c4d5e6f7a8b9")
        with db.engine.begin() as connection:
            tables = sa.MetaData()
            tables.reflect(connection)
            for name in ("users", "roles", "applications", "status_changes", "interviews"):
                connection.execute(sa.insert(tables.tables[name]), ROWS[name])
        flask_migrate.upgrade(revision="16a0b1c2d3e4")
        with db.engine.begin() as connection:
            title, attempt, role_id = connection.execute(
                sa.text("SELECT title, attempt, role_id FROM applications WHERE id = 1")
            ).one()
            assert (title, attempt, role_id) == ("ক্যাশিয়ার", 1, 1)
            assert connection.execute(sa.text("SELECT count(*) FROM status_changes")).scalar() == 1
            assert connection.execute(sa.text("SELECT count(*) FROM interviews")).scalar() == 1
            # A job of its own, with no catalogue role, and a second application on purpose.
            connection.execute(sa.text(
                "INSERT INTO applications (id, user_id, role_id, title, organisation, status, attempt, notes,"
                " created_at, last_changed_at) VALUES (2, 1, NULL, 'Sales Executive', 'bKash', 'saved', 1, '', :at, :at),"
                " (3, 1, 1, 'ক্যাশিয়ার', 'Robi', 'saved', 2, '', :at, :at)"
            ), {"at": STAMP})
        flask_migrate.downgrade(revision="c4d5e6f7a8b9")
        with db.engine.begin() as connection:
            assert connection.execute(sa.text("SELECT id FROM applications")).scalars().all() == [1]
            assert connection.execute(sa.text("SELECT count(*) FROM status_changes")).scalar() == 1
        db.engine.dispose()
