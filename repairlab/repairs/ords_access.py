"""Who may import and export ORDS files: one place for these rules.

- administrators import into any lab, and as external reference data (no lab); they export everything;
- lab managers import into the labs of their territory and export their territory's tickets;
- mentors and researchers export (an ORDS file holds no personal data: pseudonymous ids, problem texts without
  e-mail addresses or phone numbers); researchers see every territory, mentors their own.
"""

from __future__ import annotations

from repairlab.auth import can_access_territory, has_role, territory_scope
from repairlab.people.models import Lab, Role, User

IMPORT_ROLES = (Role.LAB_MANAGER, Role.ADMIN)
EXPORT_ROLES = (Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN, Role.RESEARCHER)


def may_import(user: User | None) -> bool:
    """Whether the user may import ORDS files at all (into some lab)."""
    return has_role(user, *IMPORT_ROLES)


def can_import(user: User | None, lab: Lab | None) -> bool:
    """Import into this lab (None: as external reference data, administrators only)."""
    if lab is None:
        return has_role(user, Role.ADMIN)
    return may_import(user) and can_access_territory(user, lab.territory_id)


def can_export(user: User | None) -> bool:
    """Export ORDS files."""
    return has_role(user, *EXPORT_ROLES)


def export_scope(user: User) -> int | None:
    """The territory whose tickets the user exports (None: every territory, and the external reference data)."""
    return territory_scope(user)
