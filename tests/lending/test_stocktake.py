"""Stock-take: the service rules (found, missing, unexpected; refusals; confirm) and the pages."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, PermissionDenied
from repairlab.extensions import db as _db
from repairlab.inventory import services as inventory
from repairlab.inventory.models import Item, LocationKind, ProblemReport
from repairlab.lending import stocktake
from repairlab.lending.stocktake_models import StockTake, StockTakeScan, StockTakeStatus
from tests.inventory.conftest import english


def _place(lab, name, kind=LocationKind.ZONE, parent=None):
    place = inventory.create_location(None, lab, name, kind, parent)
    _db.session.commit()
    return place


@pytest.fixture
def shelf(lab):
    """Zone électronique > Étagère A: the place counted."""
    return _place(lab, "Étagère A", LocationKind.SHELF, _place(lab, "Zone électronique"))


@pytest.fixture
def bin_(lab, shelf):
    """A bin inside the shelf: counted with it."""
    return _place(lab, "Bac 1", LocationKind.BIN, shelf)


@pytest.fixture
def elsewhere(lab):
    """Another place of the same lab."""
    return _place(lab, "Réserve")


@pytest.fixture
def open_take(db, manager, shelf):
    """A stock-take of the shelf in progress."""
    take = stocktake.start_stocktake(manager, shelf)
    db.session.commit()
    return take


def _item(make_item, name, place):
    return make_item(name, location_id=place.id if place else None)


def _scan(db, manager, take, code):
    result = stocktake.record_scan(manager, take, code)
    db.session.commit()
    return result


# --- Services -------------------------------------------------------------------------------------


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


# --- Views ----------------------------------------------------------------------------------------


def test_the_new_page_lists_the_places_and_starts_a_stocktake(client, login, manager, shelf):
    english(login(manager))
    page = client.get(f"/lending/stocktake/new?location={shelf.id}")
    assert page.status_code == 200
    assert "Zone électronique &gt; Étagère A" in page.get_data(as_text=True)
    response = client.post("/lending/stocktake/start", data={"location_id": str(shelf.id)})
    take = _db.session.scalar(sa.select(StockTake))
    assert response.status_code == 302 and response.location.endswith(f"/lending/stocktake/{take.id}")


def test_starting_twice_leads_to_the_stocktake_in_progress(client, login, manager, shelf, open_take):
    english(login(manager))
    response = client.post("/lending/stocktake/start", data={"location_id": str(shelf.id)}, follow_redirects=True)
    assert "already in progress" in response.get_data(as_text=True)
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(StockTake)) == 1


def test_the_no_javascript_flow(client, login, manager, make_item, shelf, bin_, open_take):
    english(login(manager))
    found = _item(make_item, "Multimètre", shelf)
    missing = _item(make_item, "Fer à souder", bin_)
    url = f"/lending/stocktake/{open_take.id}"
    response = client.post(f"{url}/scan", data={"code": found.code})
    assert response.status_code == 302 and response.location.endswith(url)
    html = client.get(url).get_data(as_text=True)
    assert f"Found: {found.code} Multimètre." in html
    found_list = html.split('data-list="found"')[1].split("</ul>")[0]
    missing_list = html.split('data-list="missing"')[1].split("</ul>")[0]
    assert found.code in found_list and missing.code in missing_list
    html = client.post(f"{url}/scan", data={"code": "RBX-9999"}, follow_redirects=True).get_data(as_text=True)
    assert "No thing has the code RBX-9999." in html
    html = client.post(f"{url}/confirm", data={"move_unexpected": "y"}, follow_redirects=True).get_data(as_text=True)
    assert "Stock-take confirmed: 1 found, 1 missing, 0 unexpected." in html
    assert "Summary" in html


def test_an_empty_scan_is_refused_with_a_message(client, login, manager, open_take):
    english(login(manager))
    html = client.post(f"/lending/stocktake/{open_take.id}/scan", data={"code": ""}, follow_redirects=True)
    assert "Type or scan a code first" in html.get_data(as_text=True)


def test_cancel_changes_nothing_and_shows_the_history(client, login, manager, make_item, shelf, elsewhere, open_take):
    english(login(manager))
    stray = _item(make_item, "Pince", elsewhere)
    client.post(f"/lending/stocktake/{open_take.id}/scan", data={"code": stray.code})
    response = client.post(f"/lending/stocktake/{open_take.id}/cancel", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Stock-take cancelled" in html and "Cancelled" in html
    assert _db.session.get(Item, stray.id).location_id == elsewhere.id


def test_the_history_page_shows_the_counts(db, client, login, manager, shelf, open_take):
    stocktake.confirm(manager, open_take)
    db.session.commit()
    english(login(manager))
    html = client.get(f"/lending/stocktake/history?location={shelf.id}").get_data(as_text=True)
    assert "Confirmed" in html and f"/lending/stocktake/{open_take.id}" in html


def _token(client, url: str) -> str:
    return re.search(r'data-csrf="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def test_the_json_endpoint_answers_with_the_kind_and_the_counts(
    csrf_enabled, client, login, manager, make_item, shelf, bin_, open_take
):
    login(manager)
    found = _item(make_item, "Multimètre", shelf)
    _item(make_item, "Fer à souder", bin_)
    url = f"/lending/stocktake/{open_take.id}"
    token = _token(client, url)
    response = client.post(f"{url}/scan.json", json={"code": found.code.lower()}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.json["kind"] == "found"
    assert response.json["code"] == found.code and response.json["name"] == "Multimètre"
    assert response.json["counts"] == {"found": 1, "missing": 1, "unexpected": 0}
    again = client.post(f"{url}/scan.json", json={"code": found.code}, headers={"X-CSRFToken": token})
    assert again.json["kind"] == "already"
    unknown = client.post(f"{url}/scan.json", json={"code": "RBX-9999"}, headers={"X-CSRFToken": token})
    assert unknown.status_code == 200 and unknown.json["kind"] == "unknown" and unknown.json["message"]


def test_the_json_endpoint_needs_the_csrf_token(csrf_enabled, client, login, manager, make_item, shelf, open_take):
    login(manager)
    item = _item(make_item, "Multimètre", shelf)
    response = client.post(f"/lending/stocktake/{open_take.id}/scan.json", json={"code": item.code})
    assert response.status_code == 400
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(StockTakeScan)) == 0


def test_the_json_endpoint_refuses_a_finished_stocktake(db, client, login, manager, make_item, shelf, open_take):
    item = _item(make_item, "Multimètre", shelf)
    stocktake.cancel(manager, open_take)
    db.session.commit()
    login(manager)
    response = client.post(f"/lending/stocktake/{open_take.id}/scan.json", json={"code": item.code})
    assert response.status_code == 409 and response.json["kind"] == "error"


def test_the_scanning_page_runs_a_bounded_number_of_queries(
    client, login, manager, make_item, shelf, open_take, query_counter
):
    login(manager)
    for n in range(6):
        item = _item(make_item, f"Outil {n}", shelf)
        if n % 2:
            stocktake.record_scan(manager, open_take, item.code)
    _db.session.commit()
    with query_counter() as count:
        assert client.get(f"/lending/stocktake/{open_take.id}").status_code == 200
    assert count.value <= 12


def test_two_confirmations_at_once_cannot_both_succeed(db, manager, make_item, bin_, open_take):
    _item(make_item, "Fer à souder", bin_)
    # Someone else cancels between this page's load and the click: the object in memory still says "open".
    db.session.execute(
        sa.update(StockTake)
        .where(StockTake.id == open_take.id)
        .values(status=StockTakeStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    assert open_take.status == StockTakeStatus.OPEN
    with pytest.raises(Conflict):
        stocktake.confirm(manager, open_take)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProblemReport)) == 0


def test_a_place_id_too_large_for_the_database_is_not_found(client, login, manager):
    english(login(manager))
    huge = "99999999999999999999"
    assert client.get(f"/lending/stocktake/new?location={huge}").status_code == 404
    assert client.get(f"/lending/stocktake/history?location={huge}").status_code == 404
    assert client.post("/lending/stocktake/start", data={"location_id": huge}).status_code == 404


@pytest.mark.parametrize("body", [[1, 2], "RBX-0001", 42])
def test_a_json_scan_that_is_not_an_object_asks_for_a_code(client, login, manager, open_take, body):
    english(login(manager))
    response = client.post(f"/lending/stocktake/{open_take.id}/scan.json", json=body)
    assert response.status_code == 400 and response.get_json()["kind"] == "unknown"


def test_the_counts_after_a_scan_match_the_lists_without_loading_them(
    db, manager, make_item, shelf, bin_, elsewhere, open_take, query_counter
):
    on_shelf = _item(make_item, "Multimètre", shelf)
    _item(make_item, "Fer à souder", bin_)
    on_loan = _item(make_item, "Perceuse", shelf)
    on_loan.status = inventory.ItemStatus.ON_LOAN
    stray = _item(make_item, "Pince", elsewhere)
    db.session.commit()
    for item in (on_shelf, stray, on_loan):
        _scan(db, manager, open_take, item.code)
    assert open_take.location.path  # loaded, as on the page
    with query_counter() as count:
        counts = stocktake.counts(open_take)
    assert counts == stocktake.state(open_take).counts == {"found": 2, "missing": 1, "unexpected": 1}
    assert count.value <= 2
