"""QR labels: rendering, label sheets, the public code resolver /q/<code> and the scanner page."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from repairlab.auth import Role
from repairlab.pages import NavItem, nav

bp = Blueprint("labels", __name__)


def init_app(app: Flask) -> None:
    """Register the views, the scan link and the blueprint."""
    from repairlab.labels import views  # noqa: F401  (the blueprint's routes, which import bp)

    territory_roles = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
    nav.register("labels.scan", NavItem(_l("Scan"), territory_roles), order=5)

    app.register_blueprint(bp)
