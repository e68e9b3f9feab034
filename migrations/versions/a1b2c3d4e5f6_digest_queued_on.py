"""the day each member's last weekly digest was queued, so a second run in a week mails nothing twice

Revision ID: a1b2c3d4e5f6
Revises: 16a0b1c2d3e4
Create Date: 2026-12-02 01:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1b2c3d4e5f6'
down_revision = '16a0b1c2d3e4'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: a batch copy of users on SQLite would cascade to every table
    # pointing at it (see 17a0b1c2d3e4).
    op.add_column('users', sa.Column('digest_queued_on', sa.Date(), nullable=True))


def downgrade():
    op.execute('ALTER TABLE users DROP COLUMN digest_queued_on')
