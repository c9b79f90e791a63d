"""Bulk actions on a selection of the item list: odd ids posted with the selection."""

from __future__ import annotations

import pytest

from repairlab.inventory.models import LocationKind
from repairlab.people.models import Role
from tests.inventory.conftest import english


@pytest.fixture
def as_manager(client, login, make_user):
    login(make_user(Role.LAB_MANAGER))
    return english(client)


def test_a_bulk_selection_with_unicode_digits_ignores_them(as_manager, db, make_item, make_place):
    # "²".isdigit() is true but int("²") fails: such an id is ignored like any other that is not one.
    shelf = make_place("Étagère B", LocationKind.SHELF)
    item = make_item()
    response = as_manager.post(
        "/inventory/bulk",
        data={"action": "move", "ids": ["²", str(item.id)], "location_id": shelf.id},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "1 item moved." in response.text
    db.session.refresh(item)
    assert item.location_id == shelf.id
