"""People: accounts, roles, territories, labs, cohorts and tracks; the language switch."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from repairlab.auth import STAFF_ROLES, Role
from repairlab.demo import demo_seeders
from repairlab.pages import NavItem, nav
from repairlab.people import demo
from repairlab.people.panels import register_panels

bp = Blueprint("people", __name__)

ADMIN = frozenset({Role.ADMIN})


def init_app(app: Flask) -> None:
    """Register the views, the home panels, navigation, demo data and the blueprint."""
    from repairlab.people import person_data, views  # noqa: F401  (views: the blueprint's routes, which import bp)

    nav.register("people.directory", NavItem(_l("People"), frozenset(STAFF_ROLES), group=_l("Programme")), order=80)
    nav.register("people.admin_users", NavItem(_l("Accounts"), ADMIN, admin=True), order=90)
    nav.register("people.admin_territories", NavItem(_l("Territories and labs"), ADMIN, admin=True), order=91)
    nav.register("people.admin_cohorts", NavItem(_l("Cohorts"), ADMIN, admin=True), order=92)
    register_panels()
    person_data.register()
    demo_seeders.register("people", demo.seed_people, order=0)
    app.register_blueprint(bp)
