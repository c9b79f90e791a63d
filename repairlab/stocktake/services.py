"""Use cases of the stock-take: count a place by scanning, then confirm (move strays in, report the missing)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from repairlab.audit.services import record
from repairlab.auth import can_access_territory, has_role
from repairlab.clock import utcnow
from repairlab.errors import Conflict, PermissionDenied
from repairlab.extensions import db
from repairlab.inventory.codes import find_code
from repairlab.inventory.models import Item, ItemStatus, Location
from repairlab.inventory.services import ITEM_TARGET, LOCATION_TARGET, move_items, report_problem
from repairlab.people.models import Role, User
from repairlab.stocktake.models import StockTake, StockTakeScan, StockTakeStatus

HISTORY_ROWS = 50
# Items that are legitimately away from their shelf are not expected there.
NOT_EXPECTED = (ItemStatus.RETIRED, ItemStatus.ON_LOAN)


@dataclass
class ScanResult:
    """What one scan did: kind is found, unexpected, already or unknown (refused, nothing recorded)."""

    kind: str
    message: str
    code: str = ""
    item: Item | None = None


@dataclass
class StockTakeState:
    """The three lists of a stock-take, each sorted by code."""

    found: list[Item] = field(default_factory=list)
    missing: list[Item] = field(default_factory=list)
    unexpected: list[Item] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """How many in each list."""
        return {"found": len(self.found), "missing": len(self.missing), "unexpected": len(self.unexpected)}


def may_take_stock(user: User | None, territory_id: int) -> bool:
    """Lab managers of the territory and admins count places."""
    return has_role(user, Role.LAB_MANAGER, Role.ADMIN) and can_access_territory(user, territory_id)


def _ensure_allowed(actor: User, territory_id: int) -> None:
    if not may_take_stock(actor, territory_id):
        raise PermissionDenied(_("Only the lab managers of this territory can take stock."))


def _ensure_open(stocktake: StockTake) -> None:
    if stocktake.status != StockTakeStatus.OPEN:
        raise Conflict(_("This stock-take is already finished."))


def place_ids(location: Location):
    """A select of the ids of the place and every place inside it (by path)."""
    return sa.select(Location.id).where(
        Location.lab_id == location.lab_id,
        sa.or_(Location.id == location.id, Location.path.startswith(location.path + " > ", autoescape=True)),
    )


def _close(stocktake: StockTake, status: StockTakeStatus, **values) -> None:
    """Leave the open state with a guarded update: two people confirming at once cannot both succeed."""
    result = db.session.execute(
        sa.update(StockTake)
        .where(StockTake.id == stocktake.id, StockTake.status == StockTakeStatus.OPEN)
        .values(status=status, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("This stock-take is already finished."))
    db.session.refresh(stocktake)


def open_stocktake_of(location: Location) -> StockTake | None:
    """The stock-take in progress at a place, if any."""
    return db.session.scalar(
        sa.select(StockTake).where(StockTake.location_id == location.id, StockTake.status == StockTakeStatus.OPEN)
    )


def get_stocktake(stocktake_id: int) -> StockTake | None:
    """A stock-take with its place, or None."""
    return db.session.scalar(
        sa.select(StockTake).options(joinedload(StockTake.location)).where(StockTake.id == stocktake_id)
    )


def start_stocktake(actor: User, location: Location) -> StockTake:
    """Open a stock-take of a place; only one at a time per place (the database enforces it)."""
    _ensure_allowed(actor, location.territory_id)
    if open_stocktake_of(location) is not None:
        raise Conflict(_("A stock-take of this place is already in progress."))
    stocktake = StockTake(location=location, territory_id=location.territory_id, started_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(stocktake)
    except sa.exc.IntegrityError:
        raise Conflict(_("A stock-take of this place is already in progress.")) from None
    record(actor, "start_stocktake", stocktake, after={"location": location.code}, label=location.path)
    return stocktake


def record_scan(actor: User, stocktake: StockTake, code_text: str) -> ScanResult:
    """Record one scanned or typed code; refusals (unknown code, a place, another territory) record nothing."""
    _ensure_allowed(actor, stocktake.territory_id)
    _ensure_open(stocktake)
    text = (code_text or "").strip()[:200]
    code = find_code(text) if text else None
    if code is None:
        shown = text[:40]
        return ScanResult("unknown", _("No thing has the code %(code)s.", code=shown) if shown else "", shown)
    if code.territory_id != stocktake.territory_id:
        return ScanResult("unknown", _("%(code)s belongs to another territory.", code=code.code), code.code)
    if code.target_type == LOCATION_TARGET:
        return ScanResult("unknown", _("%(code)s is the label of a place, not of an item.", code=code.code), code.code)
    item = db.session.get(Item, code.target_id) if code.target_type == ITEM_TARGET and code.target_id else None
    if item is None:
        return ScanResult("unknown", _("The code %(code)s is not on any item.", code=code.code), code.code)
    location = stocktake.location
    if item.lab_id != location.lab_id:
        return ScanResult(
            "unknown",
            _("%(code)s belongs to another lab: put it back there.", code=item.code),
            item.code,
            item,
        )
    seen = db.session.scalar(
        sa.select(StockTakeScan.id).where(StockTakeScan.stock_take_id == stocktake.id, StockTakeScan.item_id == item.id)
    )
    if seen is None:
        try:
            with db.session.begin_nested():
                db.session.add(StockTakeScan(stock_take_id=stocktake.id, item_id=item.id))
        except sa.exc.IntegrityError:  # the same label scanned twice at the same instant
            seen = True
    if seen is not None:
        return ScanResult(
            "already", _("%(code)s %(name)s was already scanned.", code=item.code, name=item.name), item.code, item
        )
    record(actor, "stocktake_scan", stocktake, after={"item": item.code}, label=location.path)
    if item.location_id is not None and item.location_id in set(db.session.scalars(place_ids(location))):
        return ScanResult("found", _("Found: %(code)s %(name)s.", code=item.code, name=item.name), item.code, item)
    return ScanResult(
        "unexpected",
        _(
            "Not expected here: %(code)s %(name)s. It will be moved here when you confirm.",
            code=item.code,
            name=item.name,
        ),
        item.code,
        item,
    )


def state(stocktake: StockTake) -> StockTakeState:
    """Found, missing and unexpected items of a stock-take, computed from the scans and the places (3 queries)."""
    ids = set(db.session.scalars(place_ids(stocktake.location)))
    scanned = db.session.scalars(
        sa.select(Item)
        .join(StockTakeScan, StockTakeScan.item_id == Item.id)
        .where(StockTakeScan.stock_take_id == stocktake.id)
        .order_by(Item.code)
    ).all()
    expected = db.session.scalars(
        sa.select(Item).where(Item.location_id.in_(ids), Item.status.not_in(NOT_EXPECTED)).order_by(Item.code)
    ).all()
    scanned_ids = {item.id for item in scanned}
    result = StockTakeState()
    for item in scanned:
        (result.found if item.location_id in ids else result.unexpected).append(item)
    result.missing = [item for item in expected if item.id not in scanned_ids]
    return result


def counts(stocktake: StockTake) -> dict[str, int]:
    """How many found, missing and unexpected, counted in the database (two queries, whatever the place holds):
    what the page's script needs after each scan, without loading the place's items."""
    here = place_ids(stocktake.location)
    found, scanned = db.session.execute(
        sa.select(sa.func.count().filter(Item.location_id.in_(here)), sa.func.count())
        .select_from(StockTakeScan)
        .join(Item, Item.id == StockTakeScan.item_id)
        .where(StockTakeScan.stock_take_id == stocktake.id)
    ).one()
    seen = sa.select(StockTakeScan.item_id).where(StockTakeScan.stock_take_id == stocktake.id)
    missing = db.session.scalar(
        sa.select(sa.func.count(Item.id)).where(
            Item.location_id.in_(here), Item.status.not_in(NOT_EXPECTED), Item.id.not_in(seen)
        )
    )
    return {"found": found, "missing": missing, "unexpected": scanned - found}


def confirm(actor: User, stocktake: StockTake, *, move_unexpected: bool = True) -> StockTakeState:
    """Close the stock-take: keep the counts, move the unexpected items here, report each missing item."""
    _ensure_allowed(actor, stocktake.territory_id)
    _ensure_open(stocktake)
    result = state(stocktake)
    location = stocktake.location
    now = utcnow()
    _close(
        stocktake,
        StockTakeStatus.CONFIRMED,
        confirmed_at=now,
        confirmed_by_id=actor.id,
        found_count=len(result.found),
        missing_count=len(result.missing),
        unexpected_count=len(result.unexpected),
    )
    if move_unexpected and result.unexpected:
        move_items(actor, result.unexpected, location)
    note = _(
        "Not found during the stock-take of %(place)s on %(date)s.",
        place=location.path,
        date=format_date(now, "short"),
    )
    for item in result.missing:
        report_problem(actor, item, note)
    record(
        actor,
        "confirm_stocktake",
        stocktake,
        before={"status": StockTakeStatus.OPEN.value},
        after={"status": stocktake.status.value, **result.counts, "moved": move_unexpected},
        label=location.path,
    )
    return result


def cancel(actor: User, stocktake: StockTake) -> StockTake:
    """Drop a stock-take in progress: nothing is moved or reported."""
    _ensure_allowed(actor, stocktake.territory_id)
    _ensure_open(stocktake)
    _close(stocktake, StockTakeStatus.CANCELLED)
    record(
        actor,
        "cancel_stocktake",
        stocktake,
        before={"status": StockTakeStatus.OPEN.value},
        after={"status": stocktake.status.value},
        label=stocktake.location.path,
    )
    return stocktake


def history(location: Location, *, limit: int = HISTORY_ROWS) -> list[StockTake]:
    """The latest stock-takes of a place, newest first, with who started and confirmed them."""
    return list(
        db.session.scalars(
            sa.select(StockTake)
            .options(joinedload(StockTake.started_by), joinedload(StockTake.confirmed_by))
            .where(StockTake.location_id == location.id)
            .order_by(StockTake.started_at.desc(), StockTake.id.desc())
            .limit(limit)
        )
    )


def places_of(territory_id: int | None) -> list[Location]:
    """Places a stock-take may start from, in path order (all territories when None)."""
    stmt = sa.select(Location).order_by(Location.path)
    if territory_id is not None:
        stmt = stmt.where(Location.territory_id == territory_id)
    return list(db.session.scalars(stmt.limit(500)))
