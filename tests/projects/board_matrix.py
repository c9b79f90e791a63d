"""Who may use each board route (being written)."""

BOARD_MATRIX = []
