"""dispute grants: mediators the committee lets read a dispute

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 09:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('dispute_grant',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('mediator_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('granted_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('granted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('case_id', 'mediator_id')
    )


def downgrade() -> None:
    op.drop_table('dispute_grant')
