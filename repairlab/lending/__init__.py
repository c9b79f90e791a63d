"""Lending: talents borrow and return tools, the lab manager's desk, member cards."""

from flask import Blueprint, Flask

bp = Blueprint("lending", __name__)


def init_app(app: Flask) -> None:
    """Register the views, item-page panels, home panels, navigation, demo data and the blueprint."""
    from flask_babel import lazy_gettext as _l

    from repairlab.demo import demo_seeders
    from repairlab.lending import (  # noqa: F401  (routes)
        demo,
        maintenance_views,
        reservation_demo,
        reservation_views,
        services,
        stocktake_demo,
        stocktake_views,
        views,
    )
    from repairlab.lending.panels import register_panels
    from repairlab.lending.reminders import send_reminders_command
    from repairlab.pages import NavItem, nav
    from repairlab.people.models import Role
    from repairlab.people.registry import PersonAction, person_actions

    lending = _l("Lending")
    nav.register("lending.my_loans", NavItem(_l("My loans"), frozenset({Role.PARTICIPANT})), order=15)
    nav.register(
        "lending.desk",
        NavItem(_l("Lending desk"), frozenset({Role.LAB_MANAGER, Role.ADMIN}), group=lending),
        order=15,
    )
    nav.register(
        "lending.calendar",
        NavItem(
            _l("Reservations"),
            frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN}),
            group=lending,
        ),
        order=16,
    )
    person_actions.register(
        "lending.talent_card",
        PersonAction(
            _l("Print the member card"),
            lambda viewer, person: person.role == Role.PARTICIPANT and services.is_desk(viewer, person.territory_id),
        ),
        order=10,
    )
    register_panels()
    demo_seeders.register("lending", demo.seed_lending, order=40)
    demo_seeders.register("lending.maintenance", demo.seed_maintenance, order=45)
    demo_seeders.register("lending.stocktakes", stocktake_demo.seed_stocktakes, order=46)
    demo_seeders.register("lending.reservations", reservation_demo.seed_reservations, order=47)
    app.cli.add_command(send_reminders_command)
    app.register_blueprint(bp)
