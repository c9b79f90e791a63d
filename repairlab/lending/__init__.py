"""Lending: talents borrow and return tools, the lab manager's desk, member cards."""

from flask import Blueprint, Flask

bp = Blueprint("lending", __name__)


def init_app(app: Flask) -> None:
    """Register the views, item-page panels, home panels, navigation, demo data and the blueprint."""
    from flask_babel import lazy_gettext as _l

    from repairlab.core.registry import NavItem, PersonAction, nav, person_actions
    from repairlab.lending import demo, views  # noqa: F401  (seeders, routes)
    from repairlab.lending.access import is_desk
    from repairlab.lending.maintenance import demo as maintenance_demo  # noqa: F401  (seeder)
    from repairlab.lending.maintenance import views as maintenance_views  # noqa: F401  (routes)
    from repairlab.lending.panels import register_panels  # also the maintenance routes
    from repairlab.lending.reminders import send_reminders_command
    from repairlab.lending.reservations import demo as reservations_demo  # noqa: F401  (seeder)
    from repairlab.lending.reservations import views as reservations_views  # noqa: F401  (routes)
    from repairlab.people.models import Role

    lending = _l("Lending")
    nav.register(NavItem("lending.my_loans", _l("My loans"), frozenset({Role.PARTICIPANT}), order=15))
    nav.register(
        NavItem("lending.desk", _l("Lending desk"), frozenset({Role.LAB_MANAGER, Role.ADMIN}), order=15, group=lending)
    )
    nav.register(
        NavItem(
            "lending.calendar",
            _l("Reservations"),
            frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN}),
            order=16,
            group=lending,
        )
    )
    person_actions.register(
        PersonAction(
            "lending.talent_card",
            _l("Print the member card"),
            lambda viewer, person: person.role == Role.PARTICIPANT and is_desk(viewer, person.territory_id),
            order=10,
        )
    )
    register_panels()
    app.cli.add_command(send_reminders_command)
    app.register_blueprint(bp)
