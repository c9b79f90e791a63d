"""Reservations read within their row limits without missing a rule: a loan across someone else's reservation
behind many of the borrower's own, and a lab's calendar in a busy territory."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import g

from repairlab import clock
from repairlab.errors import Conflict
from repairlab.extensions import db
from repairlab.inventory.models import Item, ItemStatus
from repairlab.lending import services
from repairlab.lending.models import Loan
from repairlab.lending.reservations import queries as reservation_queries
from repairlab.lending.reservations import services as reservations


@pytest.fixture(autouse=True)
def english_messages(db):
    """Messages in English, so that tests can read them."""
    g.lang = "en"


def day(n: int):
    """Today plus n days, in the labs' time zone."""
    return clock.today() + timedelta(days=n)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_loan_is_refused_across_someone_elses_reservation_behind_many_of_the_borrowers(db, tool, talent, make_talent):
    # The borrower holds more single days than the reservations query reads at once, then someone else a day.
    for n in range(1, reservation_queries.ITEM_ROWS + 2):
        reservations.reserve_item(talent, tool, starts_on=day(n), ends_on=day(n), borrower=talent)
    other = make_talent()
    later = reservation_queries.ITEM_ROWS + 3
    reservations.reserve_item(other, tool, starts_on=day(later), ends_on=day(later), borrower=other)
    db.session.commit()
    with pytest.raises(Conflict, match="bring it back by"):
        services.check_out_item(talent, tool, talent, kind="take_home", due_at=day(later + 1))
    db.session.rollback()
    assert _count(Loan) == 0
    assert db.session.get(Item, tool.id).status == ItemStatus.AVAILABLE


def test_the_calendar_picks_the_lab_before_cutting_the_rows(db, lab, make_lab, make_item, manager, monkeypatch):
    other_lab = make_lab("Atelier voisin")  # same territory
    monday = reservation_queries.week_start(clock.today())
    first = max(monday, clock.today())
    for n in range(3):
        neighbour = make_item(f"AAA voisin {n}", other_lab)
        reservations.reserve_item(manager, neighbour, starts_on=first, ends_on=first, borrower=None, purpose="Fête")
    mine = make_item("Scie du labo", lab)
    reservations.reserve_item(manager, mine, starts_on=first, ends_on=first, borrower=None, purpose="Repair café")
    db.session.commit()
    monkeypatch.setattr(reservation_queries, "CALENDAR_ROWS", 2)
    rows = reservation_queries.lab_week(lab, monday)
    assert [row.item.name for row in rows] == ["Scie du labo"]
