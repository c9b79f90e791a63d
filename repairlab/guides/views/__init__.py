"""Views of guides, one module per concern, all on the guides blueprint: importing this package registers every
route."""

from repairlab.guides.views import bundle, editor, links, public  # noqa: F401
