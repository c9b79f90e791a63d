"""Codes, items, places and loans through the API: the web's own filters, services, rules and words."""

from __future__ import annotations

import html

import sqlalchemy as sa

from repairlab.audit.models import AuditEntry
from repairlab.extensions import db
from repairlab.inventory import requirements
from repairlab.inventory.models import Item, ItemKind, ItemStatus
from repairlab.lending import cards
from repairlab.lending.models import Loan
from repairlab.people.models import Role


def test_items_are_listed_with_the_web_lists_search_filters_and_pages(api, manager, make_item, other_lab):
    for n in range(3):
        make_item(f"Perceuse {n}")
    make_item("Vis à bois", kind=ItemKind.PART, quantity=2, low_stock_threshold=5)
    make_item("Perceuse d'ailleurs", lab_=other_lab)
    caller = api(manager)
    listed = caller.get("/api/v1/items", query_string={"per_page": 2}).json
    assert (listed["total"], listed["pages"], len(listed["items"])) == (4, 2, 2)
    second = caller.get("/api/v1/items", query_string={"per_page": 2, "page": 2}).json
    assert {i["name"] for i in listed["items"]} | {i["name"] for i in second["items"]} == {
        "Perceuse 0",
        "Perceuse 1",
        "Perceuse 2",
        "Vis à bois",
    }
    found = caller.get("/api/v1/items", query_string={"q": "perceuse"}).json
    assert found["total"] == 3  # the other territory's drill is not seen
    low = caller.get("/api/v1/items", query_string={"low_stock": "1"}).json
    assert [i["name"] for i in low["items"]] == ["Vis à bois"]
    bad = caller.get("/api/v1/items", query_string={"kind": "spaceship"})
    assert bad.status_code == 422 and "kind" in bad.json["errors"]["query"]


def test_an_item_of_another_territory_is_not_found(api, manager, make_item, other_lab):
    theirs = make_item("Scie", lab_=other_lab)
    response = api(manager).get(f"/api/v1/items/{theirs.id}")
    assert (response.status_code, response.mimetype) == (404, "application/problem+json")
    code = api(manager).get(f"/api/v1/codes/{theirs.code}")
    assert code.status_code == 404


def test_a_code_resolves_to_its_item(api, talent, make_item):
    item = make_item("Ponceuse")
    body = api(talent).get(f"/api/v1/codes/{item.code.lower()}").json
    assert (body["target_type"], body["target_id"], body["code"]) == ("item", item.id, item.code)
    assert body["url"].endswith(f"/inventory/items/{item.id}")


def test_a_manager_creates_and_changes_an_item_with_the_services_rules(api, manager, lab, other_lab):
    caller = api(manager)
    created = caller.post("/api/v1/items", json={"lab_id": lab.id, "name": "  Scie   sauteuse ", "kind": "tool"})
    assert created.status_code == 201
    item = db.session.get(Item, created.json["id"])
    assert item.name == "Scie sauteuse"  # the service's clean_name
    changed = caller.patch(f"/api/v1/items/{item.id}", json={"brand": "Bosch", "value": 129.9})
    assert (changed.status_code, changed.json["brand"], changed.json["value"]) == (200, "Bosch", 129.9)
    assert changed.json["name"] == "Scie sauteuse"  # what was not sent is kept
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_type == "items")).all()
    assert actions == ["create", "update"]
    future = caller.patch(f"/api/v1/items/{item.id}", json={"acquired_on": "2099-01-01"})
    assert future.status_code == 422
    assert (future.json["detail"], future.json["field"]) == (
        "The acquisition date cannot be in the future.",
        "acquired_on",
    )
    elsewhere = caller.post("/api/v1/items", json={"lab_id": other_lab.id, "name": "Scie", "kind": "tool"})
    assert (elsewhere.status_code, elsewhere.json["field"]) == (422, "lab_id")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Item)) == 1


def test_a_refusal_is_translated_and_changes_nothing(api, manager, lab):
    response = api(manager, lang="fr").post("/api/v1/items", json={"lab_id": lab.id, "name": "   ", "kind": "tool"})
    assert (response.status_code, response.json["detail"], response.json["field"]) == (422, "Indiquez un nom.", "name")
    assert response.json["title"] == "Données non valides"


def test_a_talent_and_a_mentor_cannot_add_items(api, talent, make_user, lab):
    for user in (talent, make_user(Role.MENTOR)):
        response = api(user).post("/api/v1/items", json={"lab_id": lab.id, "name": "Scie", "kind": "tool"})
        assert response.status_code == 403


def test_places_of_the_users_labs(api, manager, lab, other_lab, make_place):
    shelf = make_place("Étagère A")
    make_place("Étagère Paris", lab_=other_lab)
    body = api(manager).get("/api/v1/places").json
    assert [p["id"] for p in body["items"]] == [shelf.id]
    assert api(manager).get(f"/api/v1/places/{shelf.id}").json["path"].endswith("Étagère A")


def _risky(db, item, admin):
    from repairlab.skills import catalogue

    domain = catalogue.create_domain(admin, name="Sécurité")
    skill = catalogue.create_skill(admin, domain=domain, name="Perceuse à colonne", is_safety=True)
    requirements.add_requirement(admin, item=item, skill=skill, min_level=2)
    db.session.commit()


def test_the_desk_is_refused_a_loan_with_the_same_words_as_the_web_page(
    db, client, login, api, manager, talent, admin, make_item
):
    tool = make_item("Perceuse à colonne")
    _risky(db, tool, admin)
    refused = api(manager).post("/api/v1/loans", json={"item_id": tool.id, "borrower_id": talent.id, "kind": "in_lab"})
    assert refused.status_code == 403
    detail = refused.json["detail"]
    assert f"{talent.full_name} does not have “Perceuse à colonne” at level 2 yet." in detail
    # The desk's page says exactly this.
    login(manager)
    client.post("/language", data={"lang": "en"})
    card = cards.card_for(talent).token
    db.session.commit()
    page = client.post("/lending/desk/lend", data={"item_code": tool.code, "card": card, "kind": "in_lab"})
    assert detail in html.unescape(page.get_data(as_text=True))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Loan)) == 0


def test_the_desk_lends_to_a_talent_and_records_the_return(api, manager, talent, make_item):
    tool = make_item("Ponceuse")
    desk = api(manager)
    lent = desk.post("/api/v1/loans", json={"item_id": tool.id, "borrower_id": talent.id, "kind": "in_lab"})
    assert lent.status_code == 201
    assert (lent.json["borrower_id"], lent.json["lent_by_id"], lent.json["item_code"]) == (
        talent.id,
        manager.id,
        tool.code,
    )
    db.session.refresh(tool)
    assert tool.status == ItemStatus.ON_LOAN
    again = desk.post("/api/v1/loans", json={"item_id": tool.id, "borrower_id": talent.id, "kind": "in_lab"})
    assert again.status_code == 409
    assert again.json["detail"] == "This tool is not available: it is on loan."
    assert desk.get("/api/v1/loans").json["total"] == 1
    back = desk.post(f"/api/v1/loans/{lent.json['id']}/return", json={"condition": "good"})
    assert back.status_code == 200 and back.json["returned_at"] is not None
    db.session.refresh(tool)
    assert tool.status == ItemStatus.AVAILABLE
    twice = desk.post(f"/api/v1/loans/{lent.json['id']}/return", json={"condition": "good"})
    assert (twice.status_code, twice.json["detail"]) == (409, "This loan has already been returned.")


def test_a_talent_borrows_for_themselves_and_sees_only_their_loans(api, talent, make_talent_of, make_item):
    tool = make_item("Scie")
    other = make_talent_of()
    mine = api(talent)
    assert mine.post("/api/v1/loans", json={"item_id": tool.id, "kind": "in_lab"}).status_code == 201
    assert api(other).get("/api/v1/loans").json["total"] == 0
    loan_id = mine.get("/api/v1/loans").json["items"][0]["id"]
    assert api(other).get(f"/api/v1/loans/{loan_id}").status_code == 404
    for_someone = api(other).post(
        "/api/v1/loans", json={"item_id": tool.id, "borrower_id": talent.id, "kind": "in_lab"}
    )
    assert for_someone.status_code == 404  # the desk's search: no talent of this lab for a talent


def test_the_desk_finds_a_talent_of_its_territory_only(api, manager, talent, make_user, other_territory):
    make_user(Role.PARTICIPANT, territory_=other_territory, name=talent.full_name + " bis")
    found = api(manager).get("/api/v1/talents", query_string={"q": talent.full_name[:6]}).json
    assert [t["id"] for t in found] == [talent.id]
    assert api(talent).get("/api/v1/talents", query_string={"q": "a"}).status_code == 403
