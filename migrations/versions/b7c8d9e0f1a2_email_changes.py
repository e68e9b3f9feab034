"""how many times each account's email has changed: in an email confirmation link, so that it works once even if the account moves back

Revision ID: b7c8d9e0f1a2
Revises: a1b2c3d4e5f6
Create Date: 2026-12-06 03:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c8d9e0f1a2'
down_revision = 'a1b2c3d4e5f6'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: a batch copy of users on SQLite would cascade to every table
    # pointing at it (see 17a0b1c2d3e4).
    op.add_column('users', sa.Column('email_changes', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    op.execute('ALTER TABLE users DROP COLUMN email_changes')
