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


def durable_employment_rate(durable: int, exits: int) -> float | None:
    """Exits into durable employment (CDI, CDD or temping of 6 months or more, civil service, business creation)
    divided by every exit recorded."""
    return rate(durable, exits)


def dynamic_exit_rate(durable: int, transition: int, positive: int, exits: int) -> float | None:
    """The "sorties dynamiques" rate: exits into durable employment, transition employment or a positive exit
    (qualifying training, another inclusion structure), divided by every exit recorded."""
    return rate(durable + transition + positive, exits)
