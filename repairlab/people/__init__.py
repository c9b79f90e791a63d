"""People: accounts, roles, territories, labs, cohorts and tracks."""

from flask import Blueprint, Flask

bp = Blueprint("people", __name__)


def init_app(app: Flask) -> None:
    """Register the views, the home panels and the blueprint."""
    from repairlab.people import views  # noqa: F401
    from repairlab.people.panels import register_panels

    register_panels()
    app.register_blueprint(bp)
