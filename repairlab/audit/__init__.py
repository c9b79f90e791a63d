"""Audit log: who changed what, when, with before and after values."""

from flask import Blueprint, Flask

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


def init_app(app: Flask) -> None:
    """Register the views and the blueprint."""
    from repairlab.audit import views  # noqa: F401

    app.register_blueprint(bp)
