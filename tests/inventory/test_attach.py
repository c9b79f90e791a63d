"""Pre-printed labels: scanned by a lab manager, attached to a new item or to an item that already has a code."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, ValidationError
from repairlab.inventory import codes, services
from repairlab.inventory.models import Code, CodeCounter, Item
from repairlab.people.models import Role
from tests.inventory.conftest import english, item_form


@pytest.fixture
def as_manager(client, login, manager):
    login(manager)
    return english(client)


@pytest.fixture
def blank(db, territory, manager, make_item):
    """RBX-0002: a pre-printed code, after RBX-0001 which is an item."""
    make_item("Perceuse")
    [code] = services.issue_blank_codes(manager, territory, 1)
    db.session.commit()
    return code


def _code(db, text: str) -> Code:
    db.session.expire_all()
    return codes.find_code(text)


def test_the_attach_page_offers_both_ways(as_manager, blank):
    response = as_manager.get(f"/inventory/attach/{blank.code.lower()}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This label is not attached yet" in html and blank.code in html
    assert f'action="/inventory/attach/{blank.code}/new"' in html and 'name="item_code"' in html


def test_create_a_new_item_that_carries_the_label(as_manager, db, lab, territory, blank, manager):
    response = as_manager.post(f"/inventory/attach/{blank.code}/new", data=item_form(lab, name="Grille-pain"))
    item = db.session.scalar(sa.select(Item).where(Item.name == "Grille-pain"))
    assert response.status_code == 302 and response.location == f"/inventory/items/{item.id}"
    assert item.code == blank.code
    code = _code(db, blank.code)
    assert (code.target_type, code.target_id) == ("item", item.id) and code.assigned_at is not None
    assert db.session.get(CodeCounter, territory.id).last_number == 2  # no new code issued
    assert as_manager.get(f"/q/{blank.code}").location == f"/inventory/items/{item.id}"
    assert (
        db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "create", AuditEntry.object_id == str(item.id))
        ).actor_id
        == manager.id
    )


def test_attach_the_label_to_an_existing_item(as_manager, db, blank, manager):
    item = db.session.scalar(sa.select(Item).where(Item.code == "RBX-0001"))
    response = as_manager.post(f"/inventory/attach/{blank.code}", data={"item_code": "rbx-1"}, follow_redirects=True)
    assert f"Label {blank.code} now opens Perceuse." in response.get_data(as_text=True)
    assert as_manager.get(f"/q/{blank.code}").location == f"/inventory/items/{item.id}"
    assert as_manager.get("/q/RBX-0001").location == f"/inventory/items/{item.id}"
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "attach_code")).all()
    assert (entry.object_id, entry.after, entry.actor_id) == (str(item.id), {"code": blank.code}, manager.id)


def test_an_attached_label_prints_with_the_items_name(as_manager, blank):
    as_manager.post(f"/inventory/attach/{blank.code}", data={"item_code": "RBX-0001"})
    assert "Perceuse" in as_manager.get(f"/labels/print?code={blank.code}").get_data(as_text=True)


@pytest.mark.parametrize("typed", ["RBX-0404", "nonsense", "RBX-0002"])
def test_attaching_to_an_unknown_item_is_refused(as_manager, db, blank, typed):
    response = as_manager.post(f"/inventory/attach/{blank.code}", data={"item_code": typed})
    assert response.status_code == 400
    assert "No item of this territory has this code." in response.get_data(as_text=True)
    assert _code(db, blank.code).target_type is None


def test_attaching_to_another_territorys_item_is_refused(as_manager, db, blank, make_item, other_lab):
    theirs = make_item("Scie de Paris", other_lab)
    response = as_manager.post(f"/inventory/attach/{blank.code}", data={"item_code": theirs.code})
    assert response.status_code == 400 and _code(db, blank.code).target_type is None


def test_an_invalid_new_item_changes_nothing(as_manager, db, lab, territory, blank):
    response = as_manager.post(f"/inventory/attach/{blank.code}/new", data=item_form(lab, name="", value="-1"))
    assert response.status_code == 400
    assert _code(db, blank.code).target_type is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Item)) == 1


def test_an_attached_label_cannot_be_attached_again(as_manager, db, lab, blank):
    as_manager.post(f"/inventory/attach/{blank.code}", data={"item_code": "RBX-0001"})
    page = as_manager.get(f"/inventory/attach/{blank.code}")
    assert page.status_code == 302 and page.location == f"/q/{blank.code}"
    again = as_manager.post(f"/inventory/attach/{blank.code}/new", data=item_form(lab, name="Intrus"))
    assert again.status_code == 400
    assert "already attached" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(Item).where(Item.name == "Intrus")) is None
    item_id = db.session.scalar(sa.select(Item.id).where(Item.code == "RBX-0001"))
    assert _code(db, blank.code).target_id == item_id


def test_an_items_own_code_cannot_be_attached_elsewhere(db, make_item, manager):
    first, second = make_item(), make_item()
    with pytest.raises(Conflict):
        services.attach_code(manager, codes.find_code(first.code), second)


def test_a_label_of_another_territory_cannot_be_attached_by_the_service(db, make_item, manager, other_territory):
    [theirs] = services.issue_blank_codes(manager, other_territory, 1)
    with pytest.raises(ValidationError):
        services.attach_code(manager, theirs, make_item())


def test_a_label_of_another_territory_cannot_carry_a_new_item(db, lab, manager, other_territory):
    [theirs] = services.issue_blank_codes(manager, other_territory, 1)
    with pytest.raises(Conflict):
        services.create_item(manager, lab, services.ItemFields(name="X", kind="tool"), code=theirs)


def test_another_territorys_manager_cannot_open_our_attach_page(client, login, other_manager, db, blank, lab):
    login(other_manager)
    assert client.get(f"/inventory/attach/{blank.code}").status_code == 404
    assert client.post(f"/inventory/attach/{blank.code}", data={"item_code": "RBX-0001"}).status_code == 404
    assert client.post(f"/inventory/attach/{blank.code}/new", data=item_form(lab)).status_code == 404
    assert _code(db, blank.code).target_type is None


def test_an_admin_cannot_put_a_label_on_an_item_of_another_territorys_lab(client, login, admin, db, blank, other_lab):
    login(admin)
    response = english(client).post(f"/inventory/attach/{blank.code}/new", data=item_form(other_lab, name="X"))
    assert response.status_code == 400
    assert "This label cannot be used here" in response.get_data(as_text=True)
    assert _code(db, blank.code).target_type is None


def test_a_talent_cannot_attach(client, login, make_user, db, blank):
    login(make_user(Role.PARTICIPANT))
    assert client.get(f"/inventory/attach/{blank.code}").status_code == 403
    assert client.post(f"/inventory/attach/{blank.code}", data={"item_code": "RBX-0001"}).status_code == 403


def test_an_unknown_code_has_no_attach_page(as_manager):
    assert as_manager.get("/inventory/attach/RBX-0999").status_code == 404
    assert as_manager.get("/inventory/attach/garbage").status_code == 404
    assert as_manager.post("/inventory/attach/RBX-0999/new", data={}).status_code == 404
