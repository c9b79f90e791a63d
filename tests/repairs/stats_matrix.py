"""Who may use the routes of the repairs' lists and figures (see tests/core/test_permissions.py); added to the
domain's MATRIX in tests/repairs/matrix.py."""

from repairlab.people.models import Role
from tests.permissions import ALL_ROLES, Route

REPAIRERS = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
SUPERVISORS = frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
FIGURES = frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN, Role.RESEARCHER})

STATS_MATRIX = [
    Route("repairs.ticket_list", lambda w: "/repairs/tickets?status=open", REPAIRERS),
    Route("repairs.ticket_export", lambda w: "/repairs/tickets.csv", SUPERVISORS),
    Route("repairs.impact_home", lambda w: "/repairs/impact", FIGURES),
    Route(
        "repairs.impact_territory",
        lambda w: f"/repairs/impact/territories/{w['territory'].id}",
        FIGURES,
        other_url=lambda w: f"/repairs/impact/territories/{w['other_territory'].id}",
    ),
    Route(
        "repairs.impact_lab",
        lambda w: f"/repairs/impact/labs/{w['lab'].id}",
        FIGURES,
        other_url=lambda w: f"/repairs/impact/labs/{w['other_item'].lab_id}",
    ),
    Route("repairs.constants", lambda w: "/repairs/constants", ALL_ROLES),
]
