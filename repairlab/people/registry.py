"""What later domains add to the people domain: links on a person's page, and rules following a lab's change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
