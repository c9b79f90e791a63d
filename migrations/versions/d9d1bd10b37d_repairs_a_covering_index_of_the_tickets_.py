"""repairs: a covering index of the tickets' figures (the impact pages scan it rather than the wide rows), and
the index of their latest change (the version the pages' figures were computed at)

Revision ID: d9d1bd10b37d
Revises: bb1e6398f011
Create Date: 2026-12-06 11:06:49.734709

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "d9d1bd10b37d"
down_revision = "bb1e6398f011"
branch_labels = None
depends_on = None

COLUMNS = [
    "territory_id",
    "lab_id",
    "event_date",
    "category_id",
    "event_id",
    "outcome",
    "waste_prevented_kg",
    "co2e_prevented_kg",
]


def upgrade():
    with op.batch_alter_table("repair_tickets", schema=None) as batch_op:
        batch_op.create_index("ix_repair_tickets_figures", COLUMNS, unique=False)
        batch_op.create_index("ix_repair_tickets_updated_at", ["updated_at"], unique=False)


def downgrade():
    with op.batch_alter_table("repair_tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_repair_tickets_updated_at")
        batch_op.drop_index("ix_repair_tickets_figures")
