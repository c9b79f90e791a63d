"""Reporting: the indicators page and the research exports, read-only over every other domain."""

from flask import Blueprint, Flask

bp = Blueprint("reporting", __name__, url_prefix="/reporting")


def init_app(app: Flask) -> None:
    """Register the views, the sections and export tables, the navigation link, the command and the blueprint."""
    from flask_babel import lazy_gettext as _l

    from repairlab.pages import NavItem, nav
    from repairlab.reporting import (  # noqa: F401
        export_tables,
        indicators,
        path_export_tables,
        path_indicators,
        questionnaire_export_tables,
        questionnaire_indicators,
        repair_export_tables,
        repair_indicators,
        views,
    )
    from repairlab.reporting.access import PAGE_ROLES
    from repairlab.reporting.commands import research_export_command

    indicators.register_sections()
    path_indicators.register_sections()
    questionnaire_indicators.register_sections()
    repair_indicators.register_sections()
    export_tables.register_tables()
    path_export_tables.register_tables()
    repair_export_tables.register_tables()
    questionnaire_export_tables.register_tables()
    # In the programme's menu on wide screens (groups are matched by their label), so that the menu holds on one line.
    nav.register("reporting.index", NavItem(_l("Indicators"), PAGE_ROLES, group=_l("Programme")), order=62)
    app.cli.add_command(research_export_command)
    app.register_blueprint(bp)
