"""Views of repairs, one module per concern, all on the repairs blueprint: importing this package registers every
route."""

from flask import Flask

from repairlab.repairs.views import categories, events, impact, lists, ords, tickets  # noqa: F401


def init_app(app: Flask) -> None:
    """What the view modules add to other pages (navigation)."""
    for module in (events, lists, impact, ords, categories):
        module.init_app(app)
