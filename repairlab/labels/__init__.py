"""QR labels: rendering, label sheets, the public code resolver /q/<code> and the scanner page."""

from flask import Blueprint, Flask

bp = Blueprint("labels", __name__)


def init_app(app: Flask) -> None:
    """Register the views and the blueprint."""
    from repairlab.labels import views  # noqa: F401

    app.register_blueprint(bp)
