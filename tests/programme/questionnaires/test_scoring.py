"""Scores of a scale: reversed items, mean and (prorated) sum, missing answers allowed or not."""

from decimal import Decimal

import pytest

from repairlab.programme.questionnaires.scoring import ScaleRule, ScoredItem, change, item_value, scale_score, scores

ITEMS = (ScoredItem(1, 4), ScoredItem(2, 4), ScoredItem(3, 4, reversed=True))


def rule(method="mean", max_missing=0, items=ITEMS):
    return ScaleRule("confiance", method, max_missing, items)


def test_a_reversed_item_counts_backwards():
    assert [item_value(v, 4, reversed=True) for v in (1, 2, 3, 4)] == [4, 3, 2, 1]
    assert [item_value(v, 5, reversed=True) for v in (1, 3, 5)] == [5, 3, 1]
    assert item_value(2, 4) == 2


def test_a_value_outside_the_scale_is_refused():
    with pytest.raises(ValueError, match="not a point"):
        item_value(5, 4)


def test_the_mean_turns_reversed_items_round():
    # 4, 3 and a reversed 1 (counts 4): mean 11 / 3
    assert scale_score(rule(), {1: 4, 2: 3, 3: 1}) == Decimal("3.67")


def test_the_sum_adds_the_items():
    assert scale_score(rule("sum"), {1: 4, 2: 3, 3: 1}) == Decimal("11.00")
    assert rule("sum").low == 3 and rule("sum").high == 12
    assert rule("mean").low == 1 and rule("mean").high == 4


def test_a_missing_answer_within_what_the_scale_allows_gives_a_score():
    assert scale_score(rule(max_missing=1), {1: 4, 2: 2}) == Decimal("3.00")
    # The sum is prorated: the mean of the items answered times the number of items.
    assert scale_score(rule("sum", max_missing=1), {1: 4, 2: 2, 3: None}) == Decimal("9.00")


def test_more_missing_answers_than_allowed_give_no_score():
    assert scale_score(rule(max_missing=0), {1: 4, 2: 2}) is None
    assert scale_score(rule(max_missing=1), {1: 4}) is None
    assert scale_score(rule(max_missing=3), {}) is None


def test_a_scale_without_items_has_no_score():
    assert scale_score(rule(items=()), {1: 4}) is None


def test_answers_of_items_outside_the_scale_are_ignored():
    assert scale_score(rule(), {1: 1, 2: 1, 3: 4, 99: 4}) == Decimal("1.00")


def test_every_scale_and_the_change_between_two_moments():
    other = ScaleRule("liens", "sum", 0, (ScoredItem(7, 5),))
    found = scores([rule(), other], {1: 2, 2: 2, 3: 3, 7: 5})
    assert found == {"confiance": Decimal("2.00"), "liens": Decimal("5.00")}
    assert change(Decimal("2.10"), Decimal("3.00")) == Decimal("0.90")
    assert change(None, Decimal("3.00")) is None
