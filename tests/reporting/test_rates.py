"""The arithmetic of rates and of suppression, on numbers worked out by hand."""

from decimal import Decimal

import pytest

from repairlab.reporting.rates import rate, suppressed


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 4, 0.25), (3, 3, 1.0), (0, 7, 0.0), (2, 3, 2 / 3), (Decimal("1.5"), 6, 0.25)],
)
def test_rate_is_part_over_whole(part, whole, expected):
    assert rate(part, whole) == pytest.approx(expected)


@pytest.mark.parametrize(("part", "whole"), [(0, 0), (3, 0), (None, 4), (2, None)])
def test_rate_without_a_whole_is_no_data_not_zero(part, whole):
    assert rate(part, whole) is None


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, None), (4, None), (5, 5), (12, 12), (None, None)])
def test_counts_under_the_threshold_are_suppressed_but_zero_is_kept(count, shown):
    assert suppressed(count, 5) == shown


def test_a_threshold_of_one_suppresses_nothing():
    assert [suppressed(n, 1) for n in (0, 1, 2)] == [0, 1, 2]
