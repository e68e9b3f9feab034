"""accounts: a mail outbox; on users a preferred language, profile facts, mail choices
and the time an account was deleted

Revision ID: 17a0b1c2d3e4
Revises: c4d5e6f7a8b9
Create Date: 2026-12-01 23:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '17a0b1c2d3e4'
down_revision = 'c4d5e6f7a8b9'
branch_labels = None
depends_on = None

USER_COLUMNS = [
    sa.Column('preferred_language', sa.String(length=10), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('education_level', sa.String(length=30), nullable=True),
    sa.Column('experience_years', sa.Integer(), nullable=True),
    sa.Column('skills', sa.String(length=500), server_default='', nullable=False),
    sa.Column('district', sa.String(length=40), nullable=True),
    sa.Column('profile_public', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('email_replies', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('email_answers', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('email_digest', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
]


def upgrade():
    op.create_table(
        'outbox_mails',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('to_address', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('unsubscribe_url', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outbox_mails_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_mails')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_outbox_mails_pending', 'outbox_mails', ['sent_at', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_outbox_mails_user_id'), 'outbox_mails', ['user_id'], unique=False)
    # Plain ADD COLUMNs, not a batch copy of users: with foreign keys on, SQLite would
    # empty every table that refers to users while copying it.
    for column in USER_COLUMNS:
        op.add_column('users', column)


def downgrade():
    for column in reversed(USER_COLUMNS):
        op.execute(f'ALTER TABLE users DROP COLUMN {column.name}')
    op.drop_index(op.f('ix_outbox_mails_user_id'), table_name='outbox_mails')
    op.drop_index('ix_outbox_mails_pending', table_name='outbox_mails')
    op.drop_table('outbox_mails')
