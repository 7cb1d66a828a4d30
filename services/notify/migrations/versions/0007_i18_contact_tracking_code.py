"""contacts keep their own tracking code: a follower's link is its own report's, never the
original reporter's (their code is the credential for answering and uploading)

Revision ID: 0007_i18_contact_tracking_code
Revises: 0006
Create Date: 2026-12-05 16:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007_i18_contact_tracking_code'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('tracking_code', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_column('tracking_code')
