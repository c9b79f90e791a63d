"""Views of the inventory, one module per concern, all on the inventory's blueprint: importing this package
registers every route."""

from repairlab.inventory.views import (  # noqa: F401
    attach,
    categories,
    import_export,
    items,
    places,
    reports,
    requirements,
)
