"""import jobs skip tracked: whether a job skips the applications already tracked, and how many it skipped

Revision ID: a9b0c1d2e3f4
Revises: c8d9e0f1a2b3
Create Date: 2026-12-07 20:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9b0c1d2e3f4'
down_revision = 'c8d9e0f1a2b3'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, which SQLite does: a batch would copy the table without its AUTOINCREMENT.
    op.add_column('import_jobs', sa.Column('skip_tracked', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('import_jobs', sa.Column('skipped', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('import_jobs', table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_column('skipped')
        batch_op.drop_column('skip_tracked')
