"""Stock-take fixtures: the inventory's (lab, manager, other territory, items), places to count, a count open."""

from __future__ import annotations

import pytest

from repairlab.extensions import db as _db
from repairlab.inventory import services as inventory
from repairlab.inventory.models import LocationKind
from repairlab.stocktake import services as stocktake
from tests.inventory.conftest import (  # noqa: F401  (fixtures shared with the inventory tests)
    lab,
    make_category,
    make_item,
    manager,
    other_lab,
    other_manager,
    other_territory,
)
from tests.lending.conftest import lend  # noqa: F401  (a lent item is not expected on its shelf)


def _place(lab, name, kind=LocationKind.ZONE, parent=None):  # noqa: F811
    place = inventory.create_location(None, lab, name, kind, parent)
    _db.session.commit()
    return place


@pytest.fixture
def shelf(lab):  # noqa: F811
    """Zone électronique > Étagère A: the place counted."""
    return _place(lab, "Étagère A", LocationKind.SHELF, _place(lab, "Zone électronique"))


@pytest.fixture
def bin_(lab, shelf):  # noqa: F811
    """A bin inside the shelf: counted with it."""
    return _place(lab, "Bac 1", LocationKind.BIN, shelf)


@pytest.fixture
def elsewhere(lab):  # noqa: F811
    """Another place of the same lab."""
    return _place(lab, "Réserve")


@pytest.fixture
def open_take(db, manager, shelf):  # noqa: F811
    """A stock-take of the shelf in progress."""
    take = stocktake.start_stocktake(manager, shelf)
    db.session.commit()
    return take


def _item(make_item, name, place):  # noqa: F811
    return make_item(name, location_id=place.id if place else None)


def _scan(db, manager, take, code):  # noqa: F811
    result = stocktake.record_scan(manager, take, code)
    db.session.commit()
    return result
