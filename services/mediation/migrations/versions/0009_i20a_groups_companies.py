"""Group disputes and every respondent: dispute.group_size, claim_amount_yuan, companies;
dispute_company (one row per dispute and respondent company, for pattern alerts);
dispute_stat.groups and .workers (a group counts once, its members by headcount)

Existing disputes get one dispute_company row for their first respondent (the only one they
were counted under before) and a headcount of one each. Member cases linked to a parent before
this revision are counted nowhere now: after upgrading a database that holds any, run
`waystation rollups rebuild` (the check `waystation rollups check` shows the difference).

Revision ID: 0009_i20a_groups_companies
Revises: 0008
Create Date: 2026-12-05 23:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0009_i20a_groups_companies'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dispute') as batch:
        batch.add_column(sa.Column('group_size', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('claim_amount_yuan', sa.Float(), nullable=True))
        batch.add_column(
            sa.Column('companies', sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    op.execute(
        "UPDATE dispute SET group_size = (SELECT count(*) FROM dispute AS m"
        " WHERE m.parent_case_id = dispute.case_id)"
    )
    op.create_table(
        'dispute_company',
        sa.Column('case_id', sa.Uuid(), nullable=False),
        sa.Column('company_key', sa.String(length=200), nullable=False),
        sa.Column('company', sa.String(length=200), nullable=False),
        sa.Column('dispute_type', sa.String(length=40), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('case_id', 'company_key'),
    )
    op.create_index(
        'ix_dispute_company_pattern',
        'dispute_company',
        ['company_key', 'dispute_type', 'created_at'],
    )
    op.execute(
        "INSERT INTO dispute_company (case_id, company_key, company, dispute_type, created_at)"
        " SELECT case_id, company_key, company, dispute_type, created_at FROM dispute"
        " WHERE parent_case_id IS NULL"
    )
    with op.batch_alter_table('dispute_stat') as batch:
        batch.add_column(sa.Column('groups', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('workers', sa.Integer(), nullable=False, server_default='0'))
    op.execute("UPDATE dispute_stat SET workers = filed")


def downgrade() -> None:
    with op.batch_alter_table('dispute_stat') as batch:
        batch.drop_column('workers')
        batch.drop_column('groups')
    op.drop_index('ix_dispute_company_pattern', table_name='dispute_company')
    op.drop_table('dispute_company')
    with op.batch_alter_table('dispute') as batch:
        batch.drop_column('companies')
        batch.drop_column('claim_amount_yuan')
        batch.drop_column('group_size')
