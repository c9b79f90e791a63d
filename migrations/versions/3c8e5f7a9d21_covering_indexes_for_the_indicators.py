"""covering indexes for the indicators: a selection's loans and attendances are counted from an index alone

Revision ID: 3c8e5f7a9d21
Revises: 5d0c1e7a9b42
Create Date: 2026-12-06 14:40:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "3c8e5f7a9d21"
down_revision = "5d0c1e7a9b42"
branch_labels = None
depends_on = None

LOAN_FIGURES = ["borrower_id", "started_at", "kind", "due_at", "returned_at", "item_id"]


def upgrade():
    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.create_index("ix_loans_borrower_id_figures", LOAN_FIGURES, unique=False)
    with op.batch_alter_table("session_attendances", schema=None) as batch_op:
        batch_op.drop_index("ix_session_attendances_talent_id")
        batch_op.create_index(
            "ix_session_attendances_talent_id_session_id", ["talent_id", "session_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("session_attendances", schema=None) as batch_op:
        batch_op.drop_index("ix_session_attendances_talent_id_session_id")
        batch_op.create_index("ix_session_attendances_talent_id", ["talent_id"], unique=False)
    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.drop_index("ix_loans_borrower_id_figures")
