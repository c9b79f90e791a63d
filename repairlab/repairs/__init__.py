"""Repairs: repair events, tickets in the Open Repair Data Standard, the talents' work and the impact."""

from flask import Blueprint, Flask

bp = Blueprint("repairs", __name__, url_prefix="/repairs")


def init_app(app: Flask) -> None:
    """Register the views (and what their modules add: navigation), the commands and the blueprint."""
    from repairlab.repairs import cli, views

    views.init_app(app)
    cli.register(app)
    app.register_blueprint(bp)
