"""Skills: the catalogue, each talent's skills passport, public verification, "may use" checks and matching."""

from flask import Blueprint, Flask

bp = Blueprint("skills", __name__)


def init_app(app: Flask) -> None:
    """Register the views, home panels, navigation, demo data, the badge-keys command and the blueprint."""
    from flask_babel import lazy_gettext as _l

    from repairlab.demo import demo_seeders
    from repairlab.pages import NavItem, nav
    from repairlab.people.models import Role
    from repairlab.skills import badge_keys, demo, levels, person_data, views  # noqa: F401  (views: routes)
    from repairlab.skills.cli import badge_keys_command
    from repairlab.skills.panels import register_panels

    staff = frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
    nav.register("skills.my_passport", NavItem(_l("My skills"), frozenset({Role.PARTICIPANT})), order=20)
    nav.register("skills.catalogue", NavItem(_l("Catalogue of skills"), staff, group=_l("Skills")), order=20)
    nav.register("skills.match", NavItem(_l("Who can do what"), staff, group=_l("Skills")), order=21)
    register_panels()
    person_data.register()
    demo_seeders.register("skills", demo.seed_skills, order=20)
    app.add_template_global(levels.level_label, "skill_level_label")
    app.cli.add_command(badge_keys_command)
    # In production, a key folder that cannot be used stops the start, as a missing SECRET_KEY does; no key at all
    # only turns signed badges off (the pages say so), since production never generates one.
    if app.config["REPAIRLAB_ENV"] == "production" and badge_keys.keyring(app).current is None:
        app.logger.warning(
            "No Open Badges signing key in %s: signed badges are unavailable. "
            "Create one with `flask --app app badge-keys new`.",
            badge_keys.keys_folder(app),
        )
    app.register_blueprint(bp)
