"""reporting: research export log

One row per research export taken (who, when, which filters), from the web page or the command line.

Revision ID: 004dc3db04c2
Revises: 93e7f4498cdf
Create Date: 2026-12-06 10:55:44.999848

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '004dc3db04c2'
down_revision = '93e7f4498cdf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('research_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('filters', sa.String(length=500), nullable=False),
    sa.Column('months_only', sa.Boolean(), nullable=False),
    sa.Column('tables', sa.Integer(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('web', 'cli')", name=op.f('ck_research_exports_source_known')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_research_exports_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_research_exports'))
    )
    with op.batch_alter_table('research_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_research_exports_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_research_exports_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('research_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_research_exports_user_id'))
        batch_op.drop_index(batch_op.f('ix_research_exports_created_at'))

    op.drop_table('research_exports')
