"""versions that cache keys name: each comment's, and what others see of each user

Revision ID: d4e8f1a2b3c4
Revises: c3d1a7e52f90
Create Date: 2026-12-01 20:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e8f1a2b3c4'
down_revision = 'c3d1a7e52f90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('profile_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('profile_version')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('version')
