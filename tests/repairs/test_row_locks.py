"""Two people taking the last spare part at the same instant: the stock is locked, so one of them is told there is
not enough, and the stock never goes below zero (PostgreSQL row locks; SQLite takes its single write lock)."""

from __future__ import annotations

import threading

import pytest
from flask import g

from repairlab.errors import Conflict
from repairlab.extensions import db as _db
from repairlab.inventory.models import Item, ItemKind
from repairlab.people.models import User
from repairlab.repairs import tickets
from repairlab.repairs.models import RepairTicket


def test_two_takers_of_the_last_part_cannot_both_have_it(app, db, make_ticket, make_item, manager):
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("row locks between two connections: PostgreSQL")
    first, second = make_ticket(), make_ticket()
    fuse = make_item("Fusible 10 A", kind=ItemKind.PART, quantity=1)
    ids = {"manager": manager.id, "fuse": fuse.id}
    locked, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def taker(name: str, ticket_id: int, hold: bool) -> None:
        with app.app_context():
            g.lang = "en"
            try:
                actor = _db.session.get(User, ids["manager"])
                item = _db.session.get(Item, ids["fuse"])
                ticket = _db.session.get(RepairTicket, ticket_id)
                tickets.take_part(actor, ticket, item, 1)
                if hold:
                    locked.set()
                    release.wait(timeout=30)
                _db.session.commit()
                results[name] = "taken"
            except Conflict as error:
                _db.session.rollback()
                results[name] = str(error)
            finally:
                _db.session.remove()

    one = threading.Thread(target=taker, args=("one", first.id, True))
    one.start()
    assert locked.wait(timeout=30)
    two = threading.Thread(target=taker, args=("two", second.id, False))
    two.start()
    two.join(timeout=1)
    assert two.is_alive()  # waiting for the first one's lock on the stock
    release.set()
    one.join(timeout=30)
    two.join(timeout=30)
    assert results == {"one": "taken", "two": "Not enough in stock: 0 Fusible 10 A left."}
    _db.session.expire_all()
    assert _db.session.get(Item, fuse.id).quantity == 0
