"""Projects: incubated economic projects, their stages, sessions, milestones, prototypes and mentors' boards."""

from flask import Blueprint, Flask

bp = Blueprint("projects", __name__, url_prefix="/projects")


def init_app(app: Flask) -> None:
    """Register the views, code target, panels, navigation, demo data and the blueprint."""
    from flask import url_for

    from repairlab.inventory.codes import register_code_target
    from repairlab.projects import demo, panels, views  # noqa: F401  (routes and seeders)
    from repairlab.projects.board import views as board_views  # noqa: F401  (routes)
    from repairlab.projects.prototypes import demo as prototype_demo  # noqa: F401  (seeder)
    from repairlab.projects.prototypes import panels as prototype_panels
    from repairlab.projects.prototypes import views as prototype_views  # noqa: F401  (routes)
    from repairlab.projects.queries import project_names
    from repairlab.projects.services import PROJECT_TARGET

    register_code_target(PROJECT_TARGET, lambda pid: url_for("projects.project", project_id=pid), project_names)
    panels.register_panels()
    prototype_panels.register_panels()
    app.register_blueprint(bp)
