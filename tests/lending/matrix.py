"""Who may use each lending route; see tests/core/test_permissions.py."""

from repairlab.extensions import db
from repairlab.inventory import services as inventory
from repairlab.inventory.models import ItemKind
from repairlab.lending import cards, services
from repairlab.people.models import Role
from tests.lending.reservation_matrix import RESERVATION_MATRIX
from tests.permissions import ALL_ROLES, Route

DESK = frozenset({Role.LAB_MANAGER, Role.ADMIN})
TALENT = frozenset({Role.PARTICIPANT})


def _tool(w, prefix=""):
    """A tool to lend, of the home or the other territory, created once per world."""
    key = f"{prefix}lend_tool"
    if key not in w:
        lab = w[f"{prefix}item"].lab
        w[key] = inventory.create_item(None, lab, inventory.ItemFields(name="Scie sauteuse", kind=ItemKind.TOOL))
        db.session.commit()
    return w[key]


def _loan(w, prefix=""):
    """An open loan of a tool to the talent of that territory, created once per world."""
    key = f"{prefix}loan"
    if key not in w:
        talent = w["talent"] if not prefix else w["other_talent"]
        tool = inventory.create_item(
            None, w[f"{prefix}item"].lab, inventory.ItemFields(name="Ponceuse", kind=ItemKind.TOOL)
        )
        w[key] = services.check_out_item(talent, tool, talent, kind="in_lab")
        db.session.commit()
    return w[key].id


def _card(w):
    if "card" not in w:
        w["card"] = cards.card_for(w["talent"])
        db.session.commit()
    return w["card"].token


MATRIX = [
    Route(
        "lending.borrow",
        lambda w: f"/lending/items/{_tool(w).id}/borrow",
        TALENT,
        method="POST",
        data=lambda w: {"kind": "in_lab"},
        other_url=lambda w: f"/lending/items/{_tool(w, 'other_').id}/borrow",
    ),
    Route(
        "lending.return_loan",
        lambda w: f"/lending/loans/{_loan(w)}/return",
        frozenset({Role.PARTICIPANT, *DESK}),
        method="POST",
        data=lambda w: {"condition": "good"},
        other_url=lambda w: f"/lending/loans/{_loan(w, 'other_')}/return",
    ),
    Route("lending.desk", lambda w: "/lending/desk", DESK),
    Route("lending.desk_talents", lambda w: "/lending/desk/talents?q=zo", DESK),
    Route(
        "lending.desk_lend",
        lambda w: "/lending/desk/lend",
        DESK,
        method="POST",
        data=lambda w: {"item_code": _tool(w).code, "card": _card(w), "kind": "in_lab"},
    ),
    Route("lending.my_loans", lambda w: "/lending/my-loans", TALENT),
    Route("lending.my_card", lambda w: "/lending/card", TALENT),
    Route("lending.my_card_png", lambda w: "/lending/card.png", TALENT),
    Route(
        "lending.talent_card",
        lambda w: f"/lending/cards/{w['talent'].id}",
        DESK,
        other_url=lambda w: f"/lending/cards/{w['other_talent'].id}",
    ),
    Route(
        "lending.talent_card_png",
        lambda w: f"/lending/cards/{w['talent'].id}/card.png",
        DESK,
        other_url=lambda w: f"/lending/cards/{w['other_talent'].id}/card.png",
    ),
    Route("lending.member_card", lambda w: f"/m/{_card(w)}", ALL_ROLES, anonymous=True),
    Route(
        "lending.log_maintenance",
        lambda w: f"/lending/items/{_tool(w).id}/maintenance",
        DESK,
        method="POST",
        data=lambda w: {"log-description": "Lame changée", "log-cost": "3.50"},
        other_url=lambda w: f"/lending/items/{_tool(w, 'other_').id}/maintenance",
    ),
    Route(
        "lending.plan_maintenance",
        lambda w: f"/lending/items/{_tool(w).id}/maintenance-plan",
        DESK,
        method="POST",
        data=lambda w: {"plan-what": "Graissage", "plan-due_on": "2030-01-01"},
        other_url=lambda w: f"/lending/items/{_tool(w, 'other_').id}/maintenance-plan",
    ),
]
MATRIX += RESERVATION_MATRIX
