"""Data versions: a counter per table, raised by every committed write to it (repairlab/freshness.py), so that a
result computed from some tables is reused by every worker until one of them changes.

Revision ID: 5c1d2e3f4a60
Revises: 4b7e9c2d5f13
Create Date: 2026-12-06 21:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5c1d2e3f4a60'
down_revision = '4b7e9c2d5f13'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'data_versions',
        sa.Column('table_name', sa.String(length=64), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('table_name', name=op.f('pk_data_versions')),
    )


def downgrade():
    op.drop_table('data_versions')
