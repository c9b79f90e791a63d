"""Who may use each labels route (read from the views' decorators); see tests/core/test_permissions.py."""

from repairlab.people.models import Role
from tests.permissions import ALL_ROLES, Route

PRINTERS = frozenset({Role.LAB_MANAGER, Role.ADMIN})

MATRIX = [
    # Public: printed on labels, they must work for anyone, logged in or not.
    Route("labels.resolve", lambda w: f"/q/{w['item'].code.lower()}", ALL_ROLES, anonymous=True),
    Route("labels.scan", lambda w: "/scan", ALL_ROLES, anonymous=True),
    Route("labels.scan_go", lambda w: f"/scan/go?code={w['item'].code}", ALL_ROLES, anonymous=True),
    Route(
        "labels.print_labels",
        lambda w: f"/labels/print?code={w['item'].code}",
        PRINTERS,
        other_url=lambda w: f"/labels/print?code={w['other_item'].code}",
    ),
    Route(
        "labels.sheet",
        lambda w: f"/labels/sheet.pdf?code={w['item'].code}&layout=a4-4x10",
        PRINTERS,
        other_url=lambda w: f"/labels/sheet.pdf?code={w['other_item'].code}",
    ),
    Route(
        "labels.label_image",
        lambda w: f"/labels/{w['item'].code}.png",
        PRINTERS,
        other_url=lambda w: f"/labels/{w['other_item'].code}.png",
    ),
    Route(
        "labels.label_vector",
        lambda w: f"/labels/{w['item'].code}.svg",
        PRINTERS,
        other_url=lambda w: f"/labels/{w['other_item'].code}.svg",
    ),
    # The territory is chosen in the form, among the user's own: no object in the URL.
    Route("labels.blank_codes", lambda w: "/labels/blank", PRINTERS),
]
