"""Stock-take services: found, missing and unexpected items; refusals; confirm and cancel; the audit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, PermissionDenied
from repairlab.inventory import services as inventory
from repairlab.inventory.models import Item, ProblemReport
from repairlab.stocktake import services as stocktake
from repairlab.stocktake.models import StockTake, StockTakeScan, StockTakeStatus
from tests.stocktake.conftest import _item, _scan


def test_state_has_found_missing_and_unexpected_items_with_nested_places(
    db, manager, make_item, shelf, bin_, elsewhere, open_take
):
    on_shelf = _item(make_item, "Multimètre", shelf)
    in_bin = _item(make_item, "Fer à souder", bin_)
    stray = _item(make_item, "Pince", elsewhere)
    _item(make_item, "Scie", elsewhere)
    assert _scan(db, manager, open_take, on_shelf.code).kind == "found"
    assert _scan(db, manager, open_take, stray.code.lower()).kind == "unexpected"
    state = stocktake.state(open_take)
    assert [i.code for i in state.found] == [on_shelf.code]
    assert [i.code for i in state.missing] == [in_bin.code]
    assert [i.code for i in state.unexpected] == [stray.code]
    assert state.counts == {"found": 1, "missing": 1, "unexpected": 1}


def test_an_item_in_a_bin_inside_the_shelf_counts_as_found(db, manager, make_item, bin_, open_take):
    in_bin = _item(make_item, "Fer à souder", bin_)
    assert _scan(db, manager, open_take, in_bin.code).kind == "found"
    assert stocktake.state(open_take).missing == []


def test_retired_and_lent_items_are_not_expected(db, manager, make_item, shelf, open_take, talent, lend):
    retired = _item(make_item, "Vieille perceuse", shelf)
    inventory.retire_item(manager, retired, "Cassée")
    lent = _item(make_item, "Ponceuse", shelf)
    lend(manager, lent, talent)
    assert stocktake.state(open_take).missing == []


def test_scanning_twice_is_harmless(db, manager, make_item, shelf, open_take):
    item = _item(make_item, "Multimètre", shelf)
    _scan(db, manager, open_take, item.code)
    result = _scan(db, manager, open_take, item.code)
    assert result.kind == "already"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StockTakeScan)) == 1


def test_the_database_refuses_a_second_scan_row_of_the_same_item(db, manager, make_item, shelf, open_take):
    item = _item(make_item, "Multimètre", shelf)
    db.session.add_all([StockTakeScan(stock_take_id=open_take.id, item_id=item.id) for _ in range(2)])
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("text", ["RBX-9999", "bonjour", ""])
def test_unknown_codes_are_refused_and_nothing_is_recorded(db, manager, open_take, text):
    result = _scan(db, manager, open_take, text)
    assert result.kind == "unknown"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StockTakeScan)) == 0


def test_the_code_of_a_place_is_refused(db, manager, elsewhere, open_take):
    result = _scan(db, manager, open_take, elsewhere.code)
    assert result.kind == "unknown"
    assert "place" in result.message


def test_an_item_of_another_territory_is_refused(db, manager, make_item, other_lab, open_take):
    foreign = make_item("Perceuse", other_lab)
    result = _scan(db, manager, open_take, foreign.code)
    assert result.kind == "unknown"
    assert "autre territoire" in result.message
    assert stocktake.state(open_take).unexpected == []


def test_an_item_of_another_lab_is_refused(db, manager, make_item, make_lab, open_take):
    other = make_item("Perceuse", make_lab("Atelier Tourcoing"))
    assert _scan(db, manager, open_take, other.code).kind == "unknown"


def test_only_lab_managers_of_the_territory_start_a_stocktake(db, shelf, talent, other_manager):
    for user in (talent, other_manager):
        with pytest.raises(PermissionDenied):
            stocktake.start_stocktake(user, shelf)


def test_an_admin_takes_stock_anywhere(db, admin, shelf):
    assert stocktake.start_stocktake(admin, shelf).status == StockTakeStatus.OPEN


def test_one_open_stocktake_per_place(db, manager, shelf, open_take):
    with pytest.raises(Conflict):
        stocktake.start_stocktake(manager, shelf)


def test_the_database_allows_one_open_stocktake_per_place(db, manager, shelf, open_take):
    db.session.add(StockTake(location_id=shelf.id, territory_id=shelf.territory_id, started_by_id=manager.id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_new_stocktake_may_start_once_the_last_one_is_cancelled(db, manager, shelf, open_take):
    stocktake.cancel(manager, open_take)
    db.session.commit()
    assert stocktake.start_stocktake(manager, shelf).id != open_take.id


def test_confirm_moves_unexpected_items_and_reports_missing_ones(
    db, manager, make_item, shelf, bin_, elsewhere, open_take
):
    on_shelf = _item(make_item, "Multimètre", shelf)
    missing = _item(make_item, "Fer à souder", bin_)
    stray = _item(make_item, "Pince", elsewhere)
    unplaced = _item(make_item, "Tournevis", None)
    for item in (on_shelf, stray, unplaced):
        _scan(db, manager, open_take, item.code)
    stocktake.confirm(manager, open_take)
    db.session.commit()
    assert open_take.status == StockTakeStatus.CONFIRMED and open_take.confirmed_by_id == manager.id
    assert (open_take.found_count, open_take.missing_count, open_take.unexpected_count) == (1, 1, 2)
    assert db.session.get(Item, stray.id).location_id == shelf.id
    assert db.session.get(Item, unplaced.id).location_id == shelf.id
    [report] = db.session.scalars(sa.select(ProblemReport)).all()
    assert report.item_id == missing.id
    assert "Introuvable lors de l’inventaire de" in report.description
    assert shelf.path in report.description


def test_confirm_may_leave_unexpected_items_where_they_are(db, manager, make_item, shelf, elsewhere, open_take):
    stray = _item(make_item, "Pince", elsewhere)
    _scan(db, manager, open_take, stray.code)
    stocktake.confirm(manager, open_take, move_unexpected=False)
    db.session.commit()
    assert db.session.get(Item, stray.id).location_id == elsewhere.id
    assert open_take.unexpected_count == 1


def test_a_finished_stocktake_takes_no_more_scans_nor_confirmation(db, manager, make_item, shelf, open_take):
    item = _item(make_item, "Multimètre", shelf)
    stocktake.confirm(manager, open_take)
    db.session.commit()
    with pytest.raises(Conflict):
        stocktake.record_scan(manager, open_take, item.code)
    with pytest.raises(Conflict):
        stocktake.confirm(manager, open_take)
    with pytest.raises(Conflict):
        stocktake.cancel(manager, open_take)


def test_history_lists_the_place_stocktakes_newest_first(db, manager, shelf, elsewhere, open_take):
    stocktake.cancel(manager, open_take)
    second = stocktake.start_stocktake(manager, shelf)
    stocktake.start_stocktake(manager, elsewhere)
    db.session.commit()
    assert [t.id for t in stocktake.history(shelf)] == [second.id, open_take.id]


def test_every_step_is_audited(db, manager, make_item, shelf, open_take):
    item = _item(make_item, "Multimètre", shelf)
    _scan(db, manager, open_take, item.code)
    stocktake.confirm(manager, open_take)
    db.session.commit()
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.object_type == "stock_takes").order_by(AuditEntry.id)
    ).all()
    assert actions == ["start_stocktake", "stocktake_scan", "confirm_stocktake"]
