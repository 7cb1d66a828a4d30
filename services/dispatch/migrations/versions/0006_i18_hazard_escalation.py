"""hazard escalations: the supervisor a ticket is escalated to reads and works it

Revision ID: 0006_i18_hazard_escalation
Revises: 0005
Create Date: 2026-12-05 16:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006_i18_hazard_escalation'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'hazard_escalation',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('case_id', sa.Uuid(), nullable=False),
        sa.Column('escalated_to', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('department_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('level', sa.Integer(), nullable=False),
        sa.Column('due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'escalated_to', 'target', 'level', name='uq_escalation'),
    )
    with op.batch_alter_table('hazard_escalation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hazard_escalation_case_id'), ['case_id'])
        batch_op.create_index(batch_op.f('ix_hazard_escalation_escalated_to'), ['escalated_to'])


def downgrade() -> None:
    op.drop_table('hazard_escalation')
