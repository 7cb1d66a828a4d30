"""index deliveries by event: planning asks which notices an event already has

Without it every planned event scanned the whole delivery table (seen in the benchmark:
23.5 million rows read in four minutes, and the cost of an event grew with the table).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 16:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_event_id'), ['event_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_event_id'))
