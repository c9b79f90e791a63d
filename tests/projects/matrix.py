"""Who may use each projects route; see tests/core/test_permissions.py. Each part of the domain declares its own."""

from tests.projects.board_matrix import BOARD_MATRIX
from tests.projects.project_matrix import PROJECT_MATRIX
from tests.projects.prototype_matrix import PROTOTYPE_MATRIX

MATRIX = PROJECT_MATRIX + PROTOTYPE_MATRIX + BOARD_MATRIX
