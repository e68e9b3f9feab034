"""ids never reused on SQLite: every table's integer primary key AUTOINCREMENT

Without it SQLite hands the id of the newest row, once deleted, to the next row, so an
audit entry could name two different comments by one number. PostgreSQL's sequences
never reuse an id: nothing to do there.

Revision ID: e5f6a7b8c9d0
Revises: d4e8f1a2b3c4
Create Date: 2026-12-01 22:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e5f6a7b8c9d0'
down_revision = 'd4e8f1a2b3c4'
branch_labels = None
depends_on = None

TABLES = [
    'users', 'roles', 'role_facets', 'applications', 'status_changes', 'interviews',
    'comments', 'notifications', 'reports', 'audit_entries',
]


def upgrade():
    _recreate_tables(autoincrement=True)


def downgrade():
    _recreate_tables(autoincrement=False)


def _recreate_tables(autoincrement: bool) -> None:
    """Make each table again (SQLite cannot add AUTOINCREMENT to a table), rows and all."""
    if op.get_bind().dialect.name != 'sqlite':
        return
    context = op.get_context()
    # Dropping the old `users` with foreign keys enforced would delete every row that
    # refers to it; SQLite ignores this pragma inside a transaction.
    with context.autocommit_block():
        op.execute('PRAGMA foreign_keys=OFF')
    for table in TABLES:
        with op.batch_alter_table(table, recreate='always', table_kwargs={'sqlite_autoincrement': autoincrement}):
            pass
    broken = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check').all()
    if broken:
        raise RuntimeError(f'rows refer to rows that are gone: {broken[:5]}')
    with context.autocommit_block():
        op.execute('PRAGMA foreign_keys=ON')
