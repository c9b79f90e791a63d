"""What later domains add to the repairs' pages: sections of a repair ticket's page (the guides for its object)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from repairlab.people.models import User
from repairlab.registry import Registry
from repairlab.repairs.models import RepairTicket


@dataclass(frozen=True)
class TicketPanel:
    """A section of the ticket's page (the team's view): a template and a context function (None hides it)."""

    template: str
    context: Callable[[RepairTicket, User], dict[str, Any] | None]


# The ticket page's sections, by key ("guides.suggested").
ticket_panels: Registry[TicketPanel] = Registry("ticket panels")


def ticket_panels_for(ticket: RepairTicket, viewer: User) -> list[tuple[TicketPanel, dict[str, Any]]]:
    """The sections this viewer sees on this ticket's page, with their contexts."""
    out = []
    for panel in ticket_panels:
        ctx = panel.context(ticket, viewer)
        if ctx is not None:
            out.append((panel, ctx))
    return out
