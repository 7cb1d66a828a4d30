"""history position named as in mediation: hazard.steps -> history_count,
hazard_history.seq -> position (the API still serves a history entry's position as `seq`)

Revision ID: 0009_h16_history_position
Revises: 0007_i20b_compounds_rewards
Create Date: 2026-12-07 00:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0009_h16_history_position'
down_revision: str | None = '0007_i20b_compounds_rewards'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.alter_column('steps', new_column_name='history_count')
    with op.batch_alter_table('hazard_history', schema=None) as batch_op:
        batch_op.alter_column('seq', new_column_name='position')


def downgrade() -> None:
    with op.batch_alter_table('hazard_history', schema=None) as batch_op:
        batch_op.alter_column('position', new_column_name='seq')
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.alter_column('history_count', new_column_name='steps')
