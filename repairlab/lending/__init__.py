"""Lending: talents borrow and return tools, the lab manager's desk, member cards."""

from flask import Blueprint, Flask

bp = Blueprint("lending", __name__)


def init_app(app: Flask) -> None:
    """Register the views, item-page panels, home panels, navigation, demo data and the blueprint."""
    from flask_babel import lazy_gettext as _l

    from repairlab.core.registry import NavItem, nav
    from repairlab.lending import (  # noqa: F401  (seeders, routes)
        demo,
        reservation_demo,
        reservation_views,
        stocktake_demo,
        stocktake_views,
        views,
    )
    from repairlab.lending.panels import register_panels  # also the maintenance routes
    from repairlab.lending.reminders import send_reminders_command
    from repairlab.people.models import Role

    nav.register(NavItem("lending.my_loans", _l("My loans"), frozenset({Role.PARTICIPANT}), order=15))
    nav.register(NavItem("lending.desk", _l("Desk"), frozenset({Role.LAB_MANAGER, Role.ADMIN}), order=15))
    nav.register(
        NavItem(
            "lending.calendar",
            _l("Reservations"),
            frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN}),
            order=16,
        )
    )
    register_panels()
    app.cli.add_command(send_reminders_command)
    app.register_blueprint(bp)
