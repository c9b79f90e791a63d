"""The arithmetic of the indicators' rates, in one place so that every page, table and export agrees."""

from __future__ import annotations

import math
from dataclasses import dataclass
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


# Student's t at 97.5 % (two-sided 95 %) for 1 to 9 degrees of freedom; from 10 on, the Cornish-Fisher expansion
# below agrees with the tables to four decimals.
_T975_SMALL = (12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622)
_Z975 = 1.959963984540054


def t_975(df: int) -> float:
    """The 97.5 % quantile of Student's t with df degrees of freedom (df >= 1): the factor of a 95 % interval."""
    if df < 1:
        raise ValueError("a t quantile needs at least one degree of freedom")
    if df <= len(_T975_SMALL):
        return _T975_SMALL[df - 1]
    z = _Z975
    terms = (
        (z**3 + z) / 4,
        (5 * z**5 + 16 * z**3 + 3 * z) / 96,
        (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384,
        (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160,
    )
    return z + sum(term / df**power for power, term in enumerate(terms, start=1))


@dataclass(frozen=True)
class MeanInterval:
    """A mean over n values with its 95 % confidence interval (None bounds with fewer than two values)."""

    n: int
    mean: float | None
    low: float | None
    high: float | None


def mean_interval(n: int, total: int | float, squares: int | float) -> MeanInterval:
    """The mean of n values from their sum and the sum of their squares, with its 95 % confidence interval:
    mean ± t(0.975, n − 1) × s / √n, s the sample standard deviation √((Σx² − (Σx)²/n) / (n − 1))."""
    if n <= 0:
        return MeanInterval(0, None, None, None)
    mean = total / n
    if n == 1:
        return MeanInterval(1, mean, None, None)
    # n·Σx² − (Σx)² is exact for integers (scores in hundredths); never below 0 through rounding otherwise.
    variance = max((n * squares - total * total) / (n * (n - 1)), 0)
    half = t_975(n - 1) * math.sqrt(variance / n)
    return MeanInterval(n, mean, mean - half, mean + half)
