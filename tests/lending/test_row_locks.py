"""Row locks: a loan's lock on the talent never deadlocks with a reservation made for them (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import g

from repairlab import clock, database
from repairlab.extensions import db as _db
from repairlab.inventory.models import Item
from repairlab.lending.reservations import services as reservations
from repairlab.people.models import User


@pytest.fixture(autouse=True)
def english_messages(db):
    """Messages in English, so that tests can read them."""
    g.lang = "en"


def day(n: int):
    """Today plus n days, in the labs' time zone."""
    return clock.today() + timedelta(days=n)


def test_a_talent_locked_by_a_loan_does_not_block_a_reservation_made_for_them(app, db, tool, talent, manager):
    """PostgreSQL row locks: the loan locks the talent then the item; a reservation for that talent locks the item
    then writes rows that refer to the talent. The talent's lock must not stop those foreign-key checks, else the
    two wait for each other. (SQLite locks the whole database: one of the two simply waits.)"""
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL only")
    talent_id, tool_id, manager_id = talent.id, tool.id, manager.id
    locked, done = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def loan_side() -> None:
        with app.app_context():
            try:
                database.lock_row(User.locale, talent_id)
                locked.set()
                done.wait(timeout=30)
            finally:
                _db.session.rollback()
                _db.session.remove()

    def reservation_side() -> None:
        with app.app_context():
            g.lang = "en"
            try:
                locked.wait(timeout=30)
                _db.session.execute(sa.text("SET LOCAL lock_timeout = '3s'"))
                desk, item = _db.session.get(User, manager_id), _db.session.get(Item, tool_id)
                borrower = _db.session.get(User, talent_id)
                reservations.reserve_item(desk, item, starts_on=day(1), ends_on=day(1), borrower=borrower)
                _db.session.flush()
                results["reservation"] = "ok"
                _db.session.commit()
            except Exception as error:
                _db.session.rollback()
                results["reservation"] = error
            finally:
                done.set()
                _db.session.remove()

    threads = [threading.Thread(target=loan_side), threading.Thread(target=reservation_side)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results["reservation"] == "ok", results
