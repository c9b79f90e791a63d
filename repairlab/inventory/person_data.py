"""What the inventory holds about a person: the problem reports they wrote, in "download my data", and what their
erasure scrubs (their words and photo; the report, and its item's history, stay)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from repairlab.extensions import db
from repairlab.images import delete_row_photos_after_commit
from repairlab.inventory.models import Item, ProblemReport
from repairlab.people.models import User
from repairlab.people.registry import ERASED_TEXT, erasure_hooks, personal_data_sources, plain_rows


def personal_data(person: User) -> dict[str, list[dict[str, Any]]]:
    """The problem reports the person wrote."""
    return {
        "problem_reports": plain_rows(
            sa.select(
                Item.code.label("item"),
                ProblemReport.created_at,
                ProblemReport.description,
                ProblemReport.status,
                ProblemReport.closed_at,
            )
            .join(Item, Item.id == ProblemReport.item_id)
            .where(ProblemReport.reporter_id == person.id)
            .order_by(ProblemReport.created_at)
        )
    }


def scrub(person: User) -> None:
    """The problem reports the talent wrote: their words and photo; the report (and its item's history) stays."""
    delete_row_photos_after_commit(ProblemReport, ProblemReport.reporter_id == person.id)
    db.session.execute(
        sa.update(ProblemReport)
        .where(ProblemReport.reporter_id == person.id)
        .values(description=ERASED_TEXT, photo_key=None, photo_thumb_key=None)
    )


def register() -> None:
    """Register the personal data source and the erasure hook (called by init_app)."""
    personal_data_sources.register("inventory.reports", personal_data, order=20)
    erasure_hooks.register("inventory", scrub)
