"""road badges and preparation: the stage a commenter chose to show on a comment, and the
guide's skills a member ticked while preparing for an interview

Revision ID: e1f2a3b4c5d6
Revises: 5d7e9f1a3b2c
Create Date: 2026-12-07 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1f2a3b4c5d6'
down_revision = '5d7e9f1a3b2c'
branch_labels = None
depends_on = None


# ALTER TABLE alone on comments, never a copy of the table: on SQLite dropping the old copy
# would delete its reports and notifications (ON DELETE CASCADE).
def upgrade():
    with op.batch_alter_table('comments', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('shown_stage', sa.String(length=20), nullable=True))
    op.create_table(
        'prepared_skills',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('skill', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['applications.id'],
                                name=op.f('fk_prepared_skills_application_id_applications'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_prepared_skills')),
        sa.UniqueConstraint('application_id', 'skill', name='uq_prepared_skills_application_skill'),
        sqlite_autoincrement=True,
    )


def downgrade():
    op.drop_table('prepared_skills')
    with op.batch_alter_table('comments', recreate='never') as batch_op:
        batch_op.drop_column('shown_stage')
