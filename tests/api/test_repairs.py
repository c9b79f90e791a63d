"""Repair tickets through the API: intake with the form's rules, the list's filters and text search, a ticket (the
owner for the desk only), its status with the page's rules and words."""

from __future__ import annotations

import html

import sqlalchemy as sa

from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.repairs import tickets
from repairlab.repairs.models import RepairCategory, RepairStatusChange, RepairTicket, TicketStatus


def _category(name: str) -> int:
    return db.session.scalar(sa.select(RepairCategory.id).where(RepairCategory.name == name))


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(RepairTicket))


def test_the_desk_takes_an_object_in(api, manager, lab, other_lab):
    desk = api(manager)
    taken = desk.post(
        "/api/v1/repair-tickets",
        json={
            "lab_id": lab.id,
            "category_id": _category("Toaster"),
            "problem": "  Ne chauffe   plus ",
            "brand": "Moulinex",
            "owner_first_name": "Anne",
            "owner_email": "Anne@Example.org",
            "owner_consent": True,
        },
    )
    assert taken.status_code == 201
    ticket = db.session.get(RepairTicket, taken.json["id"])
    assert (ticket.code, ticket.status, ticket.brand, ticket.owner_email) == (
        taken.json["code"],
        TicketStatus.RECEIVED,
        "Moulinex",
        "anne@example.org",
    )
    assert taken.json["owner"]["first_name"] == "Anne"
    assert taken.json["next_statuses"][0] == "diagnosed"
    no_consent = desk.post(
        "/api/v1/repair-tickets",
        json={"lab_id": lab.id, "category_id": _category("Toaster"), "problem": "x", "owner_phone": "0601020304"},
    )
    assert (no_consent.status_code, no_consent.json["field"]) == (422, "owner_consent")
    assert no_consent.json["detail"].startswith("Keep the owner's details only if they agree")
    weightless = desk.post(
        "/api/v1/repair-tickets", json={"lab_id": lab.id, "category_id": _category("Misc"), "problem": "x"}
    )
    assert (weightless.status_code, weightless.json["field"]) == (422, "estimated_weight_kg")
    elsewhere = desk.post(
        "/api/v1/repair-tickets", json={"lab_id": other_lab.id, "category_id": _category("Toaster"), "problem": "x"}
    )
    assert (elsewhere.status_code, elsewhere.json["field"]) == (422, "lab_id")
    assert _count() == 1


def test_talents_and_mentors_do_not_take_objects_in(api, talent, make_user, lab):
    body = {"lab_id": lab.id, "category_id": _category("Toaster"), "problem": "Ne chauffe plus"}
    for user in (talent, make_user(Role.MENTOR)):
        assert api(user).post("/api/v1/repair-tickets", json=body).status_code == 403
    assert _count() == 0


def _take_in(manager, lab, category="Toaster", **fields):
    fields.setdefault("problem", "Ne marche plus")
    ticket = tickets.take_in(manager, lab, tickets.IntakeFields(category_id=_category(category), **fields))
    db.session.commit()
    return ticket


def test_the_list_filters_and_searches_like_the_web_list(
    api, manager, talent, lab, other_lab, make_user, other_territory
):
    coffee = _take_in(manager, lab, "Coffee maker", lab_category="Cafetière italienne", brand="Bialetti")
    dryer = _take_in(manager, lab, "Hair dryer", brand="Rowenta", model="Éole 2000")
    _take_in(manager, lab, brand="Seb", owner_first_name="Anne", owner_consent=True)
    admin = make_user(Role.ADMIN)
    theirs = _take_in(admin, other_lab, brand="Bialetti")
    tickets.change_status(manager, dryer, TicketStatus.DIAGNOSED)
    db.session.commit()
    caller = api(talent)

    def found(**query) -> set[int]:
        return {t["id"] for t in caller.get("/api/v1/repair-tickets", query_string=query).json["items"]}

    assert len(found()) == 3  # the other territory's is not listed
    assert found(q="CAFETIERE") == {coffee.id}
    assert found(q="eole") == {dryer.id}
    assert found(q="bialetti") == {coffee.id}
    assert found(q=dryer.code.lower()) == {dryer.id}
    assert found(status="diagnosed") == {dryer.id}
    listed = caller.get("/api/v1/repair-tickets", query_string={"per_page": 2}).json
    assert (listed["total"], listed["pages"], listed["more"], len(listed["items"])) == (3, 2, False, 2)
    assert api(admin).get("/api/v1/repair-tickets", query_string={"q": "bialetti"}).json["total"] == 2
    assert caller.get(f"/api/v1/repair-tickets/{theirs.id}").status_code == 404
    assert api(make_user(Role.RESEARCHER)).get("/api/v1/repair-tickets").status_code == 403
    assert (
        api(make_user(Role.MENTOR, territory_=other_territory)).get(f"/api/v1/repair-tickets/{coffee.id}").status_code
        == 404
    )


def test_the_owner_is_the_desks_only(api, manager, talent, make_user, lab):
    ticket = _take_in(manager, lab, owner_first_name="Anne", owner_email="anne@example.org", owner_consent=True)
    assert api(manager).get(f"/api/v1/repair-tickets/{ticket.id}").json["owner"]["email"] == "anne@example.org"
    for user in (talent, make_user(Role.MENTOR)):
        body = api(user).get(f"/api/v1/repair-tickets/{ticket.id}").json
        assert body["owner"] is None and "anne" not in str(body)


def test_the_status_moves_with_the_pages_rules_and_words(db, client, login, api, manager, talent, lab):
    ticket = _take_in(manager, lab)
    url = f"/api/v1/repair-tickets/{ticket.id}/status"
    mine = api(talent)
    assert mine.get(f"/api/v1/repair-tickets/{ticket.id}").json["next_statuses"] == [
        "diagnosed",
        "in_repair",
        "ready",
    ]
    moved = mine.post(url, json={"status": "diagnosed"})
    assert (moved.status_code, moved.json["status"]) == (200, "diagnosed")
    early = mine.post(url, json={"status": "ready"})
    assert (early.status_code, early.json["field"]) == (422, "outcome")
    # The ticket's page says the same.
    login(manager)
    client.post("/language", data={"lang": "en"})
    page = client.post(f"/repairs/tickets/{ticket.id}/status", data={"status": "ready"}, follow_redirects=True)
    assert early.json["detail"] == "Record the outcome of the repair first."
    assert early.json["detail"] in html.unescape(page.get_data(as_text=True))
    tickets.set_outcome(manager, ticket, "fixed")
    db.session.commit()
    assert mine.post(url, json={"status": "ready"}).status_code == 200
    closing = mine.post(url, json={"status": "returned"})
    assert (closing.status_code, closing.json["detail"]) == (
        403,
        "Only a lab manager gives an object back or abandons a repair.",
    )
    back = api(manager).post(url, json={"status": "returned"})
    assert (back.status_code, back.json["status"], back.json["next_statuses"]) == (200, "returned", [])
    db.session.expire_all()
    changes = db.session.scalars(
        sa.select(RepairStatusChange.to_status)
        .where(RepairStatusChange.ticket_id == ticket.id)
        .order_by(RepairStatusChange.id)
    ).all()
    assert changes == [TicketStatus.RECEIVED, TicketStatus.DIAGNOSED, TicketStatus.READY, TicketStatus.RETURNED]
    wrong = api(manager).post(url, json={"status": "received"})
    assert wrong.status_code == 409
