"""thread versions on top-level comments: a cached thread is drawn again only when it changed

Revision ID: c4d5e6f7a8b9
Revises: b2c3d4e5f6a7
Create Date: 2026-12-01 21:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d5e6f7a8b9'
down_revision = 'b2c3d4e5f6a7'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: SQLite does not copy the table (which, with foreign keys on,
    # would empty the tables that refer to comments).
    op.add_column('comments', sa.Column('subtree_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    op.execute('ALTER TABLE comments DROP COLUMN subtree_version')
