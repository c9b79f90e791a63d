"""Demo stock-takes: one past, confirmed count of a shelf in every lab."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from repairlab.clock import utcnow
from repairlab.demo import DemoContext
from repairlab.extensions import db
from repairlab.inventory.models import Item, ItemStatus, Location, LocationKind
from repairlab.people.models import Lab, Role, User
from repairlab.stocktake.models import StockTake, StockTakeScan, StockTakeStatus


def seed_stocktakes(ctx: DemoContext) -> None:
    """Built directly with past dates (the services count today); every item of the shelf was found."""
    started = utcnow() - timedelta(days=21)
    for lab in db.session.scalars(sa.select(Lab).order_by(Lab.id)):
        shelf = db.session.scalar(
            sa.select(Location)
            .where(Location.lab_id == lab.id, Location.kind == LocationKind.SHELF)
            .order_by(Location.id)
            .limit(1)
        )
        manager = db.session.scalar(
            sa.select(User).where(User.role == Role.LAB_MANAGER, User.territory_id == lab.territory_id).limit(1)
        )
        if shelf is None or manager is None:
            continue
        items = db.session.scalars(
            sa.select(Item).where(Item.location_id == shelf.id, Item.status != ItemStatus.RETIRED).order_by(Item.id)
        ).all()
        stocktake = StockTake(
            location_id=shelf.id,
            territory_id=lab.territory_id,
            started_by_id=manager.id,
            started_at=started,
            status=StockTakeStatus.CONFIRMED,
            confirmed_at=started + timedelta(minutes=25),
            confirmed_by_id=manager.id,
            found_count=len(items),
            missing_count=0,
            unexpected_count=0,
        )
        db.session.add(stocktake)
        db.session.flush()
        for n, item in enumerate(items):
            db.session.add(
                StockTakeScan(
                    stock_take_id=stocktake.id, item_id=item.id, scanned_at=started + timedelta(seconds=20 * n)
                )
            )
    db.session.flush()
