"""Core pages: the home page per role, the language switch and the health check."""

from flask import Blueprint, Flask

bp = Blueprint("core", __name__)


def init_app(app: Flask) -> None:
    """Register the views and the blueprint."""
    from repairlab.core import views  # noqa: F401

    app.register_blueprint(bp)
