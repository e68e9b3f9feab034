"""seeded comments: the key of each comment `flask seed` added, kept after it is deleted

Revision ID: f7a8b9c0d1e2
Revises: e5f6a7b8c9d0
Create Date: 2026-12-01 22:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f7a8b9c0d1e2'
down_revision = 'e5f6a7b8c9d0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('seeded_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seed_key', sa.String(length=200), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('seeded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_seeded_comments_comment_id_comments'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seeded_comments')),
    sa.UniqueConstraint('seed_key', name=op.f('uq_seeded_comments_seed_key')),
    sqlite_autoincrement=True
    )


def downgrade():
    op.drop_table('seeded_comments')
