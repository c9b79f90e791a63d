"""Sections that later domains add to the item page (current loan, prototypes using it, …)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from repairlab.inventory.models import Item
from repairlab.people.models import User


@dataclass(frozen=True)
class ItemPanel:
    """A section of the item page: a template and a context function (None hides it).

    action_template, if any, renders the panel's main action (borrow, give back, or what stops you) right under
    the item's name, with the same context, so that a phone shows it without scrolling; `template` renders the
    rest further down the page.
    """

    key: str
    template: str
    context: Callable[[Item, User | None], dict[str, Any] | None]
    order: int = 100
    action_template: str | None = None


@dataclass
class ItemPanelRegistry:
    """Panels registered by domains that build on the inventory."""

    panels: dict[str, ItemPanel] = field(default_factory=dict)

    def register(self, panel: ItemPanel) -> None:
        """Add (or replace) a panel."""
        self.panels[panel.key] = panel

    def for_item(self, item: Item, viewer: User | None) -> list[tuple[ItemPanel, dict[str, Any]]]:
        """The panels to show on this item's page to this viewer, with their contexts."""
        out = []
        for panel in sorted(self.panels.values(), key=lambda p: (p.order, p.key)):
            ctx = panel.context(item, viewer)
            if ctx is not None:
                out.append((panel, ctx))
        return out


item_panels = ItemPanelRegistry()
