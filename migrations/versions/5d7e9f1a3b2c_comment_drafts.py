"""comment drafts: text posted after the login had ended, put back in its form after
logging in again

Revision ID: 5d7e9f1a3b2c
Revises: b1c2d3e4f5a6
Create Date: 2026-12-07 22:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d7e9f1a3b2c'
down_revision = 'b1c2d3e4f5a6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'comment_drafts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_digest', sa.String(length=64), nullable=False),
        sa.Column('role_id', sa.Integer(), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['role_id'], ['roles.id'], name=op.f('fk_comment_drafts_role_id_roles'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['parent_id'], ['comments.id'], name=op.f('fk_comment_drafts_parent_id_comments'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_drafts')),
        sa.UniqueConstraint('token_digest', name=op.f('uq_comment_drafts_token_digest')),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f('ix_comment_drafts_created_at'), 'comment_drafts', ['created_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_comment_drafts_created_at'), table_name='comment_drafts')
    op.drop_table('comment_drafts')
