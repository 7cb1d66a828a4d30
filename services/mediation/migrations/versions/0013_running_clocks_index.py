"""Clock indexes in the committee's order: ix_dispute_clock_running (open or paused) and
ix_dispute_clock_status_due (replaces ix_dispute_clock_open with case and clock added), so the
running, overdue and due-soon lists read a page in index order instead of sorting every clock

Revision ID: 0011_running_clocks_index
Revises: 0010_i20b_consultations
Create Date: 2026-12-07 00:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011_running_clocks_index'
down_revision: str | None = '0010_i20b_consultations'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RUNNING = "status IN ('open', 'paused')"


def upgrade() -> None:
    op.drop_index('ix_dispute_clock_open', table_name='dispute_clock')
    op.create_index(
        'ix_dispute_clock_status_due',
        'dispute_clock',
        ['status', 'due_on', 'case_id', 'clock'],
    )
    op.create_index(
        'ix_dispute_clock_running',
        'dispute_clock',
        ['due_on', 'case_id', 'clock'],
        postgresql_where=sa.text(_RUNNING),
        sqlite_where=sa.text(_RUNNING),
    )


def downgrade() -> None:
    op.drop_index('ix_dispute_clock_running', table_name='dispute_clock')
    op.drop_index('ix_dispute_clock_status_due', table_name='dispute_clock')
    op.create_index('ix_dispute_clock_open', 'dispute_clock', ['status', 'due_on'])
