"""Demo maintenance: a few records and plans per territory, one plan overdue."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from repairlab import clock
from repairlab.demo import DemoContext
from repairlab.extensions import db
from repairlab.inventory.models import Item, ItemKind
from repairlab.lending.maintenance.models import MaintenancePlan, MaintenanceRecord
from repairlab.people.models import Role, User


def seed_maintenance(ctx: DemoContext) -> None:
    """A few maintenance records and plans per territory, one plan overdue."""
    today = clock.today()
    for territory in ctx.territories.values():
        manager = db.session.scalar(
            sa.select(User).where(User.role == Role.LAB_MANAGER, User.territory_id == territory.id).limit(1)
        )
        tools = db.session.scalars(
            sa.select(Item)
            .where(Item.territory_id == territory.id, Item.kind == ItemKind.TOOL)
            .order_by(Item.id.desc())
            .limit(3)
        ).all()
        if manager is None or len(tools) < 3:
            continue
        records = [
            (tools[0], 40, "Lame changée et carter nettoyé.", Decimal("18.90"), "Lame 24 dents"),
            (tools[0], 10, "Contrôle du câble et de la prise.", Decimal(0), ""),
            (tools[1], 25, "Charbons du moteur remplacés.", Decimal("12.50"), "2 charbons"),
        ]
        for tool, days_ago, description, cost, parts in records:
            db.session.add(
                MaintenanceRecord(
                    item_id=tool.id,
                    done_on=today - timedelta(days=days_ago),
                    done_by_id=manager.id,
                    description=description,
                    cost=cost,
                    parts=parts,
                )
            )
        plans = [
            (tools[0], "Graissage et contrôle général", -5, 90),  # overdue
            (tools[1], "Vérification électrique annuelle", 20, 365),
            (tools[2], "Affûtage", 7, None),
        ]
        for tool, what, due_in, every in plans:
            db.session.add(
                MaintenancePlan(
                    item_id=tool.id,
                    territory_id=territory.id,
                    what=what,
                    due_on=today + timedelta(days=due_in),
                    every_days=every,
                    created_by_id=manager.id,
                )
            )
    db.session.flush()
