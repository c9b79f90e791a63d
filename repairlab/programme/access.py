"""Who may see and record a talent's path: one place for the programme domain's permission rules."""

from __future__ import annotations

from repairlab.auth import can_access_territory
from repairlab.people.models import Role, User

# Staff who follow talents' paths in their territory (admins: in every territory). Researchers read indicators
# and pseudonymised exports only, never a named path.
PATH_STAFF = frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})


def is_path_staff(user: User, territory_id: int | None) -> bool:
    """Mentors and lab managers of this territory, and admins: see paths, record attendance, events and exits."""
    return (
        user.is_authenticated
        and user.active
        and user.role in PATH_STAFF
        and territory_id is not None
        and can_access_territory(user, territory_id)
    )


def follows_talents(user: User) -> bool:
    """Whether the user follows talents somewhere (the attention list, the sessions)."""
    return user.is_authenticated and user.active and user.role in PATH_STAFF


def can_see_path(viewer: User, talent: User) -> bool:
    """The talent's path (timeline): staff of the talent's territory, for a talent's account."""
    return talent.role == Role.PARTICIPANT and is_path_staff(viewer, talent.territory_id)


def can_manage_programme(user: User) -> bool:
    """Periods, targets, new territories, erasure: programme administrators."""
    return user.is_authenticated and user.active and user.role == Role.ADMIN
