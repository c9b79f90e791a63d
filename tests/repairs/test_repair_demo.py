"""The demo's repairs: past Repair Cafés in every lab with French objects, about 70 % fixed, the talents' minutes,
parts from the stock, the impact stored, and a few tickets open today that the lab manager's home shows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from repairlab import clock, demo
from repairlab.people.models import Lab, Role, User
from repairlab.repairs import queries
from repairlab.repairs.models import (
    OPEN_STATUSES,
    Outcome,
    RepairEvent,
    RepairPartUse,
    RepairTicket,
    RepairWork,
    TicketStatus,
)


def test_the_demo_has_repairs_in_every_lab(db, client, login):
    demo.seed(password="demo password 42")
    db.session.commit()
    count = lambda model, *where: db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))  # noqa: E731
    labs = db.session.scalars(sa.select(Lab)).all()
    today = clock.today()
    for lab in labs:
        events = db.session.scalars(sa.select(RepairEvent).where(RepairEvent.lab_id == lab.id)).all()
        assert len(events) == 3 and all(e.day < today and e.staff for e in events)
    figures = queries.figures(queries.Scope())
    # About 70 % fixed, as repair cafés report.
    closed = figures.fixed + figures.repairable + figures.end_of_life
    assert 0.65 <= figures.fixed / closed <= 0.75
    assert figures.end_of_life > 0 and figures.repairable > 0
    # The impact is stored on the fixed tickets and only on them.
    assert count(RepairTicket, RepairTicket.outcome == Outcome.FIXED, RepairTicket.waste_prevented_kg.is_(None)) == 0
    assert count(RepairTicket, RepairTicket.outcome != Outcome.FIXED, RepairTicket.co2e_prevented_kg > 0) == 0
    assert figures.waste_kg > Decimal(100) and figures.co2e_kg > figures.waste_kg
    # French objects, talents' minutes, parts from the stock.
    names = set(db.session.scalars(sa.select(RepairTicket.lab_category)))
    assert {"Grille-pain", "Cafetière", "Lampe de chevet", "Vélo de ville", "Aspirateur", "Sèche-cheveux"} <= names
    assert count(RepairWork) > figures.tickets / 2 and count(RepairWork, RepairWork.minutes <= 0) == 0
    assert count(RepairPartUse) > 0
    # Past tickets are dated on their event's afternoon; two or three per lab are open today.
    past = db.session.scalars(sa.select(RepairTicket).where(RepairTicket.event_id.is_not(None)).limit(5)).all()
    assert all(t.received_at.date() == t.event_date for t in past)
    for lab in labs:
        open_ = count(RepairTicket, RepairTicket.lab_id == lab.id, RepairTicket.status.in_(OPEN_STATUSES))
        assert open_ == 3
    assert count(RepairTicket, RepairTicket.event_date == today) == len(labs)
    queues = queries.desk_queues(None, clock.utcnow(), 14)
    assert (queues.waiting, queues.stale, queues.ready) == (len(labs), len(labs), len(labs))
    assert queues.oldest["stale"][0].status_changed_at < clock.utcnow() - timedelta(days=14)
    assert count(RepairTicket, RepairTicket.status == TicketStatus.RETURNED) == closed - len(labs)  # one is ready
    # The lab manager's home shows the queues, and the impact page shows the figures.
    manager = db.session.scalar(sa.select(User).where(User.role == Role.LAB_MANAGER).limit(1))
    login(manager)
    assert "Accueil des réparations" in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    page = client.get(f"/repairs/impact/territories/{manager.territory_id}", follow_redirects=True)
    assert page.status_code == 200
