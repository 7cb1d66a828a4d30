"""timeline_entry.causation_id: which event caused an entry (the updates feed shows a
department's own update once, not again as the state change it caused)

Revision ID: 0007_i23_timeline_causation
Revises: 0006
Create Date: 2026-12-05 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_i23_timeline_causation'
down_revision: str | None = '0007_i18_rider_identity'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('timeline_entry') as batch:
        batch.add_column(sa.Column('causation_id', sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('timeline_entry') as batch:
        batch.drop_column('causation_id')
