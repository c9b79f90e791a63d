"""The questionnaires section of the indicators page, on the hand-made questionnaires of tests/reporting/conftest.py:
response rates, scores and their change between intake and exit worked out by hand, small groups hidden, withdrawn
consent left out and counted, and the scores in SQL checked against programme/questionnaires/scoring.py."""

from __future__ import annotations

import math
import random
import statistics
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
import time_machine

from repairlab.people.models import Role, Track
from repairlab.programme.models import PathEvent, PathEventKind, TalentExit, TalentIntake
from repairlab.programme.questionnaires import scoring
from repairlab.programme.questionnaires.models import (
    ItemKind,
    MomentKind,
    QuestionnaireAnswer,
    QuestionnaireItem,
    QuestionnaireMoment,
    QuestionnaireResponse,
    QuestionnaireScale,
    QuestionnaireVersion,
    ResponseStatus,
    ScaleMethod,
    VersionStatus,
)
from repairlab.reporting import questionnaire_indicators as qi
from repairlab.reporting.questionnaire_scores import scale_scores
from repairlab.reporting.rates import mean_interval, t_975
from repairlab.reporting.registry import sections
from repairlab.reporting.selection import Selection
from tests.reporting.conftest import at

MARCH = "2026-03-11T12:00:00+00:00"


@pytest.fixture(autouse=True)
def _english(app, monkeypatch):
    monkeypatch.setattr(app.extensions["babel"], "locale_selector", lambda: "en")


@pytest.fixture
def limit(app, monkeypatch):
    """Set the suppression threshold: limit(1) shows every mean."""

    def set_limit(n: int) -> None:
        monkeypatch.setitem(app.config, "RESEARCH_SUPPRESSION_THRESHOLD", n)

    return set_limit


def figures(data) -> dict[str, object]:
    return {str(f.label): f.value for f in data.figures}


def rows(data, key) -> list[tuple]:
    return data.table(key).rows


def approx(row: tuple) -> tuple:
    """A row whose floats are compared to 1e-6 (the means and intervals); None and text as they are."""
    return tuple(pytest.approx(v, abs=1e-6) if isinstance(v, float) else v for v in row)


# --- The arithmetic -----------------------------------------------------------------------------------------------


def test_student_t_quantiles():
    assert t_975(1) == 12.7062
    assert t_975(2) == 4.3027
    # From the tables: 10, 30 and 120 degrees of freedom; the normal's 1.96 far out.
    assert t_975(10) == pytest.approx(2.2281, abs=1e-4)
    assert t_975(30) == pytest.approx(2.0423, abs=1e-4)
    assert t_975(120) == pytest.approx(1.9799, abs=1e-4)
    assert t_975(100_000) == pytest.approx(1.96, abs=1e-4)
    with pytest.raises(ValueError, match="degree of freedom"):
        t_975(0)


def test_the_interval_from_sums_agrees_with_the_standard_library():
    values = [167, 133, -100]
    found = mean_interval(3, sum(values), sum(v * v for v in values))
    half = 4.3027 * statistics.stdev(values) / math.sqrt(3)
    assert (found.n, found.mean) == (3, pytest.approx(200 / 3))
    assert (found.low, found.high) == (pytest.approx(200 / 3 - half), pytest.approx(200 / 3 + half))
    one = mean_interval(1, 167, 167 * 167)
    assert (one.mean, one.low, one.high) == (167, None, None)
    assert mean_interval(0, 0, 0).mean is None


def test_the_day_a_follow_up_hangs_on():
    # 31 August + 6 months is 28 February: every exit from 29 to 31 August is due on 28 February too.
    assert qi.latest_base(date(2027, 2, 28), 6) == date(2026, 8, 31)
    assert qi.latest_base(date(2027, 2, 27), 6) == date(2026, 8, 27)
    assert qi.latest_base(date(2027, 3, 1), 6) == date(2026, 9, 1)
    assert qi.latest_base(date(2026, 9, 5), 6) == date(2026, 3, 5)


def _scales_with_every_case(db, talent, questionnaire_id):
    """A version with a mean scale of 8 items (5 points, two reversed, three may be missing) and a sum scale of 3
    items (4 points, one reversed, none may be missing)."""
    version = QuestionnaireVersion(
        questionnaire_id=questionnaire_id,
        number=3,
        status=VersionStatus.DRAFT,
        title_fr="Essai",
        title_en="Trial",
    )
    db.session.add(version)
    db.session.flush()
    mean = QuestionnaireScale(
        version_id=version.id, key="m", position=1, label_fr="M", label_en="M", method=ScaleMethod.MEAN, max_missing=3
    )
    total = QuestionnaireScale(
        version_id=version.id, key="s", position=2, label_fr="S", label_en="S", method=ScaleMethod.SUM, max_missing=0
    )
    db.session.add_all([mean, total])
    db.session.flush()
    rules, items = [], []
    for scale, kind, n, reversed_ in ((mean, ItemKind.LIKERT5, 8, {2, 5}), (total, ItemKind.LIKERT4, 3, {1})):
        scored = []
        for k in range(n):
            item = QuestionnaireItem(
                version_id=version.id,
                position=len(items) + 1,
                key=f"{scale.key}{k}",
                kind=kind,
                text_fr="?",
                text_en="?",
                scale_id=scale.id,
                reversed=k in reversed_,
            )
            db.session.add(item)
            db.session.flush()
            items.append(item)
            scored.append(scoring.ScoredItem(item.id, 5 if kind == ItemKind.LIKERT5 else 4, k in reversed_))
        rules.append(scoring.ScaleRule(scale.key, scale.method.value, scale.max_missing, tuple(scored)))
    return version, rules, items


def test_the_scores_in_sql_are_those_of_scoring_py(questionnaires, db):
    """Sixty responses of random answers (some passed): the database's score of each scale is scoring.py's, to the
    hundredth, rounding halves up (e.g. 17/8 = 2.125 -> 2.13)."""
    w = questionnaires
    version, rules, items = _scales_with_every_case(db, w["bruno"], w["questionnaire"].id)
    rng = random.Random(19)
    expected = {}
    cases = [{items[k].id: v for k, v in enumerate([3, 2, 4, 2, 2, 4, 2, 2, 1, 1, 1])}]  # 17/8 once reversed
    for _n in range(59):
        cases.append(
            {
                item.id: (None if rng.random() < 0.25 else rng.randint(1, 5 if item.kind == ItemKind.LIKERT5 else 4))
                for item in items
            }
        )
    for weeks, values in enumerate(cases, start=100):  # Bruno has a response at 4 weeks already
        response = QuestionnaireResponse(
            talent_id=w["bruno"].id,
            territory_id=w["bruno"].territory_id,
            questionnaire_id=w["questionnaire"].id,
            version_id=version.id,
            moment=MomentKind.WEEKS_AFTER_ENROLMENT,
            weeks=weeks,
            due_on=date(2026, 2, 1),
            status=ResponseStatus.COMPLETED,
            completed_at=at("2026-02-01"),
        )
        db.session.add(response)
        db.session.flush()
        for item_id, value in values.items():
            db.session.add(
                QuestionnaireAnswer(
                    response_id=response.id,
                    item_id=item_id,
                    value=None if value is None else Decimal(value),
                    skipped=value is None,
                )
            )
        expected[response.id] = scoring.scores(rules, values)
    db.session.commit()
    found: dict[int, dict] = {}
    scores = scale_scores(QuestionnaireResponse.version_id == version.id).subquery()
    for response_id, key, hundredths in db.session.execute(
        sa.select(scores.c.response_id, scores.c.scale_key, scores.c.hundredths)
    ):
        found.setdefault(response_id, {})[key] = None if hundredths is None else Decimal(hundredths) / 100
    assert found == expected
    assert expected[min(expected)]["m"] == Decimal("2.13")
    assert any(s["m"] is None for s in expected.values()) and any(s["s"] is None for s in expected.values())


# --- Response rates -----------------------------------------------------------------------------------------------


@time_machine.travel(MARCH, tick=False)
def test_response_rates_at_each_moment_by_hand(questionnaires):
    data = qi.questionnaires(Selection())
    # Intake: Alice, Dora, Émile answered, Bruno declined. 4 weeks: Alice answered, Bruno postponed to 20 March,
    # Dora begun, Émile nothing. Exit: Alice, Dora, Émile answered (Bruno has not left). Chloé withdrew.
    assert rows(data, "response_rates") == [
        ("My path", "At intake", 4, 3, 1, 0, 0, 0.75),
        ("My path", "4 weeks after enrolment", 4, 1, 0, 1, 3, 0.25),
        ("My path", "At exit", 3, 3, 0, 0, 0, 1.0),
    ]
    assert figures(data) == {
        "Questionnaires due": 11,
        "Response rate": pytest.approx(7 / 11),
        "Questionnaires declined": 1,
        "Filled in with a mentor": pytest.approx(1 / 7),  # Dora's exit
        "Answers withdrawn": 2,  # Chloé's intake and exit
    }


@time_machine.travel(MARCH, tick=False)
def test_a_moment_after_the_exit_is_not_due(questionnaires, db):
    # 8 weeks after enrolment is 2 March: Alice left on 1 March, Dora and Émile later, Bruno has not left.
    db.session.add(
        QuestionnaireMoment(
            questionnaire_id=questionnaires["questionnaire"].id, moment=MomentKind.WEEKS_AFTER_ENROLMENT, weeks=8
        )
    )
    db.session.commit()
    eight = [r for r in rows(qi.questionnaires(Selection()), "response_rates") if r[1] == "8 weeks after enrolment"]
    assert eight == [("My path", "8 weeks after enrolment", 3, 0, 0, 0, 3, 0.0)]


@time_machine.travel("2026-09-05T12:00:00+00:00", tick=False)
def test_a_follow_up_is_due_six_months_after_the_exit(questionnaires, db):
    db.session.add(
        QuestionnaireMoment(questionnaire_id=questionnaires["questionnaire"].id, moment=MomentKind.FOLLOW_UP_6)
    )
    db.session.commit()
    # Alice left on 1 March and Dora on 5 March: due; Émile (6 March) not yet.
    data = qi.questionnaires(Selection())
    assert [r for r in rows(data, "response_rates") if r[1] == "6 months after exit"] == [
        ("My path", "6 months after exit", 2, 0, 0, 0, 2, 0.0)
    ]
    # Within the dates: due on or after 2 September leaves Alice out.
    data = qi.questionnaires(Selection(date_from=date(2026, 9, 2)))
    assert [r[2] for r in rows(data, "response_rates") if r[1] == "6 months after exit"] == [1]


@time_machine.travel(MARCH, tick=False)
def test_the_filters_choose_the_talents_and_the_dates_the_moments(questionnaires):
    par = qi.questionnaires(Selection(territory_id=questionnaires["par"].id))
    assert [r[1:4] for r in rows(par, "response_rates")] == [
        ("At intake", 2, 2),
        ("4 weeks after enrolment", 2, 0),
        ("At exit", 2, 2),
    ]
    march = qi.questionnaires(Selection(date_from=date(2026, 3, 1)))
    assert [r[1:4] for r in rows(march, "response_rates")] == [("At exit", 3, 3)]
    assert figures(march)["Answers withdrawn"] == 0  # Chloé's were due in January and February
    early = qi.questionnaires(Selection(date_to=date(2026, 3, 4)))
    assert [r[1:4] for r in rows(early, "response_rates")][-1] == ("At exit", 1, 1)  # Alice only


# --- Change between intake and exit -------------------------------------------------------------------------------


@time_machine.travel(MARCH, tick=False)
def test_the_change_of_each_scale_by_hand(questionnaires, limit):
    limit(1)
    data = qi.questionnaires(Selection())
    # Confiance: Alice 2.33 -> 4.00 (+1.67), Dora 2.00 -> 3.33 (+1.33), Émile 4.33 -> 3.33 (−1.00).
    # In hundredths: sum 200, squares 167² + 133² + 100² = 55 578; n = 3.
    # s² = (3 × 55 578 − 200²) / (3 × 2) = 21 122.33; s = 145.335; half = 4.3027 × 1.45335 / √3 = 3.6104.
    half = 4.3027 * math.sqrt((3 * 55578 - 200**2) / 6) / 100 / math.sqrt(3)
    assert half == pytest.approx(3.6104, abs=1e-4)
    # Entourage: Alice 6 -> 11 (+5.00), Dora 4 -> 7.50 (+3.50); Émile's exit misses two items of three: no score.
    # s = 1.5 / √2; half = 12.7062 × 1.06066 / √2 = 9.5297.
    half_e = 12.7062 * (1.5 / math.sqrt(2)) / math.sqrt(2)
    assert rows(data, "scale_change") == [
        approx(("My path", "Self-confidence", 3, 8.66 / 3, 10.66 / 3, 2 / 3, 2 / 3 - half, 2 / 3 + half)),
        approx(("My path", "Support around me", 2, 5.0, 9.25, 4.25, 4.25 - half_e, 4.25 + half_e)),
    ]
    # By cohort: Promo B (PAR) is Dora and Émile: +1.33 and −1.00, mean +0.165, s = 2.33 / √2.
    half_b = 12.7062 * (2.33 / math.sqrt(2)) / math.sqrt(2)
    assert rows(data, "change_by_cohort") == [
        approx(("My path", "Self-confidence", "PAR", "Promo B", 2, 3.165, 3.33, 0.165, 0.165 - half_b, 0.165 + half_b)),
        approx(("My path", "Self-confidence", "RBX", "Promo A", 1, 2.33, 4.0, 1.67, None, None)),
        approx(("My path", "Support around me", "PAR", "Promo B", 1, 4.0, 7.5, 3.5, None, None)),
        approx(("My path", "Support around me", "RBX", "Promo A", 1, 6.0, 11.0, 5.0, None, None)),
    ]
    # Everyone is on the employment track.
    assert [r[:4] for r in rows(data, "change_by_track")] == [
        ("My path", "Self-confidence", "Sustainable employment", 3),
        ("My path", "Support around me", "Sustainable employment", 2),
    ]
    assert rows(data, "change_by_track")[0][4:] == rows(data, "scale_change")[0][3:]


@time_machine.travel(MARCH, tick=False)
def test_small_groups_are_hidden(questionnaires, limit):
    # The default threshold (5): every mean hidden, the numbers of talents shown.
    data = qi.questionnaires(Selection())
    assert rows(data, "scale_change") == [
        ("My path", "Self-confidence", 3, None, None, None, None, None),
        ("My path", "Support around me", 2, None, None, None, None, None),
    ]
    # A threshold of 2: Self-confidence (3) and Support (2) shown. By cohort, Self-confidence's Promo A (1) is
    # hidden, and Promo B (2) with it, else it would be the total less Promo B; Support's two cohorts of 1 hidden.
    limit(2)
    data = qi.questionnaires(Selection())
    assert [r[2] is not None for r in rows(data, "scale_change")] == [True, True]
    assert [r[3] for r in rows(data, "scale_change")] == [pytest.approx(8.66 / 3), 5.0]
    assert [(r[1], r[3], r[4], r[7]) for r in rows(data, "change_by_cohort")] == [
        ("Self-confidence", "Promo B", 2, None),
        ("Self-confidence", "Promo A", 1, None),
        ("Support around me", "Promo B", 1, None),
        ("Support around me", "Promo A", 1, None),
    ]
    # A threshold of 3: Support's 2 talents hidden as well.
    limit(3)
    data = qi.questionnaires(Selection())
    assert [(r[1], r[2], r[5]) for r in rows(data, "scale_change")] == [
        ("Self-confidence", 3, pytest.approx(2 / 3)),
        ("Support around me", 2, None),
    ]


def test_hidden_cells_rule():
    sums = {name: qi.Sums(n=n) for name, n in (("a", 1), ("b", 6), ("c", 7), ("empty", 0))}
    assert qi.hidden_cells(sums, 5, qi.Sums(n=14)) == {"a", "b"}  # b hidden too, the smallest other
    assert qi.hidden_cells(sums, 5, qi.Sums(n=4)) == {"a"}  # the total is hidden itself
    assert qi.hidden_cells({"a": qi.Sums(n=2), "b": qi.Sums(n=3)}, 5, qi.Sums(n=5)) == {"a", "b"}
    assert qi.hidden_cells({"b": qi.Sums(n=6)}, 5, qi.Sums(n=6)) == set()


@time_machine.travel(MARCH, tick=False)
def test_withdrawn_consent_leaves_the_answers_out_and_counts_them(questionnaires, db, limit):
    limit(1)
    before = qi.questionnaires(Selection())
    assert figures(before)["Answers withdrawn"] == 2
    assert [r[2] for r in rows(before, "scale_change")] == [3, 2]
    # Were Chloé's consent to hold, her answers would count: 1,1,5r -> 1.00 then 5,5,1r -> 5.00 (+4.00);
    # 1,1,4r = 3 then 4,4,1r = 12 (+9.00); and her two responses would be due (begun).
    intake = db.session.scalar(sa.select(TalentIntake).where(TalentIntake.talent_id == questionnaires["chloe"].id))
    intake.consent_withdrawn_on = None
    db.session.commit()
    after = qi.questionnaires(Selection())
    assert figures(after)["Answers withdrawn"] == 0
    assert [r[2] for r in rows(after, "scale_change")] == [4, 3]
    assert rows(after, "scale_change")[0][5] == pytest.approx((200 + 400) / 4 / 100)
    assert figures(after)["Questionnaires due"] == 13


@time_machine.travel(MARCH, tick=False)
def test_talents_without_consent_are_not_asked(questionnaires, db):
    intake = db.session.scalar(sa.select(TalentIntake).where(TalentIntake.talent_id == questionnaires["bruno"].id))
    intake.evaluation_consent, intake.consent_date, intake.consent_notice_version = False, None, None
    db.session.commit()
    data = qi.questionnaires(Selection())
    assert figures(data)["Questionnaires due"] == 9  # Bruno's intake and 4 weeks no longer due
    assert figures(data)["Questionnaires declined"] == 0


# --- Counted in the database --------------------------------------------------------------------------------------


def _talent_with_answers(db, make_user, w, n):
    """A talent of Promo A with intake, enrolment and exit, and intake and exit answered."""
    talent = make_user(Role.PARTICIPANT, cohort=w["promo_a"], track=Track.EMPLOYMENT, name=f"Extra {n}")
    day = date(2026, 1, 5)
    db.session.add_all(
        [
            TalentIntake(
                talent_id=talent.id,
                territory_id=talent.territory_id,
                intake_date=day,
                evaluation_consent=True,
                consent_date=day,
                consent_notice_version="2026-01",
            ),
            PathEvent(
                talent_id=talent.id, territory_id=talent.territory_id, kind=PathEventKind.ENROLMENT, occurred_on=day
            ),
            TalentExit(
                talent_id=talent.id,
                territory_id=talent.territory_id,
                exit_date=date(2026, 3, 2),
                category="other_exit",
                subtype="job_seeking",
                evidence="declared",
            ),
        ]
    )
    items = {i.key: i for i in w["v1"].items}
    for moment, due in ((MomentKind.INTAKE, day), (MomentKind.EXIT, date(2026, 3, 2))):
        response = QuestionnaireResponse(
            talent_id=talent.id,
            territory_id=talent.territory_id,
            questionnaire_id=w["questionnaire"].id,
            version_id=w["v1"].id,
            moment=moment,
            due_on=due,
            status=ResponseStatus.COMPLETED,
            completed_at=at(due.isoformat()),
        )
        db.session.add(response)
        db.session.flush()
        for key in ("c1", "c2", "c3", "e1", "e2", "e3"):
            db.session.add(
                QuestionnaireAnswer(response_id=response.id, item_id=items[key].id, value=Decimal(n % 4 + 1))
            )
    db.session.commit()


@time_machine.travel(MARCH, tick=False)
def test_the_section_counts_in_five_queries_for_5_or_25_talents(questionnaires, db, make_user, query_counter, limit):
    limit(1)

    def run():
        with query_counter() as count:
            data = qi.questionnaires(Selection())
        return count.value, data

    before, data = run()
    assert before == 5
    assert rows(data, "scale_change")[0][2] == 3
    for n in range(20):
        _talent_with_answers(db, make_user, questionnaires, n)
    after, data = run()
    assert after == before
    assert rows(data, "scale_change")[0][2] == 23
    assert figures(data)["Questionnaires due"] == 11 + 20 * 3  # intake, 4 weeks and exit each
    with query_counter() as count:
        for section in sections:
            section.compute(Selection())
    assert count.value <= 3 * len(sections)


# --- On the page --------------------------------------------------------------------------------------------------


@time_machine.travel(MARCH, tick=False)
def test_the_page_shows_the_section_in_french_and_its_tables_as_csv(
    questionnaires, app, client, login, limit, monkeypatch
):
    monkeypatch.setattr(app.extensions["babel"], "locale_selector", lambda: "fr")
    limit(2)
    login(questionnaires["researcher"])
    page = client.get("/reporting/").get_data(as_text=True)
    section = page.split('id="section-questionnaires"', 1)[1].split("</section>", 1)[0]
    assert "Questionnaires" in page and "Taux de réponse" in section
    assert "À l’accueil" in section and "4 semaines après l’entrée" in section
    assert "Confiance en soi" in section and "Mon parcours" in section
    assert "+0,67" in section  # the mean change of Self-confidence, in French
    csv = client.get("/reporting/questionnaires/change_by_cohort.csv").get_data(as_text=True)
    lines = csv.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Questionnaire,Échelle,Territoire,Promotion,Talents (n),Moyenne à l’accueil")
    assert lines[1] == "Mon parcours,Confiance en soi,PAR,Promo B,2,,,,,"


@time_machine.travel(MARCH, tick=False)
def test_a_mentor_sees_only_their_territory(questionnaires, client, login, limit):
    limit(1)
    login(questionnaires["par_mentor"])
    csv = client.get("/reporting/questionnaires/change_by_cohort.csv").get_data(as_text=True)
    assert "PAR" in csv and "RBX" not in csv
