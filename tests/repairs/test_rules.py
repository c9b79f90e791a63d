"""The rules the database holds itself, tried directly (a bug or a script that skips the services is refused)."""

from __future__ import annotations

from datetime import time

import pytest
import sqlalchemy as sa

from repairlab.clock import today, utcnow
from repairlab.extensions import db as _db
from repairlab.repairs.models import (
    RepairEvent,
    RepairPartUse,
    RepairTicket,
    RepairToolUse,
    RepairWork,
)
from tests.repairs.conftest import category


def _refused(statement, values) -> None:
    with pytest.raises(sa.exc.IntegrityError), _db.session.begin_nested():
        _db.session.execute(statement, values)
    _db.session.rollback()


def _update(ticket, **values) -> None:
    _refused(sa.update(RepairTicket).where(RepairTicket.id == ticket.id), values)


@pytest.fixture
def ticket(make_ticket):
    """A ticket taken in at the desk."""
    return make_ticket()


def test_a_barrier_only_with_end_of_life(ticket):
    _update(ticket, outcome="fixed", barrier="too_worn_out")
    _update(ticket, outcome=None, barrier="no_way_to_open")


def test_a_need_only_with_repairable(ticket):
    _update(ticket, outcome="end_of_life", repairable_need="professional")


@pytest.mark.parametrize("status", ["ready", "returned", "abandoned"])
def test_an_outcome_before_ready_or_closed(ticket, status):
    _update(ticket, status=status, closed_at=utcnow() if status != "ready" else None)


def test_closed_at_exactly_when_closed(ticket):
    _update(ticket, outcome="fixed", status="returned", closed_at=None)
    _update(ticket, closed_at=utcnow())


@pytest.mark.parametrize(
    "values",
    [
        {"estimated_weight_kg": -1},
        {"product_age": -1},
        {"year_of_manufacture": 1800},
        {"waste_prevented_kg": -1},
        {"co2e_prevented_kg": -0.5},
        {"impact_weight_kg": -1},
        {"impact_footprint_kg": -1},
    ],
)
def test_no_negative_weights_ages_or_figures(ticket, values):
    _update(ticket, **values)


def test_a_desk_ticket_has_a_code_and_a_lab(ticket):
    _update(ticket, code=None)
    _update(ticket, lab_id=None, territory_id=None)


def test_codes_are_unique(make_ticket, ticket):
    other = make_ticket()
    _update(other, code=ticket.code)


def test_imported_records_are_unique_per_provider(db, lab):
    values = {
        "source": "history",
        "lab_id": lab.id,
        "territory_id": lab.territory_id,
        "category_id": category("Toaster").id,
        "event_date": today(),
        "data_provider": "Repair Café Toronto",
        "external_id": "restart_1",
        "status": "returned",
        "outcome": "fixed",
        "closed_at": utcnow(),
        "received_at": utcnow(),
        "status_changed_at": utcnow(),
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }
    db.session.execute(sa.insert(RepairTicket), values)
    _refused(sa.insert(RepairTicket), values)
    _refused(sa.insert(RepairTicket), {**values, "external_id": None})  # an import names its record


def test_no_negative_minutes_nor_empty_part_uses(ticket, make_item, manager):
    _refused(sa.insert(RepairWork), {"ticket_id": ticket.id, "talent_id": manager.id, "minutes": -5})
    part = make_item("Fusible")
    _refused(sa.insert(RepairPartUse), {"ticket_id": ticket.id, "item_id": part.id, "quantity": 0})


def test_a_tool_is_recorded_once_per_ticket(db, ticket, make_item):
    tool = make_item("Multimètre")
    db.session.execute(sa.insert(RepairToolUse), {"ticket_id": ticket.id, "item_id": tool.id})
    _refused(sa.insert(RepairToolUse), {"ticket_id": ticket.id, "item_id": tool.id})


def test_an_event_ends_after_it_starts(db, lab):
    _refused(
        sa.insert(RepairEvent),
        {
            "territory_id": lab.territory_id,
            "lab_id": lab.id,
            "title": "Repair Café",
            "day": today(),
            "starts_at": time(18),
            "ends_at": time(14),
            "notes": "",
            "created_at": utcnow(),
        },
    )
