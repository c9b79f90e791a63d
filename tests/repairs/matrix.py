"""Who may use each repairs route; see tests/core/test_permissions.py."""

from tests.repairs.ords_matrix import ORDS_MATRIX

MATRIX = [*ORDS_MATRIX]
