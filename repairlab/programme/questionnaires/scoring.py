"""The scores of a questionnaire's scales: pure functions of the items' values, with no database.

A reversed item is turned round (on 4 points, 1 counts as 4 and 4 as 1), so that a higher score always means better.
A scale's score is missing (None) when more of its items are unanswered than it allows. A mean is the mean of the
items answered; a sum with items missing is the mean of the items answered times the number of items (prorated), so
that sums stay comparable whether or not an item was passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Scores are kept to two decimals.
PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ScoredItem:
    """An item of a scale as scoring sees it: its id, its number of points (4 or 5) and whether it is reversed."""

    item_id: int
    points: int
    reversed: bool = False


@dataclass(frozen=True)
class ScaleRule:
    """How a scale is scored: sum or mean ("sum" / "mean"), how many missing items it allows, and its items."""

    key: str
    method: str
    max_missing: int
    items: tuple[ScoredItem, ...]

    @property
    def low(self) -> Decimal:
        """The lowest score possible."""
        return Decimal(1) if self.method == "mean" else Decimal(len(self.items))

    @property
    def high(self) -> Decimal:
        """The highest score possible."""
        points = max((item.points for item in self.items), default=0)
        return Decimal(points) if self.method == "mean" else Decimal(sum(item.points for item in self.items))


def item_value(value: Decimal | int, points: int, reversed: bool = False) -> Decimal:
    """The value an answer counts for: itself, or turned round on its scale when the item is reversed."""
    value = Decimal(value)
    if not 1 <= value <= points:
        raise ValueError(f"{value} is not a point of a {points}-point scale")
    return Decimal(points + 1) - value if reversed else value


def scale_score(rule: ScaleRule, values: Mapping[int, Decimal | int | None]) -> Decimal | None:
    """The scale's score from the items' values (item id -> value; absent or None: not answered), or None when
    the scale has no item or more items are missing than it allows."""
    if not rule.items:
        return None
    counted = [
        item_value(values[item.item_id], item.points, item.reversed)
        for item in rule.items
        if values.get(item.item_id) is not None
    ]
    missing = len(rule.items) - len(counted)
    if not counted or missing > rule.max_missing:
        return None
    mean = sum(counted, Decimal(0)) / len(counted)
    score = mean if rule.method == "mean" else mean * len(rule.items)
    return score.quantize(PLACES, rounding=ROUND_HALF_UP)


def scores(rules: list[ScaleRule], values: Mapping[int, Decimal | int | None]) -> dict[str, Decimal | None]:
    """Every scale's score (scale key -> score or None)."""
    return {rule.key: scale_score(rule, values) for rule in rules}


def change(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    """How much a score moved between two moments (None when either is missing)."""
    if before is None or after is None:
        return None
    return after - before
