"""The arithmetic of the indicators' rates, in one place so that every page, table and export agrees."""

from __future__ import annotations

from decimal import Decimal


def rate(part: int | Decimal | None, whole: int | Decimal | None) -> float | None:
    """part / whole as a fraction (0.25 for 25 %), or None when there is nothing to divide by."""
    if not whole or part is None:
        return None
    return float(part) / float(whole)


def suppressed(count: int | None, threshold: int) -> int | None:
    """A count of people as an export may show it: None (suppressed) when 0 < count < threshold.

    Zero is kept: it discloses nobody. A threshold of 1 or less suppresses nothing.
    """
    if count is None or count == 0 or count >= threshold:
        return count
    return None
