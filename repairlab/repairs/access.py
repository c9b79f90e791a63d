"""Who may see and do what in repairs: one place for the domain's permission rules.

- administrators: everything, in every territory;
- lab managers of the territory: everything: plan events, take objects in, see and edit the owner's contact,
  print labels, move a ticket through every status (returned, abandoned included), record any talent's work,
  take parts, record tools, set the outcome, tell the owner;
- mentors of the territory: see tickets and events (never the owner's contact) and repair: record any talent's
  work, the diagnosis and work done, parts, tools, the outcome; move a ticket up to "ready to collect";
- talents of the territory: the same as mentors, but they record only their own time;
- researchers: no ticket pages and no names: the pseudonymous impact figures and ORDS exports only;
- anyone (anonymous included): the public scan view of a ticket: the object, its status and the lab's opening
  hours, never a name.

Other territories' tickets and events are unknown to a territory's people (404, as elsewhere).
"""

from __future__ import annotations

from repairlab.auth import can_access_territory, has_role
from repairlab.people.models import Role, User

# The desk: plans events, takes objects in, sees the owner, closes tickets.
DESK_ROLES = (Role.LAB_MANAGER, Role.ADMIN)
# People who repair: see the territory's tickets and record the repair itself.
REPAIR_ROLES = (Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN)
# People who may record another talent's time.
SUPERVISOR_ROLES = (Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN)
# The figures (impact, repair rate, ORDS export): no names in them.
FIGURE_ROLES = (Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN, Role.RESEARCHER)


def is_desk(user: User | None, territory_id: int | None = None) -> bool:
    """Lab managers (of that territory) and administrators run the repair desk."""
    if not has_role(user, *DESK_ROLES):
        return False
    return territory_id is None or can_access_territory(user, territory_id)


def can_view(user: User | None, territory_id: int | None) -> bool:
    """Staff and talents of the territory, and administrators, see its tickets and events (the full page)."""
    return has_role(user, *REPAIR_ROLES) and territory_id is not None and can_access_territory(user, territory_id)


def can_repair(user: User | None, territory_id: int | None) -> bool:
    """Record the repair itself (diagnosis, work, parts, tools, outcome, status up to ready): whoever sees it."""
    return can_view(user, territory_id)


def can_record_work_for(user: User | None, talent: User, territory_id: int | None) -> bool:
    """Mentors, lab managers and admins record any talent's time; a talent records their own only."""
    if not can_repair(user, territory_id) or talent.territory_id != territory_id:
        return False
    return has_role(user, *SUPERVISOR_ROLES) or (user is not None and user.id == talent.id)


def sees_owner(user: User | None, territory_id: int | None) -> bool:
    """The owner's first name and contact: the desk only (personal data, minimal)."""
    return is_desk(user, territory_id)


def can_close(user: User | None, territory_id: int | None) -> bool:
    """Give the object back or abandon the ticket: the desk, which meets the owner."""
    return is_desk(user, territory_id)


def can_plan_events(user: User | None, territory_id: int | None = None) -> bool:
    """Plan, change and cancel repair events: the desk."""
    return is_desk(user, territory_id)


def can_take_in(user: User | None, territory_id: int | None = None) -> bool:
    """Take an object in (a new ticket) and print its label: the desk."""
    return is_desk(user, territory_id)


def can_see_figures(user: User | None) -> bool:
    """Impact figures, repair rates and ORDS exports (no personal data): staff and researchers."""
    return has_role(user, *FIGURE_ROLES)


def can_edit_categories(user: User | None) -> bool:
    """The categories' skills and the impact constants are the programme's: administrators."""
    return has_role(user, Role.ADMIN)
