"""Core pages: the home page per role (the sections every domain registers) and the health check."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from repairlab.auth import Role
from repairlab.pages import NavItem, nav

bp = Blueprint("core", __name__)


def init_app(app: Flask) -> None:
    """Register the views, the home link and the blueprint."""
    from repairlab.core import views  # noqa: F401  (the blueprint's routes, which import bp)

    nav.register("core.home", NavItem(_l("Home"), frozenset(Role)), order=0)
    app.register_blueprint(bp)
