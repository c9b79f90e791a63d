"""Guides fixtures: the people of a territory (a lab manager, a mentor, two talents), another territory's mentor."""

from __future__ import annotations

import pytest

from repairlab.people.models import Role
from tests.inventory.conftest import (  # noqa: F401  (fixtures shared with the inventory tests)
    lab,
    make_item,
    manager,
    other_lab,
    other_manager,
    other_territory,
)


@pytest.fixture
def mentor(make_user):
    """A mentor of the home territory."""
    return make_user(Role.MENTOR, name="Marc Mentor")


@pytest.fixture
def writer(make_user):
    """A talent of the home territory who writes guides."""
    return make_user(Role.PARTICIPANT, name="Zoé Martin", email="zoe@example.org")


@pytest.fixture
def other_mentor(make_user, other_territory):  # noqa: F811
    """A mentor of another territory."""
    return make_user(Role.MENTOR, territory_=other_territory, name="Paul Ailleurs")
