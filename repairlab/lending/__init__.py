"""Lending: talents borrow and return tools, the lab manager's desk, member cards."""

from flask import Blueprint, Flask

bp = Blueprint("lending", __name__)


def init_app(app: Flask) -> None:
    """Register the views, item-page panels, home panels, navigation, demo data and the blueprint."""
    from flask_babel import lazy_gettext as _l

    from repairlab.demo import demo_seeders
    from repairlab.lending import demo, person_data, views  # noqa: F401  (routes)
    from repairlab.lending.access import is_desk
    from repairlab.lending.maintenance import demo as maintenance_demo
    from repairlab.lending.maintenance import views as maintenance_views  # noqa: F401  (routes)
    from repairlab.lending.panels import register_panels
    from repairlab.lending.reminders import send_reminders_command
    from repairlab.lending.reservations import demo as reservations_demo
    from repairlab.lending.reservations import views as reservations_views  # noqa: F401  (routes)
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
            lambda viewer, person: person.role == Role.PARTICIPANT and is_desk(viewer, person.territory_id),
        ),
        order=10,
    )
    register_panels()
    person_data.register()
    demo_seeders.register("lending", demo.seed_lending, order=40)
    demo_seeders.register("lending.maintenance", maintenance_demo.seed_maintenance, order=45)
    demo_seeders.register("lending.reservations", reservations_demo.seed_reservations, order=47)
    app.cli.add_command(send_reminders_command)
    app.register_blueprint(bp)
