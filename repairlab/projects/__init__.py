"""Projects: incubated economic projects, their stages, sessions, milestones, prototypes and mentors' boards."""

from flask import Blueprint, Flask

bp = Blueprint("projects", __name__, url_prefix="/projects")


def init_app(app: Flask) -> None:
    """Register the views, code target, panels, navigation, demo data and the blueprint."""
    from flask import url_for

    from repairlab.demo import demo_seeders
    from repairlab.inventory.registry import CodeTarget, code_targets
    from repairlab.projects import (  # noqa: F401  (routes)
        board_views,
        demo,
        panels,
        prototype_demo,
        prototype_panels,
        prototype_views,
        views,
    )
    from repairlab.projects.services import PROJECT_TARGET, project_names

    code_targets.register(
        PROJECT_TARGET, CodeTarget(lambda pid: url_for("projects.project", project_id=pid), project_names)
    )
    panels.register_panels()
    prototype_panels.register_panels()
    demo_seeders.register("projects", demo.seed_projects, order=60)
    demo_seeders.register("projects.prototypes", prototype_demo.seed_prototypes, order=70)
    app.register_blueprint(bp)
