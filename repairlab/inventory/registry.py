"""What later domains add to the inventory: sections of the item page (current loan, prototypes using it, …) and
the kinds of things that carry codes (projects)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from repairlab.inventory.models import Item
from repairlab.people.models import User
from repairlab.registry import Registry


@dataclass(frozen=True)
class ItemPanel:
    """A section of the item page: a template and a context function (None hides it).

    action_template, if any, renders the panel's main action (borrow, give back, or what stops you) right under
    the item's name, with the same context, so that a phone shows it without scrolling; `template` renders the
    rest further down the page.
    """

    template: str
    context: Callable[[Item, User | None], dict[str, Any] | None]
    action_template: str | None = None
    # Shown to everyone who scans the item, visitors and other territories included (what the section shows is
    # public anyway, e.g. published guides); other sections are for the item's territory's members only.
    public: bool = False


# The item page's sections, by key ("lending.loan").
item_panels: Registry[ItemPanel] = Registry("item panels")


def item_panels_for(
    item: Item, viewer: User | None, *, public_only: bool = False
) -> list[tuple[ItemPanel, dict[str, Any]]]:
    """The panels to show on this item's page to this viewer, with their contexts (only the public ones to a
    visitor or another territory's member)."""
    out = []
    for panel in item_panels:
        if public_only and not panel.public:
            continue
        ctx = panel.context(item, viewer)
        if ctx is not None:
            out.append((panel, ctx))
    return out


@dataclass(frozen=True)
class CodeTarget:
    """How a domain opens the things its codes point to, and names them on labels."""

    url_for: Callable[[int], str]
    # ids -> {id: short name printed on the label}, in one query for a whole sheet.
    names: Callable[[list[int]], dict[int, str]] | None = None


# The kinds of things that carry codes (items, locations, projects, …), by target type: /q/<code> opens
# url_for(id).
code_targets: Registry[CodeTarget] = Registry("code targets")
