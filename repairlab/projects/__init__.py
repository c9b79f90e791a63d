"""Projects: incubated economic projects, their stages, sessions, milestones, prototypes and mentors' boards."""

from flask import Blueprint, Flask

bp = Blueprint("projects", __name__, url_prefix="/projects")


def init_app(app: Flask) -> None:
    """Register the views, code target, panels, navigation, demo data and the blueprint."""
    from flask import url_for

    from repairlab.demo import demo_seeders
    from repairlab.inventory.registry import CodeTarget, code_targets
    from repairlab.projects import demo, panels, person_data, views  # noqa: F401  (routes)
    from repairlab.projects.board import views as board_views  # noqa: F401  (routes)
    from repairlab.projects.prototypes import demo as prototype_demo
    from repairlab.projects.prototypes import panels as prototype_panels
    from repairlab.projects.prototypes import views as prototype_views  # noqa: F401  (routes)
    from repairlab.projects.queries import project_names
    from repairlab.projects.services import PROJECT_TARGET

    code_targets.register(
        PROJECT_TARGET, CodeTarget(lambda pid: url_for("projects.project", project_id=pid), project_names)
    )
    panels.register_panels()
    person_data.register()
    prototype_panels.register_panels()
    demo_seeders.register("projects", demo.seed_projects, order=60)
    demo_seeders.register("projects.prototypes", prototype_demo.seed_prototypes, order=70)
    app.register_blueprint(bp)
