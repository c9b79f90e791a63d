"""What later domains add to the people domain: links on a person's page, and rules following a lab's change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa

from repairlab.extensions import db
from repairlab.people.models import Lab, User
from repairlab.registry import Registry


@dataclass(frozen=True)
class PersonAction:
    """A link on a person's page that a later domain adds (e.g. lending: print the member card), registered under
    its endpoint (which takes the person's user_id)."""

    label: Any  # a lazy translated string
    # Whether the viewer (first) sees the link on this person's page (second).
    applies: Callable[[User, User], bool]


# The links of a person's page, by endpoint.
person_actions: Registry[PersonAction] = Registry("person actions")


def person_actions_for(viewer: User, person: User) -> list[tuple[str, PersonAction]]:
    """(endpoint, link) for the links this viewer sees on this person's page, in order."""
    return [(endpoint, action) for endpoint, action in person_actions.items() if action.applies(viewer, person)]


# Later domains follow or veto a lab's change, called with (lab already changed, old name, old territory id):
# the inventory rewrites its places' paths, and refuses to move a lab that holds things to another territory.
LabChangeHook = Callable[[Lab, str, int], None]
lab_change_hooks: Registry[LabChangeHook] = Registry("lab change hooks")


# --- Erasure on request (GDPR) --------------------------------------------------------------------------------------

# Each domain scrubs what the erased person wrote or what identifies them in its own tables (free text, cards),
# called with the person before their account is anonymised; the rows themselves stay, anonymous.
ErasureHook = Callable[[User], None]
erasure_hooks: Registry[ErasureHook] = Registry("erasure hooks")

# What a scrubbed free text reads: the rows keep a sign that something was there.
ERASED_TEXT = "—"


# --- A person's own data, and the timeline of a talent's path -------------------------------------------------------


# Each domain gives the rows it holds about a person (table name -> list of plain dicts), for "download my data".
PersonalDataSource = Callable[[User], dict[str, list[dict[str, Any]]]]
personal_data_sources: Registry[PersonalDataSource] = Registry("personal data sources")


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def plain_rows(stmt: sa.Select) -> list[dict[str, Any]]:
    """The rows of a statement as plain dicts (enums as their values, dates in ISO 8601): a personal data table."""
    return [{key: _plain(value) for key, value in row.items()} for row in db.session.execute(stmt).mappings()]


@dataclass(frozen=True)
class TimelineEntry:
    """One dated line of a talent's timeline: when, what kind (a key for the page's style, and its name in words),
    and what, in words."""

    on: Any  # a date
    kind: str
    kind_label: str
    title: str
    detail: str = ""
    url: str | None = None


# Each domain gives the dated entries it holds about a talent (the programme's path, skills validated, loans,
# projects, repairs...): called with (the talent, the viewer), each source returns its entries in any order.
TimelineSource = Callable[[User, User], list[TimelineEntry]]
timeline_sources: Registry[TimelineSource] = Registry("timeline sources")

# Each source brings at most this many lines: a long path stays one light page.
TIMELINE_SOURCE_ROWS = 200


@dataclass(frozen=True)
class AccountLink:
    """A link on one's own account page that a later domain adds (e.g. download my data), by endpoint."""

    label: Any  # a lazy translated string
    applies: Callable[[User], bool]


account_links: Registry[AccountLink] = Registry("account links")


def account_links_for(user: User) -> list[tuple[str, AccountLink]]:
    """(endpoint, link) for the links this user sees on their account page, in order."""
    return [(endpoint, link) for endpoint, link in account_links.items() if link.applies(user)]


@dataclass(frozen=True)
class AccountPanel:
    """A section of one's own account page that a later domain adds (e.g. the programme: my progress), rendered
    from a template with a context (None hides it)."""

    template: str
    context: Callable[[User], dict[str, Any] | None]


account_panels: Registry[AccountPanel] = Registry("account panels")


def account_panels_for(user: User) -> list[tuple[AccountPanel, dict[str, Any]]]:
    """(panel, its context) for the sections this user sees on their account page, in order."""
    out = []
    for panel in account_panels:
        ctx = panel.context(user)
        if ctx is not None:
            out.append((panel, ctx))
    return out
