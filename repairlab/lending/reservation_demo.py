"""Demo lending rules (desk-only categories, durations) and reservations: today's, coming ones, a lab event, a
cancelled one."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from repairlab import clock
from repairlab.demo import DemoContext
from repairlab.extensions import db
from repairlab.inventory.models import Category, Item, ItemKind, ItemStatus
from repairlab.lending import policies, reservations
from repairlab.people.models import Lab, Role, User

# (category path, self-service, usual days, longest days)
RULES = [
    ("Outillage électroportatif > Découpe", False, 2, 7),
    ("Fabrication numérique", False, 1, 3),
    ("Outillage à main", True, 14, 30),
]
# (tool index, talent index or None for a lab event, first day from today, last day, purpose, cancelled)
RESERVATIONS = [
    (0, 0, 0, 1, "Remontage d'une roue de vélo", False),
    (1, None, 2, 2, "Repair café du samedi", False),
    (2, 1, 3, 5, "Session projet : atelier vélo solidaire", False),
    (0, 2, 4, 6, "Session projet : vélo cargo", False),
    (3, 3, 7, 8, "Atelier découpe : porte-clés en contreplaqué", True),
]


def seed_reservations(ctx: DemoContext) -> None:
    """Through the services, as the territory's lab manager (every date is from today on)."""
    categories = {c.path: c for c in db.session.scalars(sa.select(Category))}
    today = clock.today()
    for territory in ctx.territories.values():
        manager = db.session.scalar(
            sa.select(User).where(User.role == Role.LAB_MANAGER, User.territory_id == territory.id).limit(1)
        )
        talents = db.session.scalars(
            sa.select(User)
            .where(User.role == Role.PARTICIPANT, User.territory_id == territory.id, User.active.is_(True))
            .order_by(User.id)
        ).all()
        labs = db.session.scalars(sa.select(Lab).where(Lab.territory_id == territory.id).order_by(Lab.id)).all()
        if manager is None or len(talents) < 4 or not labs:
            continue
        for lab in labs:
            for path, self_service, usual, longest in RULES:
                if path in categories:
                    policies.set_policy(
                        manager,
                        lab,
                        categories[path],
                        self_service=self_service,
                        default_days=usual,
                        max_days=longest,
                    )
        tools = db.session.scalars(
            sa.select(Item)
            .where(
                Item.lab_id == labs[0].id,
                Item.kind == ItemKind.TOOL,
                Item.status == ItemStatus.AVAILABLE,
            )
            .order_by(Item.id.desc())
            .limit(4)
        ).all()
        if len(tools) < 4:
            continue
        for tool_index, talent_index, first, last, purpose, cancelled in RESERVATIONS:
            reservation = reservations.reserve_item(
                manager,
                tools[tool_index],
                starts_on=today + timedelta(days=first),
                ends_on=today + timedelta(days=last),
                borrower=talents[talent_index] if talent_index is not None else None,
                purpose=purpose,
            )
            if cancelled:
                reservations.cancel_reservation(talents[talent_index], reservation)
    db.session.flush()
