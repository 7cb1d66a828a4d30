"""audit_entry: the append-only log of personal-data access (UPDATE and DELETE refused).

Revision ID: audit_0001
Revises: 
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.platform.audit.table import append_only_ddl, drop_append_only_ddl

revision: str = 'audit_0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ('audit',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'audit_entry',
        sa.Column(
            'seq',
            sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('service', sa.String(length=20), nullable=False),
        sa.Column('actor_id', sa.String(length=100), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('case_id', sa.Uuid(), nullable=True),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('case_ids', sa.JSON(), nullable=True),
        sa.Column('case_count', sa.Integer(), nullable=True),
        sa.Column('request_id', sa.String(length=100), nullable=True),
        sa.Column('route', sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint('seq'),
    )
    op.create_index('ix_audit_entry_case_id_seq', 'audit_entry', ['case_id', 'seq'])
    op.create_index('ix_audit_entry_actor_id_seq', 'audit_entry', ['actor_id', 'seq'])
    for statement in append_only_ddl(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_append_only_ddl(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index('ix_audit_entry_actor_id_seq', table_name='audit_entry')
    op.drop_index('ix_audit_entry_case_id_seq', table_name='audit_entry')
    op.drop_table('audit_entry')
