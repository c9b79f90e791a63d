"""Registries through which later domains add sections to pages of earlier ones, without imports between them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from repairlab.people.models import Role, User


@dataclass(frozen=True)
class HomePanel:
    """A section of the home page: shown to some roles, rendered from a template with a context."""

    key: str
    roles: frozenset[Role]
    template: str
    context: Callable[[User], dict[str, Any] | None]
    order: int = 100


@dataclass
class PanelRegistry:
    """An ordered set of panels, registered by domains at import time."""

    panels: dict[str, HomePanel] = field(default_factory=dict)

    def register(self, panel: HomePanel) -> None:
        """Add (or replace) a panel."""
        self.panels[panel.key] = panel

    def for_user(self, user: User) -> list[tuple[HomePanel, dict[str, Any]]]:
        """Panels this user sees, each with its context; a panel whose context is None is hidden."""
        out = []
        for panel in sorted(self.panels.values(), key=lambda p: (p.order, p.key)):
            if user.role in panel.roles:
                ctx = panel.context(user)
                if ctx is not None:
                    out.append((panel, ctx))
        return out


home_panels = PanelRegistry()


@dataclass(frozen=True)
class NavItem:
    """A link of the main navigation, shown to some roles."""

    endpoint: str
    label: Any  # a lazy translated string
    roles: frozenset[Role]
    order: int = 100
    # Programme administration: gathered under one "Administration" menu on wide screens.
    admin: bool = False
    # A lazy translated label: on wide screens, links with the same group share one drop-down menu under it (the
    # menu then holds on one line at a laptop's width); phones list every link.
    group: Any = None


@dataclass(frozen=True)
class NavLink:
    """A link of the main navigation as a page shows it: its address and label resolved."""

    endpoint: str
    url: str
    label: str
    admin: bool = False
    group: str = ""


@dataclass(frozen=True)
class NavGroup:
    """Links of the wide menu shown as one drop-down menu."""

    label: str
    links: tuple[NavLink, ...]

    def current(self, endpoint: str | None) -> bool:
        """Whether the page shown is one of the group's."""
        return any(link.endpoint == endpoint for link in self.links)


def wide_menu(links: tuple[NavLink, ...]) -> list[NavLink | NavGroup]:
    """The wide screens' menu: the links in order, those of a group gathered where the group's first one stands;
    a group of one link is shown as the link itself. (Administration links are left to the template's own menu.)"""
    grouped: dict[str, list[NavLink]] = {}
    for link in links:
        if link.group and not link.admin:
            grouped.setdefault(link.group, []).append(link)
    out: list[NavLink | NavGroup] = []
    for link in links:
        if link.admin:
            continue
        members = grouped.get(link.group) if link.group else None
        if not members or len(members) == 1:
            out.append(link)
        elif link is members[0]:
            out.append(NavGroup(link.group, tuple(members)))
    return out


@dataclass
class NavRegistry:
    """The main navigation, which every domain extends."""

    items: dict[str, NavItem] = field(default_factory=dict)
    # The resolved links per (role, language, application root): the same for every request that shares them.
    _links: dict[tuple, tuple[NavLink, ...]] = field(default_factory=dict, repr=False)

    def register(self, item: NavItem) -> None:
        """Add (or replace) a link."""
        self.items[item.endpoint] = item
        self._links.clear()

    def for_user(self, user: User) -> list[NavItem]:
        """The links this user sees, in order."""
        return sorted((i for i in self.items.values() if user.role in i.roles), key=lambda i: (i.order, i.endpoint))

    def links(self, user: User, locale: str, root: str, url_for: Callable[[str], str]) -> tuple[NavLink, ...]:
        """The links this user sees, in order, with their addresses and labels in that language; worked out once
        per role, language and application root (the address the application is served under)."""
        key = (user.role, locale, root, len(self.items))  # the size: links added behind register()'s back
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = tuple(
                NavLink(item.endpoint, url_for(item.endpoint), str(item.label), item.admin, str(item.group or ""))
                for item in self.for_user(user)
            )
        return found


nav = NavRegistry()


@dataclass(frozen=True)
class PersonAction:
    """A link on a person's page that a later domain adds (e.g. lending: print the member card)."""

    endpoint: str
    label: Any  # a lazy translated string
    # Whether the viewer (first) sees the link on this person's page (second).
    applies: Callable[[User, User], bool]
    order: int = 100


@dataclass
class PersonActionRegistry:
    """The links of a person's page, registered by domains at import time."""

    actions: dict[str, PersonAction] = field(default_factory=dict)

    def register(self, action: PersonAction) -> None:
        """Add (or replace) a link."""
        self.actions[action.endpoint] = action

    def for_person(self, viewer: User, person: User) -> list[PersonAction]:
        """The links this viewer sees on this person's page, in order."""
        found = (a for a in self.actions.values() if a.applies(viewer, person))
        return sorted(found, key=lambda a: (a.order, a.endpoint))


person_actions = PersonActionRegistry()
