"""one rider, one party: keyed hashes of a party's phone and e-mail, and its points; API keys
of services (notify resolves a rider's phone at send time); one-time sign-in codes

Revision ID: 0007_i18_rider_identity
Revises: 0006
Create Date: 2026-12-05 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007_i18_rider_identity'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('phone_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column('email_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.create_index(batch_op.f('ix_party_phone_hash'), ['phone_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_email_hash'), ['email_hash'], unique=False)
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('service', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
    op.create_table(
        'party_points',
        sa.Column('party_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('balance', sa.Integer(), nullable=False),
        sa.Column('credited_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('party_id'),
    )


    op.create_table(
        'rider_code',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('party_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('rider_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rider_code_party_id'), ['party_id'], unique=False)


def downgrade() -> None:
    op.drop_table('rider_code')
    op.drop_table('party_points')
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.drop_column('service')
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_email_hash'))
        batch_op.drop_index(batch_op.f('ix_party_phone_hash'))
        batch_op.drop_column('email_hash')
        batch_op.drop_column('phone_hash')
