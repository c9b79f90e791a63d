"""Items through the web forms and the services: create, validation, edit, status, retire, stock, bulk actions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.audit.models import AuditEntry
from repairlab.errors import ValidationError
from repairlab.inventory import codes, services
from repairlab.inventory.models import Code, CodeCounter, Item, ItemKind, ItemStatus, LocationKind
from tests.inventory.conftest import english, item_form


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _audit(db, item, action: str | None = None) -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).where(AuditEntry.object_type == "items", AuditEntry.object_id == str(item.id))
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


def _state(db) -> tuple[int, int, int, int]:
    """What a refused change must leave untouched: items, codes, audit entries and the counters."""
    counters = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(CodeCounter.last_number), 0)))
    return _count(db, Item), _count(db, Code), _count(db, AuditEntry), counters


@pytest.fixture
def as_manager(client, login, manager):
    login(manager)
    return english(client)


# --- Create ---------------------------------------------------------------------------------------


def test_manager_creates_an_item_with_the_next_code(as_manager, db, lab, make_item, make_category, make_place, manager):
    make_item()
    category, place = make_category("Électronique"), make_place("Zone électronique")
    response = as_manager.post(
        "/inventory/items/new",
        data=item_form(
            lab,
            name="Station de soudage",
            category_id=category.id,
            location_id=place.id,
            brand="Weller",
            model="WE 1010",
            serial_number="SN-1",
            value="129.90",
            acquired_on="2025-03-14",
            source="bought",
            manual_url="https://example.org/manual.pdf",
            safety_notes="Panne à 350 °C",
            condition="new",
        ),
    )
    item = db.session.scalar(sa.select(Item).where(Item.name == "Station de soudage"))
    assert response.status_code == 302 and response.location == f"/inventory/items/{item.id}"
    assert item.code == "RBX-0003"  # after the first item and the place
    assert (item.category_id, item.location_id, item.value, item.acquired_on) == (
        category.id,
        place.id,
        Decimal("129.90"),
        date(2025, 3, 14),
    )
    assert (item.status, item.kind, item.source.value, item.condition.value) == (
        ItemStatus.AVAILABLE,
        ItemKind.TOOL,
        "bought",
        "new",
    )
    [entry] = _audit(db, item, "create")
    assert entry.actor_id == manager.id and entry.after["code"] == "RBX-0003"
    assert entry.after["name"] == "Station de soudage"


def test_create_flashes_the_new_code(as_manager, lab):
    html = as_manager.post(
        "/inventory/items/new", data=item_form(lab, name="Scie sauteuse"), follow_redirects=True
    ).get_data(as_text=True)
    assert "RBX-0001 Scie sauteuse added" in html


def test_a_new_items_code_opens_it(as_manager, db, lab):
    as_manager.post("/inventory/items/new", data=item_form(lab, name="Ponceuse"))
    item = db.session.scalar(sa.select(Item))
    assert as_manager.get(f"/q/{item.code.lower()}").location == f"/inventory/items/{item.id}"


def test_a_part_keeps_quantity_and_threshold(as_manager, db, lab):
    as_manager.post(
        "/inventory/items/new", data=item_form(lab, name="Vis M3", kind="part", quantity=120, low_stock_threshold=20)
    )
    item = db.session.scalar(sa.select(Item))
    assert (item.quantity, item.low_stock_threshold) == (120, 20)


def test_a_tool_ignores_a_quantity(as_manager, db, lab):
    as_manager.post("/inventory/items/new", data=item_form(lab, kind="tool", quantity=5, low_stock_threshold=1))
    item = db.session.scalar(sa.select(Item))
    assert (item.quantity, item.low_stock_threshold) == (None, None)


def test_a_lab_manager_with_one_lab_gets_it_preselected(as_manager, lab):
    html = as_manager.get("/inventory/items/new").get_data(as_text=True)
    assert f'<option selected value="{lab.id}">' in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "   "}, "This field is required."),
        ({"name": "x" * 121}, "Field cannot be longer than 120 characters."),
        ({"value": "-1"}, "Number must be between 0 and 99999999."),
        ({"value": "douze"}, "Not a valid decimal value."),
        (
            {"acquired_on": (clock.today() + timedelta(days=2)).isoformat()},
            "The acquisition date cannot be in the future.",
        ),
        ({"acquired_on": "31/02/2025"}, "Not a valid date value."),
        ({"manual_url": "javascript:alert(1)"}, "The manual link must start with http:// or https://."),
        ({"manual_url": "ftp://example.org/manual"}, "The manual link must start with http:// or https://."),
        ({"manual_url": "https://"}, "The manual link must start with http:// or https://."),
        ({"kind": "weapon"}, "Not a valid choice."),
        ({"kind": "part", "quantity": "-3"}, "Number must be between 0 and 10000000."),
        ({"category_id": "999999"}, "Not a valid choice."),
    ],
)
def test_invalid_item_is_refused_with_its_message_and_changes_nothing(as_manager, db, lab, overrides, message):
    before = _state(db)
    response = as_manager.post("/inventory/items/new", data=item_form(lab, **overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="field-error"' in html and message in html
    assert _state(db) == before


def test_place_of_another_lab_is_refused(as_manager, db, lab, make_lab, make_place):
    other_lab_place = make_place("Zone B", lab_=make_lab("Atelier bis"))
    before = _state(db)
    response = as_manager.post("/inventory/items/new", data=item_form(lab, location_id=other_lab_place.id))
    assert response.status_code == 400
    assert "Choose a place in the item&#39;s lab." in response.get_data(as_text=True)
    assert _state(db) == before


def test_lab_of_another_territory_posted_by_hand_is_refused(as_manager, db, other_lab):
    before = _state(db)
    response = as_manager.post("/inventory/items/new", data=item_form(other_lab))
    assert response.status_code == 400
    assert "Not a valid choice." in response.get_data(as_text=True)
    assert _state(db) == before


def test_without_csrf_token_nothing_is_created(as_manager, db, lab, csrf_enabled):
    before = _state(db)
    assert as_manager.post("/inventory/items/new", data=item_form(lab)).status_code == 400
    assert _state(db) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("value", Decimal("-0.01")),
        ("acquired_on", clock.today() + timedelta(days=1)),
        ("manual_url", "data:text/html,hello"),
        ("quantity", -1),
        ("low_stock_threshold", -1),
        ("value", Decimal("NaN")),
        ("value", Decimal("Infinity")),
        ("value", Decimal(100000000)),
        ("quantity", 10_000_001),
        ("low_stock_threshold", 2**40),
    ],
)
def test_service_refuses_out_of_range_values_naming_the_field(db, lab, field, value):
    data = services.ItemFields(name="Pièce", kind=ItemKind.PART, **{field: value})
    with pytest.raises(ValidationError) as error:
        services.create_item(None, lab, data)
    assert error.value.field == field
    db.session.rollback()
    assert _count(db, Item) == 0


def test_service_refuses_an_unknown_category(db, lab):
    with pytest.raises(ValidationError) as error:
        services.create_item(None, lab, services.ItemFields(name="X", kind=ItemKind.TOOL, category_id=424242))
    assert error.value.field == "category_id"


def test_service_trims_texts(db, lab):
    item = services.create_item(
        None,
        lab,
        services.ItemFields(name="  Perceuse  ", kind=ItemKind.TOOL, brand=" Bosch ", manual_url=" https://x.org/m "),
    )
    assert (item.name, item.brand, item.manual_url) == ("Perceuse", "Bosch", "https://x.org/m")


def test_the_database_refuses_a_quantity_on_a_tool(db, make_item):
    item = make_item(kind=ItemKind.TOOL)
    item.quantity = 3
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_database_refuses_a_negative_value(db, make_item):
    item = make_item()
    item.value = Decimal(-5)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


# --- Edit -----------------------------------------------------------------------------------------


def test_edit_form_shows_the_current_values(as_manager, make_item):
    item = make_item("Multimètre", brand="Fluke", kind=ItemKind.OBJECT)
    html = as_manager.get(f"/inventory/items/{item.id}/edit").get_data(as_text=True)
    assert 'value="Multimètre"' in html and 'value="Fluke"' in html
    assert '<option selected value="object">' in html


def test_edit_saves_changes_with_an_audit_entry(as_manager, db, lab, make_item, manager):
    item = make_item("Multimètre", brand="Fluke")
    response = as_manager.post(
        f"/inventory/items/{item.id}/edit", data=item_form(lab, name="Multimètre 117", brand="Fluke", value="189")
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert (item.name, item.value, item.code) == ("Multimètre 117", Decimal("189.00"), "RBX-0001")
    [entry] = _audit(db, item, "update")
    assert entry.actor_id == manager.id
    assert entry.before["name"] == "Multimètre" and entry.after["name"] == "Multimètre 117"


def test_edit_works_without_the_disabled_lab_field(as_manager, db, lab, make_item):
    # Browsers do not send disabled fields: the edit form must save without lab_id.
    item = make_item("Multimètre")
    data = item_form(lab, name="Multimètre Fluke")
    del data["lab_id"]
    response = as_manager.post(f"/inventory/items/{item.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.name == "Multimètre Fluke"


def test_edit_cannot_move_an_item_to_another_lab(as_manager, db, lab, make_lab, make_item):
    item = make_item()
    other = make_lab("Atelier bis")
    as_manager.post(f"/inventory/items/{item.id}/edit", data=item_form(other, name="Renamed"))
    db.session.refresh(item)
    assert item.lab_id == lab.id


def test_invalid_edit_changes_nothing(as_manager, db, lab, make_item):
    item = make_item("Multimètre")
    before = _state(db)
    response = as_manager.post(f"/inventory/items/{item.id}/edit", data=item_form(lab, name="", value="-2"))
    assert response.status_code == 400
    db.session.refresh(item)
    assert item.name == "Multimètre" and _state(db) == before


def test_a_retired_item_cannot_be_edited(as_manager, db, lab, make_item, manager):
    item = make_item("Vieux fer")
    services.retire_item(manager, item, "HS")
    db.session.commit()
    response = as_manager.post(f"/inventory/items/{item.id}/edit", data=item_form(lab, name="Nouveau nom"))
    assert response.status_code == 400
    assert "This item is retired" in response.get_data(as_text=True)
    db.session.refresh(item)
    assert item.name == "Vieux fer"


def test_edit_of_another_territorys_item_is_not_found(as_manager, make_item, other_lab):
    item = make_item(lab_=other_lab)
    assert as_manager.get(f"/inventory/items/{item.id}/edit").status_code == 404
    assert as_manager.post(f"/inventory/items/{item.id}/edit", data=item_form(other_lab)).status_code == 404


# --- Status, retire, stock ------------------------------------------------------------------------


def test_manager_sets_a_status_by_hand(as_manager, db, make_item, manager):
    item = make_item()
    response = as_manager.post(
        f"/inventory/items/{item.id}/status", data={"status": "under_repair"}, follow_redirects=True
    )
    assert "Status changed." in response.get_data(as_text=True)
    db.session.refresh(item)
    assert item.status == ItemStatus.UNDER_REPAIR
    [entry] = _audit(db, item, "status")
    assert (entry.before["status"], entry.after["status"], entry.actor_id) == ("available", "under_repair", manager.id)


@pytest.mark.parametrize("status", ["on_loan", "retired", "lost", ""])
def test_statuses_that_cannot_be_set_by_hand_are_refused(as_manager, db, make_item, status):
    item = make_item()
    html = as_manager.post(
        f"/inventory/items/{item.id}/status", data={"status": status}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Not a valid choice." in html
    db.session.refresh(item)
    assert item.status == ItemStatus.AVAILABLE and _audit(db, item, "status") == []


def test_service_refuses_on_loan_by_hand(db, make_item, manager):
    with pytest.raises(ValidationError) as error:
        services.set_status(manager, [make_item()], ItemStatus.ON_LOAN)
    assert error.value.field == "status"


def test_a_loaned_items_status_cannot_be_changed_by_hand(as_manager, db, make_item):
    item = make_item()
    item.status = ItemStatus.ON_LOAN
    db.session.commit()
    html = as_manager.post(
        f"/inventory/items/{item.id}/status", data={"status": "available"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "RBX-0001 is on loan: record its return first." in html
    db.session.refresh(item)
    assert item.status == ItemStatus.ON_LOAN


def test_retire_keeps_the_item_its_code_and_the_reason(as_manager, db, make_item, manager):
    item = make_item("Perceuse")
    html = as_manager.post(
        f"/inventory/items/{item.id}/retire", data={"reason": "Moteur grillé"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "The item is retired. Its history is kept." in html
    db.session.refresh(item)
    assert item.status == ItemStatus.RETIRED and item.retired_at is not None
    [entry] = _audit(db, item, "retire")
    assert entry.after["reason"] == "Moteur grillé" and entry.after["status"] == "retired"
    assert _audit(db, item, "create")  # the history is still there
    assert as_manager.get(f"/q/{item.code}").location == f"/inventory/items/{item.id}"
    assert "Retired" in as_manager.get(f"/inventory/items/{item.id}").get_data(as_text=True)


def test_retire_needs_a_reason(as_manager, db, make_item):
    item = make_item()
    html = as_manager.post(f"/inventory/items/{item.id}/retire", data={"reason": "  "}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "This field is required." in html
    db.session.refresh(item)
    assert item.status == ItemStatus.AVAILABLE and _audit(db, item, "retire") == []


def test_service_refuses_a_blank_reason(db, make_item, manager):
    with pytest.raises(ValidationError) as error:
        services.retire_item(manager, make_item(), "   ")
    assert error.value.field == "reason"


def test_a_loaned_item_cannot_be_retired(as_manager, db, make_item):
    item = make_item()
    item.status = ItemStatus.ON_LOAN
    db.session.commit()
    html = as_manager.post(
        f"/inventory/items/{item.id}/retire", data={"reason": "Perdu"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "RBX-0001 is on loan: record its return first." in html
    db.session.refresh(item)
    assert item.status == ItemStatus.ON_LOAN and item.retired_at is None


def test_retiring_twice_changes_nothing(db, make_item, manager):
    item = make_item()
    services.retire_item(manager, item, "HS")
    db.session.commit()
    first = item.retired_at
    services.retire_item(manager, item, "Encore")
    db.session.commit()
    assert item.retired_at == first and len(_audit(db, item, "retire")) == 1


def test_back_in_service(as_manager, db, make_item, manager):
    item = make_item()
    services.retire_item(manager, item, "HS")
    db.session.commit()
    html = as_manager.get(f"/inventory/items/{item.id}").get_data(as_text=True)
    assert "Put it back in service" in html
    as_manager.post(f"/inventory/items/{item.id}/status", data={"status": "available"})
    db.session.refresh(item)
    assert item.status == ItemStatus.AVAILABLE and item.retired_at is None
    [entry] = _audit(db, item, "status")
    assert entry.before["status"] == "retired" and entry.after["retired_at"] is None


def test_stock_correction_of_a_part(as_manager, db, make_item, manager):
    part = make_item("Fusibles 5A", kind=ItemKind.PART, quantity=10, low_stock_threshold=3)
    html = as_manager.post(
        f"/inventory/items/{part.id}/quantity", data={"quantity": "2"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Stock updated." in html
    db.session.refresh(part)
    assert part.quantity == 2 and part.is_low_stock
    [entry] = _audit(db, part, "update")
    assert (entry.before, entry.after) == ({"quantity": 10}, {"quantity": 2})


def test_stock_correction_is_for_parts_only(as_manager, db, make_item):
    tool = make_item(kind=ItemKind.TOOL)
    html = as_manager.post(
        f"/inventory/items/{tool.id}/quantity", data={"quantity": "4"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Only parts and consumables have a quantity." in html
    db.session.refresh(tool)
    assert tool.quantity is None and _audit(db, tool, "update") == []


@pytest.mark.parametrize("quantity", ["-1", "", "beaucoup", "99999999999"])
def test_bad_stock_correction_is_refused(as_manager, db, make_item, quantity):
    part = make_item(kind=ItemKind.PART, quantity=10)
    response = as_manager.post(f"/inventory/items/{part.id}/quantity", data={"quantity": quantity})
    assert response.status_code == 302
    db.session.refresh(part)
    assert part.quantity == 10


def test_status_change_on_another_territorys_item_is_not_found(as_manager, db, make_item, other_lab):
    item = make_item(lab_=other_lab)
    assert as_manager.post(f"/inventory/items/{item.id}/status", data={"status": "under_repair"}).status_code == 404
    db.session.refresh(item)
    assert item.status == ItemStatus.AVAILABLE


# --- Bulk actions ---------------------------------------------------------------------------------


def test_bulk_move(as_manager, db, make_item, make_place, manager):
    shelf = make_place("Étagère A", LocationKind.SHELF)
    a, b, c = make_item(), make_item(), make_item()
    html = as_manager.post(
        "/inventory/bulk", data={"action": "move", "ids": [a.id, b.id], "location_id": shelf.id}, follow_redirects=True
    ).get_data(as_text=True)
    assert "2 items moved." in html
    for item in (a, b, c):
        db.session.refresh(item)
    assert (a.location_id, b.location_id, c.location_id) == (shelf.id, shelf.id, None)
    assert [e.after for e in _audit(db, a, "move")] == [{"location_id": shelf.id}]


def test_bulk_move_to_no_place(as_manager, db, make_item, make_place):
    shelf = make_place()
    item = make_item(location_id=shelf.id)
    as_manager.post("/inventory/bulk", data={"action": "move", "ids": [item.id], "location_id": ""})
    db.session.refresh(item)
    assert item.location_id is None


def test_bulk_move_to_another_lab_is_refused_for_all(as_manager, db, lab, make_lab, make_item, make_place):
    elsewhere = make_place("Zone bis", lab_=make_lab("Atelier bis"))
    a, b = make_item(), make_item()
    html = as_manager.post(
        "/inventory/bulk",
        data={"action": "move", "ids": [a.id, b.id], "location_id": elsewhere.id},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "belongs to another lab" in html
    for item in (a, b):
        db.session.refresh(item)
        assert item.location_id is None and _audit(db, item, "move") == []


def test_bulk_move_to_a_place_of_another_territory_is_not_found(as_manager, db, make_item, make_place, other_lab):
    elsewhere = make_place("Zone Paris", lab_=other_lab)
    item = make_item()
    response = as_manager.post(
        "/inventory/bulk", data={"action": "move", "ids": [item.id], "location_id": elsewhere.id}
    )
    assert response.status_code == 404
    db.session.refresh(item)
    assert item.location_id is None


def test_bulk_status(as_manager, db, make_item):
    a, b = make_item(), make_item()
    html = as_manager.post(
        "/inventory/bulk",
        data={"action": "status", "ids": [a.id, b.id], "status": "out_of_service"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "2 items changed." in html
    for item in (a, b):
        db.session.refresh(item)
        assert item.status == ItemStatus.OUT_OF_SERVICE


@pytest.mark.parametrize("status", ["on_loan", "retired", "nonsense"])
def test_bulk_status_refuses_statuses_not_set_by_hand(as_manager, db, make_item, status):
    item = make_item()
    html = as_manager.post(
        "/inventory/bulk", data={"action": "status", "ids": [item.id], "status": status}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Choose a status." in html
    db.session.refresh(item)
    assert item.status == ItemStatus.AVAILABLE


def test_bulk_status_with_a_loaned_item_changes_none(as_manager, db, make_item):
    a, b = make_item(), make_item()
    b.status = ItemStatus.ON_LOAN
    db.session.commit()
    html = as_manager.post(
        "/inventory/bulk",
        data={"action": "status", "ids": [a.id, b.id], "status": "under_repair"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "RBX-0002 is on loan" in html
    db.session.refresh(a)
    assert a.status == ItemStatus.AVAILABLE


def test_bulk_labels_opens_the_print_page_with_the_codes(as_manager, make_item):
    a, b, _c = make_item("Perceuse"), make_item("Scie"), make_item("Ponceuse")
    response = as_manager.post("/inventory/bulk", data={"action": "labels", "ids": [b.id, a.id]})
    assert response.status_code == 302
    assert response.location.startswith("/labels/print?")
    assert "code=RBX-0001" in response.location and "code=RBX-0002" in response.location
    assert "RBX-0003" not in response.location
    html = as_manager.get(response.location).get_data(as_text=True)
    assert "Perceuse" in html and "Scie" in html and "Ponceuse" not in html


def test_bulk_ignores_items_of_another_territory_posted_by_hand(as_manager, db, make_item, other_lab):
    mine, theirs = make_item(), make_item(lab_=other_lab)
    as_manager.post("/inventory/bulk", data={"action": "status", "ids": [mine.id, theirs.id], "status": "under_repair"})
    db.session.refresh(mine)
    db.session.refresh(theirs)
    assert (mine.status, theirs.status) == (ItemStatus.UNDER_REPAIR, ItemStatus.AVAILABLE)
    labels = as_manager.post("/inventory/bulk", data={"action": "labels", "ids": [mine.id, theirs.id]})
    assert theirs.code not in labels.location


def test_bulk_with_only_another_territorys_items_says_select_one(as_manager, db, make_item, other_lab):
    theirs = make_item(lab_=other_lab)
    for action in ("labels", "status", "move"):
        html = as_manager.post(
            "/inventory/bulk",
            data={"action": action, "ids": [theirs.id], "status": "under_repair"},
            follow_redirects=True,
        ).get_data(as_text=True)
        assert "Select at least one item." in html, action
    db.session.refresh(theirs)
    assert theirs.status == ItemStatus.AVAILABLE


def test_bulk_without_selection_says_so(as_manager):
    html = as_manager.post("/inventory/bulk", data={"action": "labels"}, follow_redirects=True).get_data(as_text=True)
    assert "Select at least one item." in html


def test_bulk_with_unknown_action_says_so(as_manager, make_item):
    item = make_item()
    html = as_manager.post(
        "/inventory/bulk", data={"action": "delete", "ids": [item.id]}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Choose an action." in html


def test_bulk_keeps_the_list_filters(as_manager, make_item):
    item = make_item()
    response = as_manager.post(
        "/inventory/bulk?kind=tool&q=x", data={"action": "status", "ids": [item.id], "status": "under_repair"}
    )
    assert response.location == "/inventory/?kind=tool&q=x"


def test_bulk_ignores_ids_that_are_not_numbers(as_manager, make_item):
    item = make_item()
    response = as_manager.post("/inventory/bulk", data={"action": "labels", "ids": ["x", "-1", "1e3", str(item.id)]})
    assert response.status_code == 302 and "code=RBX-0001" in response.location


def test_talent_cannot_use_bulk_actions(client, login, talent, db, make_item):
    item = make_item()
    login(talent)
    assert (
        client.post(
            "/inventory/bulk", data={"action": "status", "ids": [item.id], "status": "out_of_service"}
        ).status_code
        == 403
    )
    db.session.refresh(item)
    assert item.status == ItemStatus.AVAILABLE


def test_admin_bulk_acts_on_every_territory(client, login, admin, db, make_item, other_lab):
    mine, theirs = make_item(), make_item(lab_=other_lab)
    login(admin)
    client.post("/inventory/bulk", data={"action": "status", "ids": [mine.id, theirs.id], "status": "under_repair"})
    db.session.refresh(mine)
    db.session.refresh(theirs)
    assert mine.status == theirs.status == ItemStatus.UNDER_REPAIR


def test_lookup_by_code_after_an_edit(db, make_item, manager, lab):
    item = make_item("Perceuse")
    services.update_item(manager, item, services.ItemFields(name="Perceuse 18 V", kind=ItemKind.TOOL))
    db.session.commit()
    assert codes.find_code(item.code).target_id == item.id and item.code == "RBX-0001"
