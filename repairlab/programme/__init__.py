"""Programme: the periods and their targets, each talent's path (intake, events, attendance, exit, follow-ups), the
timeline and the "who needs attention" list, erasure on request and opening a new territory."""

from flask import Blueprint, Flask

bp = Blueprint("programme", __name__, url_prefix="/programme")


def init_app(app: Flask) -> None:
    """Register the views, home panels, person actions, timeline sources, erasure hooks, demo data, the blueprint."""
    app.register_blueprint(bp)
