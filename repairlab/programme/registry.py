"""What later domains add to the programme's pages: sections of an activity session's page (its workshop plan)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from repairlab.people.models import User
from repairlab.programme.models import ActivitySession
from repairlab.registry import Registry


@dataclass(frozen=True)
class SessionPanel:
    """A section of the session's page: a template and a context function (None hides it)."""

    template: str
    context: Callable[[ActivitySession, User], dict[str, Any] | None]


# The session page's sections, by key ("guides.plan").
session_panels: Registry[SessionPanel] = Registry("session panels")


def session_panels_for(session: ActivitySession, viewer: User) -> list[tuple[SessionPanel, dict[str, Any]]]:
    """The sections this viewer sees on this session's page, with their contexts."""
    out = []
    for panel in session_panels:
        ctx = panel.context(session, viewer)
        if ctx is not None:
            out.append((panel, ctx))
    return out
