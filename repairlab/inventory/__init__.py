"""Inventory: the tools, objects and parts of each lab, their places, categories, photos and problem reports."""

from flask import Blueprint, Flask

bp = Blueprint("inventory", __name__, url_prefix="/inventory")


def init_app(app: Flask) -> None:
    """Register the views, code targets, navigation, demo data and the blueprint."""
    from flask import url_for
    from flask_babel import lazy_gettext as _l

    from repairlab.core.registry import NavItem, nav
    from repairlab.inventory import demo, views  # noqa: F401
    from repairlab.inventory.codes import register_code_target
    from repairlab.inventory.panels import register_panels
    from repairlab.inventory.queries import item_names, location_names
    from repairlab.inventory.services import ITEM_TARGET, LOCATION_TARGET, follow_lab_change
    from repairlab.people.models import Role
    from repairlab.people.services import lab_change_hooks

    register_code_target(ITEM_TARGET, lambda item_id: url_for("inventory.item", item_id=item_id), item_names)
    register_code_target(
        LOCATION_TARGET, lambda loc_id: url_for("inventory.location", location_id=loc_id), location_names
    )
    territory_roles = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
    nav.register(NavItem("labels.scan", _l("Scan"), territory_roles, order=5))
    inventory = _l("Inventory")
    nav.register(NavItem("inventory.items", _l("Inventory"), territory_roles, order=10, group=inventory))
    nav.register(
        NavItem(
            "inventory.reports", _l("Problems"), frozenset({Role.LAB_MANAGER, Role.ADMIN}), order=12, group=inventory
        )
    )
    register_panels()
    if follow_lab_change not in lab_change_hooks:
        lab_change_hooks.append(follow_lab_change)
    app.register_blueprint(bp)
