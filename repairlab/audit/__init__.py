"""Audit log: who changed what, when, with before and after values."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from repairlab.auth import Role
from repairlab.pages import NavItem, nav

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


def init_app(app: Flask) -> None:
    """Register the views, the navigation link and the blueprint."""
    from repairlab.audit import views  # noqa: F401  (the blueprint's routes, which import bp)

    nav.register("audit.browse", NavItem(_l("Audit log"), frozenset({Role.ADMIN}), admin=True), order=93)
    app.register_blueprint(bp)
