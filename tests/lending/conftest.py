"""Lending fixtures: the inventory's (lab, manager, other territory, items) plus tools, talents and loans."""

from __future__ import annotations

import pytest

from repairlab.lending import services
from repairlab.people.models import Role
from tests.inventory.conftest import (  # noqa: F401  (fixtures shared with the inventory tests)
    lab,
    make_category,
    make_item,
    manager,
    other_lab,
    other_manager,
    other_territory,
)


@pytest.fixture
def tool(make_item):  # noqa: F811
    """An available tool of the home lab."""
    return make_item("Perceuse-visseuse")


@pytest.fixture
def make_talent(make_user, make_cohort):
    """Create a talent of the home territory (or another)."""

    def make(**kwargs):
        return make_user(Role.PARTICIPANT, **kwargs)

    return make


@pytest.fixture
def lend(db):
    """Lend a tool through the service and commit."""

    def do(actor, item, borrower, kind="take_home", **kwargs):
        loan = services.check_out_item(actor, item, borrower, kind=kind, **kwargs)
        db.session.commit()
        return loan

    return do
