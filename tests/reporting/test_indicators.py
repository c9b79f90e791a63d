"""Every section of the indicators page on the hand-made programme (tests/reporting/conftest.py)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from repairlab.people.models import Role, Track
from repairlab.reporting import indicators
from repairlab.reporting.registry import sections
from repairlab.reporting.selection import Selection

NOW = "2026-03-11T12:00:00+00:00"


@pytest.fixture(autouse=True)
def _english(app, monkeypatch):
    monkeypatch.setattr(app.extensions["babel"], "locale_selector", lambda: "en")


def figures(data) -> dict[str, object]:
    return {str(f.label): f.value for f in data.figures}


def rows(data, key) -> list[tuple]:
    return data.table(key).rows


def test_enrolment_counts_talents_against_the_cohorts_targets(programme):
    data = indicators.enrolment(Selection())
    assert figures(data) == {
        "Talents enrolled": 5,
        "Cohorts' target": 14,
        "Enrolled against target": pytest.approx(5 / 14),
        "Accounts still open": 4,
    }
    assert rows(data, "by_cohort") == [
        ("PAR", "Promo B", 2, 4, 0.5),
        ("RBX", "Promo A", 3, 10, 0.3),
    ]
    assert rows(data, "by_track") == [
        ("Sustainable employment", 4, 4),
        ("Sustainable entrepreneurship", 1, 0),
        ("None yet", 0, 0),
    ]


def test_enrolment_of_one_territory_and_one_track(programme):
    data = indicators.enrolment(Selection(territory_id=programme["rbx"].id, track=Track.EMPLOYMENT))
    assert figures(data)["Talents enrolled"] == 2
    assert rows(data, "by_cohort") == [("RBX", "Promo A", 2, 10, 0.2)]
    assert rows(data, "by_track") == [("Sustainable employment", 2, 2)]


def test_skills_count_staff_validations_by_domain_and_level(programme):
    data = indicators.skills(Selection())
    assert figures(data) == {
        "Skills validated": 3,  # Alice 2, Bruno 3, Dora 1 (the withdrawn one and the declared one are not)
        "Talents with a validated skill": 3,
        "Open Badges issued": 4,  # the withdrawn one was issued too
        "Open Badges withdrawn": 1,
        "Skills declared by talents": 1,
    }
    assert rows(data, "by_domain_level") == [("Électronique", 1, 1, 1, 0, 3)]


def test_skills_in_a_window_of_dates(programme):
    data = indicators.skills(Selection(territory_id=programme["rbx"].id, date_from=date(2026, 3, 1)))
    assert figures(data)["Skills validated"] == 1  # Bruno's, on 10 March
    assert rows(data, "by_domain_level") == [("Électronique", 0, 0, 1, 0, 1)]


@time_machine.travel(NOW, tick=False)
def test_loans_count_borrowers_take_home_and_late_returns(programme):
    data = indicators.loans(Selection(territory_id=programme["rbx"].id))
    assert figures(data) == {
        "Loans": 3,
        "Talents who borrowed": 2,
        "Taken home": pytest.approx(2 / 3),
        "Returned late": pytest.approx(1 / 3),
    }
    assert rows(data, "by_category") == [("No category", 3, 2)]


@time_machine.travel(NOW, tick=False)
def test_projects_by_stage_and_time_spent_per_stage(programme):
    data = indicators.projects(Selection())
    assert rows(data, "by_stage") == [
        # stage, active, paused, stopped, launched, total
        ("Idée", 1, 0, 0, 0, 1),
        ("Prototype", 1, 0, 0, 0, 1),
        ("Lancé", 0, 0, 0, 1, 1),
    ]
    assert rows(data, "time_per_stage") == [
        # Idée: P1 10 days, P3 20 days finished; P2 there for 10 days. Prototype: P1 20 days; P3 there 18 days.
        ("Idée", 2, 15.0, 1, 10.0),
        ("Prototype", 1, 20.0, 1, 18.0),
        # Lancé: P1 since 31 January, 39 days.
        ("Lancé", 0, None, 1, 39.0),
    ]
    assert figures(data) == {"Projects": 3, "Mentor sessions": 3, "Hours of mentoring": pytest.approx(135 / 60)}


@time_machine.travel(NOW, tick=False)
def test_a_lab_managers_territory_sees_only_its_projects(programme):
    data = indicators.projects(Selection(territory_id=programme["par"].id))
    assert [r[0] for r in rows(data, "by_stage") if r[-1]] == ["Prototype"]
    assert figures(data)["Mentor sessions"] == 1


def test_track_filter_keeps_projects_with_a_talent_of_that_track(programme):
    data = indicators.projects(Selection(track=Track.ENTREPRENEURSHIP))
    assert figures(data)["Projects"] == 1  # P1, Chloé's


def test_businesses_revenue_and_latest_jobs(programme):
    data = indicators.economy(Selection())
    assert figures(data) == {"Businesses created": 1, "Revenue": 1800, "Jobs created": 3}
    assert rows(data, "by_territory") == [("PAR", 0, 1, 300, 1), ("RBX", 1, 2, 1500, 2)]


def test_economy_up_to_a_date_takes_the_jobs_figure_of_that_date(programme):
    data = indicators.economy(Selection(territory_id=programme["rbx"].id, date_to=date(2026, 3, 1)))
    assert figures(data)["Revenue"] == 1000
    assert figures(data)["Jobs created"] == 1


def test_the_page_counts_in_a_bounded_number_of_queries(programme, make_user, query_counter):
    """The same number of queries with 5 talents or 25: counted in the database, never one query per talent."""

    def run():
        with query_counter() as count:
            for section in sections:
                section.compute(Selection())
        return count.value

    before = run()
    for n in range(20):
        make_user(Role.PARTICIPANT, cohort=programme["promo_a"], track=Track.EMPLOYMENT, name=f"Extra {n}")
    assert run() == before
    assert before <= 3 * len(sections)
