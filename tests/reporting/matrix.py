"""Who may use each reporting route; see tests/core/test_permissions.py."""

from repairlab.people.models import Role
from tests.permissions import Route

PAGE = frozenset({Role.ADMIN, Role.RESEARCHER, Role.LAB_MANAGER, Role.MENTOR})
EXPORT = frozenset({Role.ADMIN, Role.RESEARCHER})

MATRIX = [
    Route(
        "reporting.index",
        lambda w: "/reporting/",
        PAGE,
        other_url=lambda w: f"/reporting/?territory={w['other_territory'].id}",
    ),
    Route(
        "reporting.table_csv",
        lambda w: "/reporting/enrolment/by_cohort.csv",
        PAGE,
        other_url=lambda w: f"/reporting/enrolment/by_cohort.csv?territory={w['other_territory'].id}",
    ),
    Route("reporting.export_zip", lambda w: "/reporting/export.zip", EXPORT),
]
