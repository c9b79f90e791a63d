"""Programme: the periods and their targets, each talent's path (intake, events, attendance, exit, follow-ups), the
timeline and the "who needs attention" list, erasure on request and opening a new territory."""

from flask import Blueprint, Flask

bp = Blueprint("programme", __name__, url_prefix="/programme")


def init_app(app: Flask) -> None:
    """Register the views, home panels, person actions, timeline sources, erasure hooks, demo data, the blueprint."""
    from flask_babel import lazy_gettext as _l

    from repairlab.demo import demo_seeders
    from repairlab.pages import NavItem, nav
    from repairlab.people.models import Role
    from repairlab.people.registry import (
        AccountLink,
        PersonAction,
        account_links,
        erasure_hooks,
        person_actions,
        personal_data_sources,
        timeline_sources,
    )
    from repairlab.programme import demo, erasure, personal_data, questionnaires, timeline, views  # noqa: F401
    from repairlab.programme.access import can_see_path
    from repairlab.programme.panels import register_panels

    programme = _l("Programme")
    # Admins reach these from the programme's periods and the home panel: their menu is full at a laptop's width.
    followers = frozenset({Role.MENTOR, Role.LAB_MANAGER})
    nav.register("programme.attention", NavItem(_l("Talents' paths"), followers, group=programme), order=60)
    nav.register("programme.sessions", NavItem(_l("Sessions"), followers, group=programme), order=61)
    nav.register(
        "programme.period_list", NavItem(_l("Programme periods"), frozenset({Role.ADMIN}), admin=True), order=93
    )
    nav.register(
        "programme.open_territory", NavItem(_l("Open a territory"), frozenset({Role.ADMIN}), admin=True), order=94
    )
    person_actions.register(
        "programme.person_path", PersonAction(_l("See the path in the programme"), can_see_path), order=5
    )
    account_links.register(
        "programme.my_data_json",
        AccountLink(_l("Download my data (JSON)"), lambda user: True),
        order=10,
    )
    account_links.register(
        "programme.my_data_csv",
        AccountLink(_l("Download my data (CSV tables in a ZIP)"), lambda user: True),
        order=11,
    )
    for key, (source, order) in timeline.SOURCES.items():
        timeline_sources.register(key, source, order=order)
    for key, hook in erasure.HOOKS.items():
        erasure_hooks.register(key, hook)
    for key, source in personal_data.SOURCES.items():
        personal_data_sources.register(key, source, order=60)
    register_panels()
    demo_seeders.register("programme", demo.seed_programme, order=80)
    questionnaires.register()
    app.register_blueprint(bp)
