"""Guides: repair guides and workshop plans written once by the labs, versioned, linked to tools, tickets, sessions
and skills, public under an open licence, and exported for the next territory."""

from flask import Blueprint, Flask

bp = Blueprint("guides", __name__, url_prefix="/guides")


def init_app(app: Flask) -> None:
    """Register the views, the panels on tools, tickets, sessions and passports, demo data, commands, the
    blueprint."""
    app.register_blueprint(bp)
