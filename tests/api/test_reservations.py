"""Reservations through the API: lending's own service, rules and words; a talent's own, the territory's for staff."""

from __future__ import annotations

import html
from datetime import timedelta

import sqlalchemy as sa

from repairlab import clock
from repairlab.extensions import db
from repairlab.lending.reservations.models import Reservation, ReservationStatus
from repairlab.people.models import Role


def _day(n: int) -> str:
    return (clock.today() + timedelta(days=n)).isoformat()


def _reservations() -> list[Reservation]:
    return list(db.session.scalars(sa.select(Reservation).order_by(Reservation.id)))


def test_a_talent_reserves_lists_and_cancels_their_own(api, talent, make_talent_of, make_item):
    tool = make_item("Scie sauteuse")
    mine = api(talent)
    made = mine.post("/api/v1/reservations", json={"item_id": tool.id, "starts_on": _day(2), "ends_on": _day(3)})
    assert made.status_code == 201
    assert (made.json["borrower_id"], made.json["item_code"], made.json["holder"]) == (talent.id, tool.code, "you")
    [stored] = _reservations()
    assert (stored.borrower_id, stored.reserved_by_id, stored.days) == (talent.id, talent.id, 2)
    assert [r["id"] for r in mine.get("/api/v1/reservations").json["items"]] == [stored.id]
    other = api(make_talent_of())
    assert other.get("/api/v1/reservations").json["total"] == 0
    assert other.get(f"/api/v1/reservations/{stored.id}").status_code == 404
    assert other.post(f"/api/v1/reservations/{stored.id}/cancel").status_code == 404
    cancelled = mine.post(f"/api/v1/reservations/{stored.id}/cancel")
    assert (cancelled.status_code, cancelled.json["status"]) == (200, "cancelled")
    db.session.refresh(stored)
    assert stored.status == ReservationStatus.CANCELLED
    again = mine.post(f"/api/v1/reservations/{stored.id}/cancel")
    assert (again.status_code, again.json["detail"]) == (409, "This reservation is already cancelled.")
    assert mine.get("/api/v1/reservations").json["total"] == 0
    assert mine.get("/api/v1/reservations", query_string={"state": "past"}).json["total"] == 1


def test_overlapping_days_are_refused_with_the_services_words(api, talent, make_talent_of, make_item):
    tool = make_item("Ponceuse")
    days = {"item_id": tool.id, "starts_on": _day(2), "ends_on": _day(4)}
    assert api(talent).post("/api/v1/reservations", json=days).status_code == 201
    refused = api(make_talent_of()).post("/api/v1/reservations", json={**days, "starts_on": _day(3)})
    assert (refused.status_code, refused.json["field"]) == (409, "starts_on")
    assert refused.json["detail"].startswith("Already reserved from ")
    assert "for another talent. It is free again from " in refused.json["detail"]
    assert len(_reservations()) == 1


def test_a_talent_reserves_only_for_themselves(api, talent, make_talent_of, make_item):
    tool = make_item("Perceuse")
    someone = make_talent_of()
    for borrower in (someone.id, 999_999):  # whoever the id names, or nobody: the same refusal
        refused = api(talent).post(
            "/api/v1/reservations",
            json={"item_id": tool.id, "starts_on": _day(1), "ends_on": _day(1), "borrower_id": borrower},
        )
        assert refused.status_code == 403
        assert refused.json["detail"] == "Only a lab manager reserves an item for someone else or for a lab event."
    assert _reservations() == []


def test_the_desk_reserves_for_a_talent_and_for_a_lab_event_with_the_pages_words(
    db, client, login, api, manager, talent, make_item, other_lab, make_user, other_territory
):
    tool = make_item("Scie circulaire")
    desk = api(manager)
    for_talent = desk.post(
        "/api/v1/reservations",
        json={"item_id": tool.id, "starts_on": _day(1), "ends_on": _day(1), "borrower_id": talent.id},
    )
    assert (for_talent.status_code, for_talent.json["borrower_id"], for_talent.json["reserved_by_id"]) == (
        201,
        talent.id,
        manager.id,
    )
    assert for_talent.json["holder"] == talent.full_name  # staff see names
    no_purpose = desk.post("/api/v1/reservations", json={"item_id": tool.id, "starts_on": _day(5), "ends_on": _day(5)})
    assert (no_purpose.status_code, no_purpose.json["field"]) == (422, "purpose")
    # The reservation form says the same.
    login(manager)
    client.post("/language", data={"lang": "en"})
    page = client.post(
        f"/lending/items/{tool.id}/reserve",
        data={"starts_on": _day(5), "ends_on": _day(5), "purpose": "", "talent": ""},
        follow_redirects=True,
    )
    assert no_purpose.json["detail"] in html.unescape(page.get_data(as_text=True))
    event = desk.post(
        "/api/v1/reservations",
        json={"item_id": tool.id, "starts_on": _day(5), "ends_on": _day(5), "purpose": "Repair café"},
    )
    assert (event.status_code, event.json["borrower_id"], event.json["holder"]) == (
        201,
        None,
        "a lab event (Repair café)",
    )
    elsewhere = make_user(Role.PARTICIPANT, territory_=other_territory)
    stranger = desk.post(
        "/api/v1/reservations",
        json={"item_id": tool.id, "starts_on": _day(8), "ends_on": _day(8), "borrower_id": elsewhere.id},
    )
    assert stranger.status_code == 404
    assert len(_reservations()) == 2
    # The territory's reservations for the desk, and for a mentor (the lab calendar's staff); not for a researcher.
    assert desk.get("/api/v1/reservations").json["total"] == 2
    assert api(make_user(Role.MENTOR)).get("/api/v1/reservations").json["total"] == 2
    assert api(make_user(Role.RESEARCHER)).get("/api/v1/reservations").status_code == 403


def test_another_territorys_desk_neither_sees_nor_cancels(api, talent, other_manager, make_item):
    tool = make_item("Rabot")
    made = api(talent).post("/api/v1/reservations", json={"item_id": tool.id, "starts_on": _day(1), "ends_on": _day(1)})
    theirs = api(other_manager)
    assert theirs.get("/api/v1/reservations").json["total"] == 0
    assert theirs.post(f"/api/v1/reservations/{made.json['id']}/cancel").status_code == 404
    reserve_here = theirs.post(
        "/api/v1/reservations", json={"item_id": tool.id, "starts_on": _day(9), "ends_on": _day(9), "purpose": "x"}
    )
    assert reserve_here.status_code == 404
    assert [r.status for r in _reservations()] == [ReservationStatus.ACTIVE]
