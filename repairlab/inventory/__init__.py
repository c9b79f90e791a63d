"""Inventory: the tools, objects and parts of each lab, their places, categories, photos and problem reports."""

from flask import Blueprint, Flask

bp = Blueprint("inventory", __name__, url_prefix="/inventory")


def init_app(app: Flask) -> None:
    """Register the views, code targets, navigation, demo data and the blueprint."""
    from flask import url_for
    from flask_babel import lazy_gettext as _l

    from repairlab.demo import demo_seeders
    from repairlab.inventory import demo, person_data, views  # noqa: F401  (views: routes)
    from repairlab.inventory.panels import register_panels
    from repairlab.inventory.queries import item_names, location_names
    from repairlab.inventory.registry import CodeTarget, code_targets
    from repairlab.inventory.services import ITEM_TARGET, LOCATION_TARGET, follow_lab_change
    from repairlab.inventory.views.common import item_url
    from repairlab.pages import NavItem, nav
    from repairlab.people.models import Role
    from repairlab.people.registry import lab_change_hooks

    code_targets.register(
        ITEM_TARGET, CodeTarget(lambda item_id: url_for("inventory.item", item_id=item_id), item_names)
    )
    code_targets.register(
        LOCATION_TARGET, CodeTarget(lambda loc_id: url_for("inventory.location", location_id=loc_id), location_names)
    )
    territory_roles = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
    inventory = _l("Inventory")
    nav.register("inventory.items", NavItem(_l("Inventory"), territory_roles, group=inventory), order=10)
    nav.register(
        "inventory.reports",
        NavItem(_l("Problems"), frozenset({Role.LAB_MANAGER, Role.ADMIN}), group=inventory),
        order=12,
    )
    app.add_template_global(item_url)
    register_panels()
    person_data.register()
    lab_change_hooks.register("inventory.places", follow_lab_change)
    demo_seeders.register("inventory", demo.seed_inventory, order=10)
    demo_seeders.register("inventory.requirements", demo.seed_requirements, order=30)
    app.register_blueprint(bp)
