"""idempotency_record: the first answer to a mutating request with an Idempotency-Key,
claimed in the transaction of the change it made (shared/platform/idempotency.py)

Revision ID: 0008_i15_idempotency
Revises: 0007_i18_contact_tracking_code
Create Date: 2026-12-05 23:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_i15_idempotency'
down_revision: str | None = '0007_i18_contact_tracking_code'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = 'idempotency_0001'


def upgrade() -> None:
    """idempotency_record comes from shared/platform/migrations (idempotency_0001)."""


def downgrade() -> None:
    """Nothing here: the platform revision this one depends on owns the table."""
