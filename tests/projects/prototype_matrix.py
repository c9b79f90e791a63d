"""Who may use each prototype route (being written)."""

PROTOTYPE_MATRIX = []
