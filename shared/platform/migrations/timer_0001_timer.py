"""The kit's durable timers (shared/messaging/timers.py), for the services that keep clocks.

Revision ID: timer_0001
Revises: 
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'timer_0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ('timer',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('timer',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('fired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'kind', 'due_at', name='uq_timer_case_kind_due')
    )
    with op.batch_alter_table('timer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_timer_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_timer_due', ['due_at'], unique=False, postgresql_where=sa.text('fired_at IS NULL AND cancelled_at IS NULL'), sqlite_where=sa.text('fired_at IS NULL AND cancelled_at IS NULL'))


def downgrade() -> None:
    with op.batch_alter_table('timer', schema=None) as batch_op:
        batch_op.drop_index('ix_timer_due', postgresql_where=sa.text('fired_at IS NULL AND cancelled_at IS NULL'), sqlite_where=sa.text('fired_at IS NULL AND cancelled_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_timer_case_id'))
    op.drop_table('timer')
