"""The main navigation of the foundation's pages; each later domain registers its own links."""

from flask_babel import lazy_gettext as _l

from repairlab.auth import STAFF_ROLES
from repairlab.core.registry import NavItem, nav
from repairlab.people.models import Role

ALL_ROLES = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})


def register_navigation() -> None:
    """Register the links of the foundation."""
    nav.register(NavItem("core.home", _l("Home"), ALL_ROLES, order=0))
    nav.register(NavItem("people.directory", _l("People"), frozenset(STAFF_ROLES), order=80))
    nav.register(NavItem("people.admin_users", _l("Accounts"), ADMIN, order=90, admin=True))
    nav.register(NavItem("people.admin_territories", _l("Territories and labs"), ADMIN, order=91, admin=True))
    nav.register(NavItem("people.admin_cohorts", _l("Cohorts"), ADMIN, order=92, admin=True))
    nav.register(NavItem("audit.browse", _l("Audit log"), ADMIN, order=93, admin=True))
