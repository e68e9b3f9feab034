"""hidden reason: why a moderator hid a comment, shown to its author on the comment's card

Revision ID: d9e0f1a2b3c4
Revises: a9b0c1d2e3f4
Create Date: 2026-12-07 20:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd9e0f1a2b3c4'
down_revision = 'a9b0c1d2e3f4'
branch_labels = None
depends_on = None


# ALTER TABLE alone, never a copy of the table: on SQLite dropping the old copy of
# `comments` would delete its reports and notifications (ON DELETE CASCADE), and SQLite
# (3.35 and later) adds and drops a plain nullable column in place.
def upgrade():
    with op.batch_alter_table('comments', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('hidden_reason', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('comments', recreate='never') as batch_op:
        batch_op.drop_column('hidden_reason')
