"""Who may use each ORDS route (import and export pages); tests/repairs/matrix.py gathers them."""

from repairlab.people.models import Role
from tests.permissions import Route

IMPORTERS = frozenset({Role.LAB_MANAGER, Role.ADMIN})
EXPORTERS = frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN, Role.RESEARCHER})

ORDS_MATRIX = [
    Route("repairs.ords_import_page", lambda w: "/repairs/ords/import", IMPORTERS),
    Route(
        "repairs.ords_import_confirm",
        lambda w: "/repairs/ords/import/confirm",
        IMPORTERS,
        method="POST",
        # An expired preview: the allowed roles are sent back to the import page with a message.
        data=lambda w: {"target": str(w["lab"].id), "token": "0" * 32},
    ),
    Route("repairs.ords_export_page", lambda w: "/repairs/ords", EXPORTERS),
    Route("repairs.ords_export_file", lambda w: "/repairs/ords/export.csv", EXPORTERS),
    Route("repairs.ords_unpowered_file", lambda w: "/repairs/ords/unpowered.csv", EXPORTERS),
]
