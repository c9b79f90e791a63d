"""The pages every domain extends: the links of the main navigation and the sections of the home page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from repairlab.auth import Account, Role
from repairlab.registry import Registry


@dataclass(frozen=True)
class HomePanel:
    """A section of the home page: shown to some roles, rendered from a template with a context."""

    roles: frozenset[Role]
    template: str
    context: Callable[[Any], dict[str, Any] | None]  # the user -> the template's context, or None to hide it


# The home page's sections, by key ("lending.mine").
home_panels: Registry[HomePanel] = Registry("home panels")


def home_panels_for(user: Account) -> list[tuple[HomePanel, dict[str, Any]]]:
    """Panels this user sees, each with its context; a panel whose context is None is hidden."""
    out = []
    for panel in home_panels:
        if user.role in panel.roles:
            ctx = panel.context(user)
            if ctx is not None:
                out.append((panel, ctx))
    return out


@dataclass(frozen=True)
class NavItem:
    """A link of the main navigation (registered under its endpoint), shown to some roles."""

    label: Any  # a lazy translated string
    roles: frozenset[Role]
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


class NavRegistry(Registry[NavItem]):
    """The main navigation, which every domain extends: links by endpoint, in order."""

    def __init__(self, name: str = "navigation") -> None:
        super().__init__(name)
        # The resolved links per (role, language, application root): the same for every request that shares them;
        # forgotten when a link is registered.
        self._links: dict[tuple, tuple[NavLink, ...]] = {}
        self._links_version = self.version

    def endpoints_for(self, user: Account) -> list[tuple[str, NavItem]]:
        """(endpoint, link) for the links this user sees, in order."""
        return [(endpoint, item) for endpoint, item in self.items() if user.role in item.roles]

    def links(self, user: Account, locale: str, root: str, url_for: Callable[[str], str]) -> tuple[NavLink, ...]:
        """The links this user sees, in order, with their addresses and labels in that language; worked out once
        per role, language and application root (the address the application is served under)."""
        if self._links_version != self.version:
            self._links.clear()
            self._links_version = self.version
        key = (user.role, locale, root)
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = tuple(
                NavLink(endpoint, url_for(endpoint), str(item.label), item.admin, str(item.group or ""))
                for endpoint, item in self.endpoints_for(user)
            )
        return found


nav = NavRegistry()
