"""The path sections (programme domain) on the hand-made paths of tests/reporting/conftest.py, rates worked out by
hand."""

from __future__ import annotations

import pytest
import time_machine

from repairlab.reporting import path_indicators
from repairlab.reporting.rates import durable_employment_rate, dynamic_exit_rate
from repairlab.reporting.selection import Selection

MARCH = "2026-03-11T12:00:00+00:00"
SEPTEMBER = "2026-09-15T12:00:00+00:00"


@pytest.fixture(autouse=True)
def _english(app, monkeypatch):
    monkeypatch.setattr(app.extensions["babel"], "locale_selector", lambda: "en")


def figures(data):
    return {str(f.label): f.value for f in data.figures}


def test_the_rates_definitions_by_hand():
    # 2 durable, 1 transition, 0 positive, 1 other: 4 exits.
    assert durable_employment_rate(2, 4) == 0.5
    assert dynamic_exit_rate(2, 1, 0, 4) == 0.75
    assert dynamic_exit_rate(0, 0, 0, 0) is None  # no exit: no rate, not 0 %


@time_machine.travel(MARCH, tick=False)
def test_paths_enrolled_active_suspended_exited_and_targets(paths):
    data = path_indicators.paths(Selection())
    assert figures(data) == {"Talents enrolled": 5, "Active talents": 0, "Suspended": 1, "Exited": 4}
    assert data.table("period_targets").rows == [
        ("PAR", "Période 1", 2, 4, 0.5),
        ("RBX", "Période 1", 3, 10, 0.3),
    ]


@time_machine.travel("2026-02-10T12:00:00+00:00", tick=False)
def test_paths_on_an_earlier_day(paths):
    # Chloé has left (1 February); Bruno and Émile are suspended; Alice and Dora active.
    assert figures(path_indicators.paths(Selection())) == {
        "Talents enrolled": 5,
        "Active talents": 2,
        "Suspended": 2,
        "Exited": 1,
    }


@time_machine.travel(MARCH, tick=False)
def test_exits_by_category_with_the_two_rates(paths):
    data = path_indicators.exits(Selection())
    assert figures(data) == {
        "Exits": 4,
        "Durable-employment rate": 0.5,
        "“Sorties dynamiques” rate": 0.75,
    }
    assert data.table("by_category").rows == [
        ("Durable employment", 2, 0.5),
        ("Transition employment", 1, 0.25),
        ("Positive exit", 0, 0.0),
        ("Other exit", 1, 0.25),
    ]


@time_machine.travel(MARCH, tick=False)
def test_exits_of_one_territory_and_within_dates(paths):
    from datetime import date

    rbx = figures(path_indicators.exits(Selection(territory_id=paths["rbx"].id)))
    assert rbx == {"Exits": 2, "Durable-employment rate": 1.0, "“Sorties dynamiques” rate": 1.0}
    march = figures(path_indicators.exits(Selection(date_from=date(2026, 3, 1))))
    assert march["Exits"] == 3  # Chloé left in February
    assert march["Durable-employment rate"] == pytest.approx(1 / 3)


@time_machine.travel(SEPTEMBER, tick=False)
def test_follow_ups_at_six_months(paths):
    data = path_indicators.follow_ups(Selection())
    six, twelve, _ = data.table("by_milestone").rows
    # milestone, durable, transition, positive, other, not reached, due, durable among reached
    assert six == ("At +6 months", 1, 1, 0, 0, 1, 1, 0.5)
    assert twelve == ("At +12 months", 0, 0, 0, 0, 0, 0, None)
    assert [f.value for f in data.figures] == [0.5, None, None]


@time_machine.travel(MARCH, tick=False)
def test_attendance(paths):
    data = path_indicators.attendance(Selection())
    assert figures(data) == {
        "Sessions held": 3,
        "Attendances": 4,
        "Talents who came": pytest.approx(3 / 5),
        "Average attendances per talent present": pytest.approx(4 / 3),
    }
    assert data.table("by_kind").rows == [("Workshop", 2, 3, 3), ("Repair café", 1, 1, 1)]


@time_machine.travel(MARCH, tick=False)
def test_the_period_filter_keeps_its_cohorts(paths, make_cohort):
    other = make_cohort("Promo hors période")
    assert figures(path_indicators.paths(Selection(period_id=paths["period"].id)))["Talents enrolled"] == 5
    assert figures(path_indicators.paths(Selection(cohort_id=other.id)))["Talents enrolled"] == 0
