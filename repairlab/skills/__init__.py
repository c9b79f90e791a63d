"""Skills: the catalogue, each talent's skills passport, public verification, "may use" checks and matching."""

from flask import Blueprint, Flask

bp = Blueprint("skills", __name__)


def init_app(app: Flask) -> None:
    """Register the views, home panels, navigation, demo data and the blueprint."""
    from flask_babel import lazy_gettext as _l

    from repairlab.core.registry import NavItem, nav
    from repairlab.people.models import Role
    from repairlab.skills import demo, levels, views  # noqa: F401  (demo registers its seeder)
    from repairlab.skills.panels import register_panels

    staff = frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
    nav.register(NavItem("skills.my_passport", _l("My skills"), frozenset({Role.PARTICIPANT}), order=20))
    nav.register(NavItem("skills.catalogue", _l("Catalogue of skills"), staff, order=20, group=_l("Skills")))
    nav.register(NavItem("skills.match", _l("Who can do what"), staff, order=21, group=_l("Skills")))
    register_panels()
    app.add_template_global(levels.level_label, "skill_level_label")
    app.register_blueprint(bp)
