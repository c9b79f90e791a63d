"""Who may use each project route (being written)."""

PROJECT_MATRIX = []
