"""Stock-take pages: choose a place, scan without and with JavaScript, confirm, cancel, the history."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from repairlab.errors import Conflict
from repairlab.extensions import db as _db
from repairlab.inventory import services as inventory
from repairlab.inventory.models import Item, ProblemReport
from repairlab.stocktake import services as stocktake
from repairlab.stocktake.models import StockTake, StockTakeScan, StockTakeStatus
from tests.inventory.conftest import english
from tests.stocktake.conftest import _item, _scan

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
