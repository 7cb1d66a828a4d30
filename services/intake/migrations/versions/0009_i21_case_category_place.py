"""case: one index on (category, latitude, longitude) for the duplicate lookup, in place of
the index on category alone (its leading column serves every lookup by category)

A new hazard's duplicate lookup names a category and a box around its place. On the category
index alone PostgreSQL read every case of the category and filtered by place: 37,571 rows and
about 30 ms at 300,000 cases, growing with the register; on this index it reads the box (7 rows,
0.2 ms; docs/performance.md, section 17).

Revision ID: 0009_i21_case_category_place
Revises: 0008_i20a_group_members
Create Date: 2026-12-07 15:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0009_i21_case_category_place'
down_revision: str | None = '0008_i20a_group_members'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('case') as batch:
        batch.create_index('ix_case_category_place', ['category', 'latitude', 'longitude'])
        batch.drop_index('ix_case_category')


def downgrade() -> None:
    with op.batch_alter_table('case') as batch:
        batch.create_index('ix_case_category', ['category'])
        batch.drop_index('ix_case_category_place')
