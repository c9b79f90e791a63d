"""Skills: the catalogue, each talent's skills passport, public verification, "may use" checks and matching."""

from flask import Blueprint, Flask

bp = Blueprint("skills", __name__)


def init_app(app: Flask) -> None:
    """Register the views, home panels, navigation, demo data and the blueprint."""
    from flask_babel import lazy_gettext as _l

    from repairlab.demo import demo_seeders
    from repairlab.pages import NavItem, nav
    from repairlab.people.models import Role
    from repairlab.skills import demo, levels, person_data, views  # noqa: F401  (views: routes)
    from repairlab.skills.panels import register_panels

    staff = frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
    nav.register("skills.my_passport", NavItem(_l("My skills"), frozenset({Role.PARTICIPANT})), order=20)
    nav.register("skills.catalogue", NavItem(_l("Catalogue of skills"), staff, group=_l("Skills")), order=20)
    nav.register("skills.match", NavItem(_l("Who can do what"), staff, group=_l("Skills")), order=21)
    register_panels()
    person_data.register()
    demo_seeders.register("skills", demo.seed_skills, order=20)
    app.add_template_global(levels.level_label, "skill_level_label")
    app.register_blueprint(bp)
