"""The sections repairs adds to earlier pages: the lab manager's home shows the desk's queues (tickets waiting for a
diagnosis, in repair for more than REPAIR_STALE_DAYS days, ready to collect). The lending desk has no registry of
sections, so the queues are on the home page only."""

from __future__ import annotations

from flask import Flask, current_app

from repairlab.auth import territory_scope
from repairlab.clock import utcnow
from repairlab.pages import HomePanel, home_panels
from repairlab.people.models import Role, User
from repairlab.repairs import queries
from repairlab.repairs.categories import category_label


def queues_context(user: User) -> dict:
    """The desk's three queues in the user's territory (every territory for administrators); two queries, plus
    one per queue that is not empty."""
    queues = queries.desk_queues(territory_scope(user), utcnow(), current_app.config["REPAIR_STALE_DAYS"])
    return {"queues": queues, "category_label": category_label}


def register(app: Flask) -> None:
    """Add the repair desk's queues to the home page of lab managers and administrators."""
    home_panels.register(
        "repairs.queues",
        HomePanel(frozenset({Role.LAB_MANAGER, Role.ADMIN}), "repairs/panels/queues.html", queues_context),
        order=16,
    )
