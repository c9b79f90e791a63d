"""Who may use each reservation and lending-rule route; added to the lending matrix."""

from datetime import timedelta

from repairlab import clock
from repairlab.extensions import db
from repairlab.inventory import services as inventory
from repairlab.inventory.models import ItemKind
from repairlab.lending.reservations import services as reservations
from repairlab.people.models import Role
from tests.permissions import Route

DESK = frozenset({Role.LAB_MANAGER, Role.ADMIN})
TALENT = frozenset({Role.PARTICIPANT})
CALENDAR = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})


def _tool(w, prefix=""):
    key = f"{prefix}reserve_tool"
    if key not in w:
        lab = w[f"{prefix}item"].lab
        w[key] = inventory.create_item(None, lab, inventory.ItemFields(name="Scie circulaire", kind=ItemKind.TOOL))
        db.session.commit()
    return w[key]


def _reservation(w, prefix=""):
    """A reservation of a tool for the talent of that territory, next month, created once per world."""
    key = f"{prefix}reservation"
    if key not in w:
        talent = w["talent"] if not prefix else w["other_talent"]
        lab = w[f"{prefix}item"].lab
        tool = inventory.create_item(None, lab, inventory.ItemFields(name="Rabot", kind=ItemKind.TOOL))
        day = clock.today() + timedelta(days=30)
        w[key] = reservations.reserve_item(talent, tool, starts_on=day, ends_on=day, borrower=talent)
        db.session.commit()
    return w[key].id


def _lab(w, prefix=""):
    return w[f"{prefix}item"].lab_id


def _day(n):
    return (clock.today() + timedelta(days=n)).isoformat()


RESERVATION_MATRIX = [
    Route(
        "lending.reserve",
        lambda w: f"/lending/items/{_tool(w).id}/reserve",
        frozenset({Role.PARTICIPANT, *DESK}),
        method="POST",
        data=lambda w: {"starts_on": _day(3), "ends_on": _day(4), "purpose": "Repair café"},
        other_url=lambda w: f"/lending/items/{_tool(w, 'other_').id}/reserve",
    ),
    Route(
        "lending.cancel_reservation",
        lambda w: f"/lending/reservations/{_reservation(w)}/cancel",
        frozenset({Role.PARTICIPANT, *DESK}),
        method="POST",
        other_url=lambda w: f"/lending/reservations/{_reservation(w, 'other_')}/cancel",
    ),
    Route("lending.my_reservations", lambda w: "/lending/my-reservations", TALENT),
    Route(
        "lending.calendar",
        lambda w: f"/lending/calendar?lab={_lab(w)}",
        CALENDAR,
        other_url=lambda w: f"/lending/calendar?lab={_lab(w, 'other_')}",
    ),
    Route(
        "lending.policies_page",
        lambda w: f"/lending/policies?lab={_lab(w)}",
        DESK,
        other_url=lambda w: f"/lending/policies?lab={_lab(w, 'other_')}",
    ),
    Route(
        "lending.policy_set",
        lambda w: f"/lending/policies/{_lab(w)}/{w['category'].id}",
        DESK,
        method="POST",
        data=lambda w: {
            f"c{w['category'].id}-self_service": "0",
            f"c{w['category'].id}-default_days": "3",
            f"c{w['category'].id}-max_days": "10",
        },
        other_url=lambda w: f"/lending/policies/{_lab(w, 'other_')}/{w['category'].id}",
    ),
    Route(
        "lending.policy_clear",
        lambda w: f"/lending/policies/{_lab(w)}/{w['category'].id}/clear",
        DESK,
        method="POST",
        other_url=lambda w: f"/lending/policies/{_lab(w, 'other_')}/{w['category'].id}/clear",
    ),
]
