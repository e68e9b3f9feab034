"""tracker version for caching each user's tracker overview

Revision ID: c3d1a7e52f90
Revises: b6b27482997f
Create Date: 2026-11-23 18:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d1a7e52f90'
down_revision = 'b6b27482997f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracker_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('tracker_version')
