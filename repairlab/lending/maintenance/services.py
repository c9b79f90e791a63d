"""Use cases of maintenance: log what was done on an item, plan what is due, and the desk's list of what is due."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from repairlab import clock, dates
from repairlab.audit.services import record
from repairlab.errors import PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.inventory.models import Item
from repairlab.lending.access import is_desk
from repairlab.lending.maintenance.models import MaintenancePlan, MaintenanceRecord
from repairlab.people.models import User
from repairlab.text import clean_text

MAX_TEXT = 2000
MAX_WHAT = 200
MAX_COST = Decimal("99999999.99")
MAX_EVERY_DAYS = 3650
RECENT_RECORDS = 5
DUE_ROWS = 200


def _ensure_desk(actor: User, item: Item) -> None:
    if not is_desk(actor, item.territory_id):
        raise PermissionDenied(_("Only a lab manager of this territory records maintenance."))


def _cost(value: Decimal | float | int | str | None) -> Decimal:
    try:
        cost = Decimal(str(value if value not in (None, "") else "0")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Write the cost as a number, for example 12.50."), field="cost") from None
    if not cost.is_finite() or cost < 0:
        raise ValidationError(_("The cost cannot be negative."), field="cost")
    if cost > MAX_COST:
        raise ValidationError(_("This cost is too high: check the number."), field="cost")
    return cost


def open_plans(item: Item) -> list[MaintenancePlan]:
    """The item's open plans, soonest due first (one query)."""
    return list(
        db.session.scalars(
            sa.select(MaintenancePlan)
            .where(MaintenancePlan.item_id == item.id, MaintenancePlan.due_on.is_not(None))
            .order_by(MaintenancePlan.due_on, MaintenancePlan.id)
            .limit(DUE_ROWS)
        )
    )


def recent_records(item: Item, limit: int = RECENT_RECORDS) -> list[MaintenanceRecord]:
    """The item's last maintenance records, newest first, with who did them (one query)."""
    return list(
        db.session.scalars(
            sa.select(MaintenanceRecord)
            .where(MaintenanceRecord.item_id == item.id)
            .options(joinedload(MaintenanceRecord.done_by))
            .order_by(MaintenanceRecord.done_on.desc(), MaintenanceRecord.id.desc())
            .limit(limit)
        )
    )


def log_maintenance(
    actor: User,
    item: Item,
    *,
    description: str,
    done_on: date | None = None,
    cost: Decimal | float | int | str | None = None,
    parts: str = "",
    plan: MaintenancePlan | None = None,
) -> MaintenanceRecord:
    """Record maintenance done on an item; done against a plan, the plan moves to its next date or closes."""
    _ensure_desk(actor, item)
    description = clean_text(description, field="description", limit=MAX_TEXT, required=_("Say what was done."))
    today = clock.today()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError(_("The date cannot be in the future."), field="done_on")
    dates.check_day(done_on, "done_on")
    amount = _cost(cost)
    parts = clean_text(parts, field="parts", limit=MAX_TEXT)
    if plan is not None and (plan.item_id != item.id or plan.due_on is None):
        raise ValidationError(_("This planned maintenance is not open on this item."), field="plan")
    entry = MaintenanceRecord(
        item_id=item.id,
        plan_id=plan.id if plan else None,
        done_on=done_on,
        done_by_id=actor.id,
        description=description,
        cost=amount,
        parts=parts,
    )
    db.session.add(entry)
    db.session.flush()
    after = {"item": item.code, "done_on": done_on, "description": description, "cost": str(amount), "parts": parts}
    record(actor, "maintain", entry, after=after, territory_id=item.territory_id, label=f"{item.code} {item.name}")
    if plan is not None:
        before = {"due_on": plan.due_on, "last_done_on": plan.last_done_on}
        plan.last_done_on = done_on
        plan.due_on = done_on + timedelta(days=plan.every_days) if plan.every_days else None
        record(
            actor,
            "update",
            plan,
            before=before,
            after={"due_on": plan.due_on, "last_done_on": plan.last_done_on},
            territory_id=item.territory_id,
            label=plan.what,
        )
    db.session.flush()
    return entry


def plan_maintenance(
    actor: User, item: Item, what: str, due_on: date | None, every_days: int | None = None
) -> MaintenancePlan:
    """Plan maintenance of an item for a date, once or every N days."""
    _ensure_desk(actor, item)
    what = clean_text(what, field="what", limit=MAX_WHAT, required=_("Say what is to be done."))
    if due_on is None:
        raise ValidationError(_("Choose the date it is due."), field="due_on")
    if due_on > clock.today() + timedelta(days=MAX_EVERY_DAYS):
        raise ValidationError(_("Plan it within the next ten years."), field="due_on")
    dates.check_day(due_on, "due_on")
    if every_days is not None and not 0 < every_days <= MAX_EVERY_DAYS:
        raise ValidationError(_("Repeat every 1 to 3650 days, or leave it empty."), field="every_days")
    plan = MaintenancePlan(
        item_id=item.id,
        territory_id=item.territory_id,
        what=what,
        due_on=due_on,
        every_days=every_days,
        created_by_id=actor.id,
    )
    db.session.add(plan)
    db.session.flush()
    record(
        actor,
        "create",
        plan,
        after={"item": item.code, "what": what, "due_on": due_on, "every_days": every_days},
        territory_id=item.territory_id,
        label=what,
    )
    return plan


def maintenance_due(
    territory_id: int | None, on: date | None = None, *, limit: int = DUE_ROWS
) -> list[MaintenancePlan]:
    """Open plans due on or before a day, of a territory (all for None), oldest first (one query)."""
    stmt = (
        sa.select(MaintenancePlan)
        .where(MaintenancePlan.due_on.is_not(None), MaintenancePlan.due_on <= (on or clock.today()))
        .options(joinedload(MaintenancePlan.item))
        .order_by(MaintenancePlan.due_on, MaintenancePlan.id)
        .limit(limit)
    )
    if territory_id is not None:
        stmt = stmt.where(MaintenancePlan.territory_id == territory_id)
    return list(db.session.scalars(stmt))
