"""dispute lifecycle clocks roster sessions statistics

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 06:44:02.914620
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = 'timer_0001'

_ = (sa, sqlmodel)


def upgrade() -> None:
    # Existing disputes get neutral values for the new non-null columns.
    op.create_table('calendar_year',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('holidays', sa.JSON(), nullable=False),
    sa.Column('workdays', sa.JSON(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('loaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('year')
    )
    op.create_table('dispute_clock',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('clock', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('legal', sa.Boolean(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('calendar_source', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('case_id', 'clock')
    )
    with op.batch_alter_table('dispute_clock', schema=None) as batch_op:
        batch_op.create_index('ix_dispute_clock_open', ['status', 'due_on'], unique=False)

    op.create_table('mediation_session',
    sa.Column('session_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('attendees', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('reschedules', sa.Integer(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('session_id')
    )
    with op.batch_alter_table('mediation_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_session_case_id'), ['case_id'], unique=False)

    op.create_table('mediator_stat',
    sa.Column('mediator_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('last_assigned_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('mediator_id')
    )
    op.create_table('pattern_alert',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('company_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('company', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('dispute_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('window_days', sa.Integer(), nullable=False),
    sa.Column('case_ids', sa.JSON(), nullable=False),
    sa.Column('raised_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('company_key', 'dispute_type', 'seq')
    )
    op.create_table('roster',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dispute_history', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complainant_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('town', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.add_column(sa.Column('company', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('company_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('filed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('filed_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('filed_month', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True))
        batch_op.add_column(sa.Column('risk', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('objected_mediators', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('infringement_known_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('mediation_extended_days', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('accepted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('agreement_effective_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('days_to_agreement', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.add_column(sa.Column('referred_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('parent_case_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('representatives', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('history_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.drop_index(batch_op.f('ix_dispute_state'))
        batch_op.create_index(batch_op.f('ix_dispute_parent_case_id'), ['parent_case_id'], unique=False)
        batch_op.create_index('ix_dispute_pattern', ['company_key', 'dispute_type', 'created_at'], unique=False)
        batch_op.create_index('ix_dispute_state_created', ['state', 'created_at'], unique=False)
        batch_op.create_index('ix_dispute_stats_company', ['filed_year', 'company_key'], unique=False)
        batch_op.create_index('ix_dispute_stats_month', ['filed_year', 'filed_month'], unique=False)
        batch_op.create_index('ix_dispute_stats_town', ['filed_year', 'town'], unique=False)
        batch_op.create_index('ix_dispute_stats_type', ['filed_year', 'dispute_type'], unique=False)

    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.drop_index('ix_dispute_stats_type')
        batch_op.drop_index('ix_dispute_stats_town')
        batch_op.drop_index('ix_dispute_stats_month')
        batch_op.drop_index('ix_dispute_stats_company')
        batch_op.drop_index('ix_dispute_state_created')
        batch_op.drop_index('ix_dispute_pattern')
        batch_op.drop_index(batch_op.f('ix_dispute_parent_case_id'))
        batch_op.create_index(batch_op.f('ix_dispute_state'), ['state'], unique=False)
        batch_op.drop_column('history_count')
        batch_op.drop_column('representatives')
        batch_op.drop_column('parent_case_id')
        batch_op.drop_column('referred_at')
        batch_op.drop_column('outcome')
        batch_op.drop_column('days_to_agreement')
        batch_op.drop_column('agreement_effective_at')
        batch_op.drop_column('accepted_at')
        batch_op.drop_column('mediation_extended_days')
        batch_op.drop_column('infringement_known_on')
        batch_op.drop_column('objected_mediators')
        batch_op.drop_column('risk')
        batch_op.drop_column('filed_month')
        batch_op.drop_column('filed_year')
        batch_op.drop_column('filed_on')
        batch_op.drop_column('company_key')
        batch_op.drop_column('company')
        batch_op.drop_column('town')
        batch_op.drop_column('complainant_name')

    with op.batch_alter_table('dispute_history', schema=None) as batch_op:
        batch_op.drop_column('position')

    op.drop_table('roster')
    op.drop_table('pattern_alert')
    op.drop_table('mediator_stat')
    with op.batch_alter_table('mediation_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_session_case_id'))

    op.drop_table('mediation_session')
    with op.batch_alter_table('dispute_clock', schema=None) as batch_op:
        batch_op.drop_index('ix_dispute_clock_open')

    op.drop_table('dispute_clock')
    op.drop_table('calendar_year')
    # ### end Alembic commands ###
