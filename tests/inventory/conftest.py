"""Inventory fixtures: a lab with its manager, another territory, and factories for items, places, categories."""

from __future__ import annotations

import itertools

import pytest

from repairlab.inventory import services
from repairlab.inventory.models import ItemKind, LocationKind
from repairlab.people.models import Role

_n = itertools.count(1)


@pytest.fixture
def lab(make_lab):
    """The home lab (territory RBX)."""
    return make_lab("Atelier Roubaix")


@pytest.fixture
def manager(make_user):
    """A lab manager of the home territory."""
    return make_user(Role.LAB_MANAGER, name="Lina Gestionnaire")


@pytest.fixture
def other_territory(make_territory):
    """Another territory (PAR)."""
    return make_territory("PAR", "Paris-Montreuil")


@pytest.fixture
def other_lab(make_lab, other_territory):
    """A lab of the other territory."""
    return make_lab("Atelier Montreuil", other_territory)


@pytest.fixture
def other_manager(make_user, other_territory):
    """A lab manager of the other territory."""
    return make_user(Role.LAB_MANAGER, territory_=other_territory)


@pytest.fixture
def make_item(db, lab):
    """Create an item through the service: make_item("Perceuse", kind=ItemKind.PART, quantity=3)."""

    def make(name: str | None = None, lab_=None, *, kind: ItemKind = ItemKind.TOOL, **fields):
        item = services.create_item(
            None, lab_ or lab, services.ItemFields(name=name or f"Objet {next(_n)}", kind=kind, **fields)
        )
        db.session.commit()
        return item

    return make


@pytest.fixture
def make_place(db, lab):
    """Create a place: make_place("Zone électronique"), make_place("Bac 1", LocationKind.BIN, parent=zone)."""

    def make(name: str | None = None, kind: LocationKind = LocationKind.ZONE, parent=None, lab_=None):
        place = services.create_location(
            None, lab_ or (parent.lab if parent else lab), name or f"Zone {next(_n)}", kind, parent
        )
        db.session.commit()
        return place

    return make


@pytest.fixture
def make_category(db):
    """Create a category: make_category("Électronique"), make_category("Soudure", parent)."""

    def make(name: str | None = None, parent=None):
        category = services.create_category(None, name or f"Catégorie {next(_n)}", parent)
        db.session.commit()
        return category

    return make


def english(client):
    """Switch the client (and its logged-in user) to English, so tests can read the messages."""
    client.post("/language", data={"lang": "en"})
    return client


def item_form(lab, **overrides) -> dict:
    """A valid item form post for a lab."""
    data = {
        "name": "Perceuse-visseuse",
        "kind": "tool",
        "lab_id": str(lab.id),
        "condition": "good",
        "source": "",
        "category_id": "",
        "location_id": "",
    }
    data.update({k: ("" if v is None else str(v) if not isinstance(v, tuple) else v) for k, v in overrides.items()})
    return data
