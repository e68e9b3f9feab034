"""any job in the tracker: a title of its own, an optional catalogue role, where it was
found, its link, district, pay and deadline, and a second application on purpose

Revision ID: 16a0b1c2d3e4
Revises: 17a0b1c2d3e4
Create Date: 2026-12-01 23:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '16a0b1c2d3e4'
down_revision = '17a0b1c2d3e4'
branch_labels = None
depends_on = None

NEW_COLUMNS = [
    sa.Column('title', sa.String(length=200), server_default='', nullable=False),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('district', sa.String(length=100), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=True),
    sa.Column('pay_min', sa.Integer(), nullable=True),
    sa.Column('pay_max', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('attempt', sa.Integer(), server_default='1', nullable=False),
]


def _foreign_keys(on: bool) -> None:
    """SQLite copies the table to change a column: dropping the old copy with foreign
    keys enforced would delete every stage change and interview (ON DELETE CASCADE)."""
    if op.get_bind().dialect.name != 'sqlite':
        return
    if not on:
        with op.get_context().autocommit_block():
            op.execute('PRAGMA foreign_keys=OFF')
        return
    broken = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check').all()
    if broken:
        raise RuntimeError(f'rows refer to rows that are gone: {broken[:5]}')
    with op.get_context().autocommit_block():
        op.execute('PRAGMA foreign_keys=ON')


def upgrade():
    _foreign_keys(on=False)
    with op.batch_alter_table('applications', table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        for column in NEW_COLUMNS:
            batch_op.add_column(column)
        batch_op.alter_column('role_id', existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint('fk_applications_role_id_roles', type_='foreignkey')
        batch_op.create_foreign_key(
            'fk_applications_role_id_roles', 'roles', ['role_id'], ['id'], ondelete='SET NULL'
        )
        batch_op.drop_constraint('uq_applications_user_role_org', type_='unique')
        batch_op.create_unique_constraint(
            'uq_applications_user_role_org_attempt', ['user_id', 'role_id', 'organisation', 'attempt']
        )
    op.execute(
        'UPDATE applications SET title = (SELECT roles.title FROM roles WHERE roles.id = applications.role_id)'
        ' WHERE role_id IS NOT NULL'
    )
    _foreign_keys(on=True)


def downgrade():
    # The schema before holds only catalogue roles, one application each: the others go.
    op.execute('DELETE FROM applications WHERE role_id IS NULL OR attempt > 1')
    _foreign_keys(on=False)
    with op.batch_alter_table('applications', table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_constraint('uq_applications_user_role_org_attempt', type_='unique')
        batch_op.create_unique_constraint('uq_applications_user_role_org', ['user_id', 'role_id', 'organisation'])
        batch_op.drop_constraint('fk_applications_role_id_roles', type_='foreignkey')
        batch_op.create_foreign_key(
            'fk_applications_role_id_roles', 'roles', ['role_id'], ['id'], ondelete='CASCADE'
        )
        batch_op.alter_column('role_id', existing_type=sa.Integer(), nullable=False)
        for column in reversed(NEW_COLUMNS):
            batch_op.drop_column(column.name)
    _foreign_keys(on=True)
