"""role english title: the name an English page shows for a role

Revision ID: e2a7b3c9d4f1
Revises: e1f2a3b4c5d6
Create Date: 2026-12-07 22:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2a7b3c9d4f1'
down_revision = 'e1f2a3b4c5d6'
branch_labels = None
depends_on = None


# ALTER TABLE alone, never a copy of the table: dropping the old copy of `roles` on
# SQLite would delete its facets (ON DELETE CASCADE).
def upgrade():
    with op.batch_alter_table('roles', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('title_en', sa.String(length=200), nullable=True))
    # Until the role files are imported again, the first English name a role is searched
    # by (role files list their English title there first) is its English title.
    op.execute(
        "UPDATE roles SET title_en = (SELECT value FROM role_facets"
        " WHERE role_facets.role_id = roles.id AND role_facets.kind = 'english_name'"
        " ORDER BY role_facets.position LIMIT 1)"
    )


def downgrade():
    with op.batch_alter_table('roles', recreate='never') as batch_op:
        batch_op.drop_column('title_en')
