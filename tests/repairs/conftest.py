"""Repairs fixtures: the inventory's (lab, manager, other territory, items), categories, talents, tickets."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from repairlab.extensions import db as _db
from repairlab.people.models import Role
from repairlab.repairs import tickets
from repairlab.repairs.models import RepairCategory
from tests.inventory.conftest import (  # noqa: F401  (fixtures shared with the inventory tests)
    lab,
    make_item,
    manager,
    other_lab,
    other_manager,
    other_territory,
)


def category(name: str) -> RepairCategory:
    """A repair category by its ORDS (English) name."""
    return _db.session.scalar(sa.select(RepairCategory).where(RepairCategory.name == name))


@pytest.fixture
def make_talent(make_user):
    """Create a talent of the home territory (or another)."""

    def make(**kwargs):
        return make_user(Role.PARTICIPANT, **kwargs)

    return make


@pytest.fixture
def make_ticket(db, lab, manager):  # noqa: F811
    """Take an object in through the service and commit: make_ticket("Toaster", brand="Moulinex")."""

    def make(category_name: str = "Toaster", *, actor=None, lab_=None, event=None, **fields):
        fields.setdefault("problem", "Ne chauffe plus")
        if category_name in ("Misc", "Bicycle", "Furniture", "Household", "Jewellery", "Textile", "Other"):
            fields.setdefault("estimated_weight_kg", Decimal(2))
        data = tickets.IntakeFields(category_id=category(category_name).id, **fields)
        ticket = tickets.take_in(actor or manager, lab_ or lab, data, event=event)
        db.session.commit()
        return ticket

    return make
