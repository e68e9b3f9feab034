"""comment submission keys: a comment form sent twice is stored once

Revision ID: a9b8c7d6e5f4
Revises: f7a8b9c0d1e2
Create Date: 2026-12-01 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9b8c7d6e5f4'
down_revision = 'f7a8b9c0d1e2'
branch_labels = None
depends_on = None


def upgrade():
    # A column and an index: neither makes SQLite copy the table (which, with foreign keys
    # on, would empty the tables that refer to comments).
    op.add_column('comments', sa.Column('submission_key', sa.String(length=32), nullable=True))
    op.create_index('uq_comments_author_submission', 'comments', ['author_id', 'submission_key'], unique=True)


def downgrade():
    op.drop_index('uq_comments_author_submission', table_name='comments')
    # SQLite 3.35 and later drop a column in place, so the table is not copied either.
    op.execute('ALTER TABLE comments DROP COLUMN submission_key')
