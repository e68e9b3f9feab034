"""fit and pay: the education a guide asks for, and an offer's pay shared anonymously

Revision ID: b1c2d3e4f5a6
Revises: d9e0f1a2b3c4
Create Date: 2026-12-07 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c2d3e4f5a6'
down_revision = 'd9e0f1a2b3c4'
branch_labels = None
depends_on = None


# ALTER TABLE alone, never a copy of the table: on SQLite dropping the old copy of
# `applications` would delete its history and interviews (ON DELETE CASCADE).
def upgrade():
    with op.batch_alter_table('roles', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('education_min', sa.String(length=30), nullable=True))
    with op.batch_alter_table('applications', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('pay_shared_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('applications', recreate='never') as batch_op:
        batch_op.drop_column('pay_shared_at')
    with op.batch_alter_table('roles', recreate='never') as batch_op:
        batch_op.drop_column('education_min')
