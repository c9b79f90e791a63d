"""The repairs a talent worked on: lines on their path's timeline and a table of their own data."""

from __future__ import annotations

import json

from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.programme.queries import timeline
from repairlab.repairs import tickets


def test_a_talents_repairs_are_one_line_per_ticket_on_their_timeline(
    app, client, login, make_ticket, make_talent, manager, make_user, other_territory
):
    talent = make_talent()
    ticket = make_ticket("Toaster", brand="Moulinex", model="Subito")
    tickets.record_work(manager, ticket, talent, 30)
    tickets.record_work(talent, ticket, talent, 15)
    make_ticket("Kettle")  # someone else's repair: not on this talent's timeline
    db.session.commit()
    stranger = make_user(Role.ADMIN)
    with app.test_request_context():
        entries = [e for e in timeline(talent, manager) if e.kind == "repair"]
        assert len(entries) == 1
        (entry,) = entries
        assert entry.title == f"A travaillé sur {ticket.code} Moulinex Subito"
        assert entry.detail.startswith("45 minutes")
        assert entry.url == f"/repairs/tickets/{ticket.id}"
        assert all(e.url for e in timeline(talent, stranger) if e.kind == "repair")  # an admin sees every ticket

    login(manager)
    page = client.get(f"/programme/talents/{talent.id}").get_data(as_text=True)
    assert f"A travaillé sur {ticket.code} Moulinex Subito" in page and "45 minutes" in page


def test_a_talent_downloads_the_repairs_they_worked_on(client, login, make_ticket, make_talent, manager):
    talent = make_talent()
    ticket = make_ticket("Toaster", owner_first_name="Nadia", owner_email="nadia@example.org", owner_consent=True)
    tickets.record_work(manager, ticket, talent, 20)
    db.session.commit()
    login(talent)
    data = json.loads(client.get("/programme/my-data.json").get_data(as_text=True))
    assert [(r["ticket"], r["category"], r["minutes"]) for r in data["repairs"]] == [(ticket.code, "Toaster", 20)]
    assert "nadia" not in json.dumps(data).lower()  # the owner is not the talent's data
