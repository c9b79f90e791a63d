"""Projects: incubated economic projects, their stages, sessions, milestones, prototypes and mentors' boards."""

from flask import Blueprint, Flask

bp = Blueprint("projects", __name__, url_prefix="/projects")


def init_app(app: Flask) -> None:
    """Register the views, code target, panels, navigation, demo data and the blueprint."""
    from flask import url_for

    from repairlab.inventory.codes import register_code_target
    from repairlab.projects import (  # noqa: F401  (routes and seeders)
        board_views,
        demo,
        panels,
        prototype_demo,
        prototype_panels,
        prototype_views,
        views,
    )
    from repairlab.projects.services import PROJECT_TARGET, project_names

    register_code_target(PROJECT_TARGET, lambda pid: url_for("projects.project", project_id=pid), project_names)
    panels.register_panels()
    prototype_panels.register_panels()
    app.register_blueprint(bp)
