"""Who may use each repairs route; see tests/core/test_permissions.py.

The ticket's page is open to everyone: the lab's team of the territory sees the ticket, anyone else (anonymous,
researchers, other territories) the public scan view, which tests/repairs/test_views.py checks holds no name."""

from __future__ import annotations

import io
from datetime import time, timedelta

from PIL import Image

from repairlab import clock
from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.repairs import events, tickets
from repairlab.repairs.models import RepairCategory
from tests.permissions import ADMIN, ALL_ROLES, Route
from tests.repairs.ords_matrix import ORDS_MATRIX
from tests.repairs.stats_matrix import STATS_MATRIX

DESK = frozenset({Role.LAB_MANAGER, Role.ADMIN})
TEAM = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})


def _jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "JPEG")
    out.seek(0)
    return out


def _toaster_id() -> int:
    return db.session.scalar(db.select(RepairCategory.id).where(RepairCategory.name == "Toaster"))


def _ticket(w, prefix: str = ""):
    """A toaster taken in at the lab of that territory, with a photo and an owner, created once per world."""
    key = f"{prefix}repair_ticket"
    if key not in w:
        lab = w[f"{prefix}item"].lab
        data = tickets.IntakeFields(
            category_id=_toaster_id(), problem="Ne chauffe plus", owner_first_name="Nadia", owner_consent=True
        )
        w[key] = tickets.take_in(_desk(w, prefix), lab, data, photo=_jpeg())
        db.session.commit()
    return w[key]


def _desk(w, prefix: str):
    """The lab manager of the home territory, or an admin for the other one."""
    return w["users"][Role.LAB_MANAGER] if not prefix else w["users"][Role.ADMIN]


def _event(w, prefix: str = ""):
    """A repair event at the lab of that territory, created once per world."""
    key = f"{prefix}repair_event"
    if key not in w:
        lab = w[f"{prefix}item"].lab
        fields = events.EventFields("Repair Café", clock.today() + timedelta(days=2), time(14), time(18))
        w[key] = events.create_event(_desk(w, prefix), lab, fields)
        db.session.commit()
    return w[key]


def _t(w, prefix=""):
    return _ticket(w, prefix).id


def _e(w, prefix=""):
    return _event(w, prefix).id


MATRIX = [
    Route("repairs.events", lambda w: "/repairs/events", TEAM),
    Route("repairs.event_new", lambda w: "/repairs/events/new", DESK),
    Route(
        "repairs.event",
        lambda w: f"/repairs/events/{_e(w)}",
        TEAM,
        other_url=lambda w: f"/repairs/events/{_e(w, 'other_')}",
    ),
    Route(
        "repairs.event_edit",
        lambda w: f"/repairs/events/{_e(w)}/edit",
        DESK,
        other_url=lambda w: f"/repairs/events/{_e(w, 'other_')}/edit",
    ),
    Route(
        "repairs.event_cancel",
        lambda w: f"/repairs/events/{_e(w)}/cancel",
        DESK,
        method="POST",
        other_url=lambda w: f"/repairs/events/{_e(w, 'other_')}/cancel",
    ),
    Route("repairs.intake", lambda w: "/repairs/intake", DESK),
    # Public: the team sees the ticket, anyone else the scan view (never a name).
    Route("repairs.ticket", lambda w: f"/repairs/tickets/{_t(w)}", ALL_ROLES, anonymous=True),
    Route(
        "repairs.ticket_edit",
        lambda w: f"/repairs/tickets/{_t(w)}/edit",
        DESK,
        other_url=lambda w: f"/repairs/tickets/{_t(w, 'other_')}/edit",
    ),
    Route(
        "repairs.ticket_photo",
        lambda w: f"/repairs/tickets/{_t(w)}/photo/thumb",
        TEAM,
        other_url=lambda w: f"/repairs/tickets/{_t(w, 'other_')}/photo/thumb",
    ),
    Route(
        "repairs.ticket_status",
        lambda w: f"/repairs/tickets/{_t(w)}/status",
        TEAM,
        method="POST",
        data=lambda w: {"status": "diagnosed"},
        other_url=lambda w: f"/repairs/tickets/{_t(w, 'other_')}/status",
    ),
    Route(
        "repairs.ticket_notes",
        lambda w: f"/repairs/tickets/{_t(w)}/notes",
        TEAM,
        method="POST",
        data=lambda w: {"diagnosis": "Résistance coupée", "work_done": ""},
        other_url=lambda w: f"/repairs/tickets/{_t(w, 'other_')}/notes",
    ),
    Route(
        "repairs.ticket_work",
        lambda w: f"/repairs/tickets/{_t(w)}/work",
        TEAM,
        method="POST",
        data=lambda w: {"talent_id": w["talent"].id, "minutes": 20},
        other_url=lambda w: f"/repairs/tickets/{_t(w, 'other_')}/work",
    ),
    Route(
        "repairs.ticket_part",
        lambda w: f"/repairs/tickets/{_t(w)}/parts",
        TEAM,
        method="POST",
        data=lambda w: {"item_id": w["part"].id, "quantity": 1},
        other_url=lambda w: f"/repairs/tickets/{_t(w, 'other_')}/parts",
    ),
    Route(
        "repairs.ticket_tool",
        lambda w: f"/repairs/tickets/{_t(w)}/tools",
        TEAM,
        method="POST",
        data=lambda w: {"code": w["item"].code},
        other_url=lambda w: f"/repairs/tickets/{_t(w, 'other_')}/tools",
    ),
    Route(
        "repairs.ticket_outcome",
        lambda w: f"/repairs/tickets/{_t(w)}/outcome",
        TEAM,
        method="POST",
        data=lambda w: {"outcome": "fixed"},
        other_url=lambda w: f"/repairs/tickets/{_t(w, 'other_')}/outcome",
    ),
    Route(
        "repairs.ticket_notify",
        lambda w: f"/repairs/tickets/{_t(w)}/notify",
        DESK,
        method="POST",
        other_url=lambda w: f"/repairs/tickets/{_t(w, 'other_')}/notify",
    ),
    Route(
        "repairs.ticket_erase_owner",
        lambda w: f"/repairs/tickets/{_t(w)}/erase-owner",
        DESK,
        method="POST",
        other_url=lambda w: f"/repairs/tickets/{_t(w, 'other_')}/erase-owner",
    ),
    Route("repairs.categories", lambda w: "/repairs/categories", ADMIN),
    Route("repairs.category_skills", lambda w: f"/repairs/categories/{_toaster_id()}/skills", ADMIN),
]

MATRIX += ORDS_MATRIX
MATRIX += STATS_MATRIX  # the lists and figures
