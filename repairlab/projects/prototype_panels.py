"""(being written)"""


def register_panels() -> None:
    """Register nothing yet."""
