"""Who may read the indicators and take the research exports."""

from __future__ import annotations

from repairlab.auth import Account, Role, has_role

# The indicators page: the programme team and researchers for every territory, staff for their own.
PAGE_ROLES = frozenset({Role.ADMIN, Role.RESEARCHER, Role.LAB_MANAGER, Role.MENTOR})
# The research exports (pseudonymous records): the research team and the programme team only.
EXPORT_ROLES = frozenset({Role.ADMIN, Role.RESEARCHER})


def can_export(user: Account) -> bool:
    """Whether the user may download the research export."""
    return has_role(user, *EXPORT_ROLES)
