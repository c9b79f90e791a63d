"""Views of repairs, one module per concern, all on the repairs blueprint: importing this package registers every
route. Each concern's module is imported on its own line below (tickets and events; ords; lists; impact)."""

from types import ModuleType

from flask import Flask

from repairlab.repairs.views import (
    categories,  # noqa: F401
    events,  # noqa: F401
    impact,  # noqa: F401
    lists,  # noqa: F401
    ords,  # noqa: F401
    tickets,  # noqa: F401
)


def init_app(app: Flask) -> None:
    """Call init_app(app) of every view module imported above that has one (navigation, panels of its pages)."""
    prefix = __name__ + "."
    for value in list(globals().values()):
        if isinstance(value, ModuleType) and value.__name__.startswith(prefix):
            hook = getattr(value, "init_app", None)
            if hook is not None:
                hook(app)
