"""What the guides domain holds about a person, in "download my data": the versions of guides they wrote (with
their change notes), how they chose to be credited, the versions they published, and the guides they recorded as
followed on repair tickets. Erasure: they are credited nowhere any more (panels.erase_credits); their versions stay,
anonymous, under the guide's open licence."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from repairlab.guides.models import Guide, GuideCredit, GuidePublication, GuideUse, GuideVersion
from repairlab.people.models import User
from repairlab.people.registry import personal_data_sources, plain_rows
from repairlab.repairs.models import RepairTicket


def personal_data(person: User) -> dict[str, list[dict[str, Any]]]:
    """The person's guide versions, credit choices, publications and guides followed (four queries)."""
    return {
        "guide_versions": plain_rows(
            sa.select(
                Guide.slug.label("guide"),
                Guide.kind,
                GuideVersion.number.label("version"),
                GuideVersion.title,
                GuideVersion.change_note,
                GuideVersion.created_at,
            )
            .join(Guide, Guide.id == GuideVersion.guide_id)
            .where(GuideVersion.created_by_id == person.id)
            .order_by(GuideVersion.created_at, GuideVersion.id)
        ),
        "guide_credits": plain_rows(
            sa.select(Guide.slug.label("guide"), GuideCredit.choice, GuideCredit.updated_at)
            .join(Guide, Guide.id == GuideCredit.guide_id)
            .where(GuideCredit.user_id == person.id)
            .order_by(Guide.slug)
        ),
        "guide_publications": plain_rows(
            sa.select(
                Guide.slug.label("guide"), GuidePublication.number.label("version"), GuidePublication.published_at
            )
            .join(Guide, Guide.id == GuidePublication.guide_id)
            .where(GuidePublication.published_by_id == person.id)
            .order_by(GuidePublication.published_at, GuidePublication.id)
        ),
        "guides_followed": plain_rows(
            sa.select(
                RepairTicket.code.label("ticket"),
                Guide.slug.label("guide"),
                GuideVersion.number.label("version"),
                GuideUse.helped,
                GuideUse.recorded_at,
            )
            .join(Guide, Guide.id == GuideUse.guide_id)
            .join(GuideVersion, GuideVersion.id == GuideUse.version_id)
            .join(RepairTicket, RepairTicket.id == GuideUse.ticket_id)
            .where(GuideUse.recorded_by_id == person.id)
            .order_by(GuideUse.recorded_at, GuideUse.id)
        ),
    }


def register() -> None:
    """Register the personal data source (called by init_app)."""
    personal_data_sources.register("guides.written", personal_data, order=80)
