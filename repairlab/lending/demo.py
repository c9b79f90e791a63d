"""Demo loans: a few open (some overdue), some returned, and a member card for every talent."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from repairlab import clock
from repairlab.clock import utcnow
from repairlab.demo import DemoContext
from repairlab.extensions import db
from repairlab.inventory.models import Condition, Item, ItemKind, ItemStatus
from repairlab.lending.cards import new_token
from repairlab.lending.models import Loan, LoanKind, MemberCard
from repairlab.people.models import Role, User


def seed_lending(ctx: DemoContext) -> None:
    """Past-dated loans built directly (the services only lend from today)."""
    now = utcnow()
    talents = db.session.scalars(sa.select(User).where(User.role == Role.PARTICIPANT).order_by(User.id)).all()
    for talent in talents:
        db.session.add(MemberCard(user_id=talent.id, token=new_token()))
    for territory in ctx.territories.values():
        people = [t for t in talents if t.territory_id == territory.id and t.active]
        manager = db.session.scalar(
            sa.select(User).where(User.role == Role.LAB_MANAGER, User.territory_id == territory.id).limit(1)
        )
        tools = db.session.scalars(
            sa.select(Item)
            .where(Item.territory_id == territory.id, Item.kind == ItemKind.TOOL, Item.status == ItemStatus.AVAILABLE)
            .order_by(Item.id)
            .limit(8)
        ).all()
        if not people or manager is None or len(tools) < 6:
            continue
        plans = [  # (started days ago, due in days (negative: overdue), returned days ago or None)
            (20, -10, None),
            (12, -3, None),
            (3, 0, None),
            (2, 5, None),
            (30, -23, 24),
            (15, -8, 9),
        ]
        for n, (started, due, returned) in enumerate(plans):
            tool, borrower = tools[n], people[n % len(people)]
            loan = Loan(
                item_id=tool.id,
                territory_id=territory.id,
                borrower_id=borrower.id,
                lent_by_id=manager.id,
                kind=LoanKind.TAKE_HOME,
                started_at=now - timedelta(days=started),
                due_at=clock.end_of_day(clock.today() + timedelta(days=due)),  # as the desk lends: end of a day
                created_at=now - timedelta(days=started),
            )
            if returned is None:
                tool.status = ItemStatus.ON_LOAN
            else:
                loan.returned_at = now - timedelta(days=returned)
                loan.returned_to_id = manager.id
                loan.return_condition = Condition.GOOD
                loan.return_note = "Rendu propre, merci."
            db.session.add(loan)
    db.session.flush()
