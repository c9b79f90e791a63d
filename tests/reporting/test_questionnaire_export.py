"""The questionnaires in the research export, downloaded through a real HTTP server: the questionnaires as asked,
item-level answers and scores of the consenting talents under their pseudonymous ids, never a free-text answer nor a
mentor's comment, nothing of a talent who withdrew their consent."""

from __future__ import annotations

import pytest

from repairlab.reporting.exports import pseudonym, pseudonym_key
from tests.reporting.conftest import QUESTIONNAIRE_FREE_TEXT
from tests.reporting.test_export import assert_valid_package, download, table

TABLES = (
    "questionnaires",
    "questionnaire_scales",
    "questionnaire_items",
    "questionnaire_item_options",
    "questionnaire_responses",
    "questionnaire_answers",
    "questionnaire_scores",
    "mentor_observations",
    "observation_ratings",
)


@pytest.fixture
def files(questionnaires, live_client):
    return download(live_client, questionnaires["researcher"])


def pids(w, *names) -> set[str]:
    key = pseudonym_key()
    return {pseudonym(w[name].id, key) for name in names}


def test_the_zip_holds_the_questionnaire_tables_described_in_the_data_package(files):
    assert {f"{name}.csv" for name in TABLES} <= set(files)
    package = files["datapackage.json"]
    for name in TABLES:
        assert f'"path": "{name}.csv"' in package
        assert table(files, name), name  # every table has rows
    readme = files["README.md"]
    assert "`questionnaire_answers.csv`" in readme and "Les réponses item par item des questionnaires remplis" in readme


def test_no_free_text_answer_nor_comment_leaves(files, questionnaires):
    for name, text in files.items():
        for secret in QUESTIONNAIRE_FREE_TEXT:
            assert secret.casefold() not in text.casefold(), (name, secret)
    # The free-text item is described, but no answer to it is exported.
    libre = {row["item_id"] for row in table(files, "questionnaire_items") if row["kind"] == "text"}
    assert len(libre) == 2
    assert not libre & {row["item_id"] for row in table(files, "questionnaire_answers")}
    assert "comment" not in table(files, "observation_ratings")[0]


def test_responses_answers_and_scores_of_the_consenting_talents(files, questionnaires):
    w = questionnaires
    responses = table(files, "questionnaire_responses")
    # Alice 3, Bruno 2, Dora 3, Émile 2; Chloé withdrew her consent: none of hers.
    assert len(responses) == 10
    assert {row["talent_pid"] for row in responses} == pids(w, "alice", "bruno", "dora", "emile")
    by_id = {row["response_id"]: row for row in responses}
    dora_exit = by_id[str(w["dora_exit"].id)]
    assert (dora_exit["moment"], dora_exit["weeks"], dora_exit["due_on"], dora_exit["status"]) == (
        "exit",
        "0",
        "2026-03-05",
        "completed",
    )
    assert (dora_exit["assisted"], dora_exit["declined"], dora_exit["completed_on"]) == ("true", "false", "2026-03-05")
    assert {dora_exit["assisted_by_pid"]} == pids(w, "par_mentor")
    declined = [row for row in responses if row["declined"] == "true"]
    assert [(row["status"], row["declined_on"], row["completed_on"]) for row in declined] == [
        ("declined", "2026-01-05", "")
    ]
    postponed = [row for row in responses if row["postponed_until"]]
    assert [(row["weeks"], row["postponed_until"]) for row in postponed] == [("4", "2026-03-20")]

    answers = table(files, "questionnaire_answers")
    # Completed responses only, every item but the free text: Alice 7 + 2 + 6, Dora 6 + 6, Émile 6 + 6.
    assert len(answers) == 39
    alice = [row for row in answers if row["response_id"] == str(w["alice_intake"].id)]
    assert [(row["item_key"], row["value"], row["skipped"]) for row in alice] == [
        ("c1", "2.00", "false"),
        ("c2", "3.00", "false"),
        ("c3", "4.00", "false"),
        ("e1", "2.00", "false"),
        ("e2", "2.00", "false"),
        ("e3", "3.00", "false"),
        ("situation", "2.00", "false"),
    ]
    dora = {row["item_key"]: row for row in answers if row["response_id"] == str(w["dora_intake"].id)}
    assert (dora["c2"]["value"], dora["c2"]["skipped"]) == ("", "true")

    scores = {(row["response_id"], row["scale_key"]): row for row in table(files, "questionnaire_scores")}
    assert len(scores) == 14  # 7 completed responses, 2 scales each

    def score(response, key):
        row = scores[(str(w[response].id), key)]
        return row["items"], row["answered"], row["score"]

    assert score("alice_intake", "confiance") == ("3", "3", "2.33")  # (2 + 3 + (6 − 4)) / 3
    assert score("alice_intake", "entourage") == ("3", "3", "6.00")  # 2 + 2 + (5 − 3)
    assert score("dora_intake", "confiance") == ("3", "2", "2.00")  # (3 + (6 − 5)) / 2, one item passed
    assert score("dora_exit", "entourage") == ("3", "2", "7.50")  # (2 + 3) / 2 × 3, prorated
    assert score("emile_exit", "entourage") == ("3", "1", "")  # two items passed, one allowed: no score


def test_the_questionnaires_as_asked(files, questionnaires):
    versions = table(files, "questionnaires")
    assert [(row["version"], row["status"], row["questionnaire_key"]) for row in versions] == [
        ("1", "retired", "mon-parcours"),
        ("2", "published", "mon-parcours"),
    ]
    scales = {(row["version_id"], row["scale_key"]): row for row in table(files, "questionnaire_scales")}
    confiance = scales[(str(questionnaires["v1"].id), "confiance")]
    assert (confiance["method"], confiance["max_missing"], confiance["items"]) == ("mean", "1", "3")
    assert (confiance["score_min"], confiance["score_max"]) == ("1", "5")
    entourage = scales[(str(questionnaires["v1"].id), "entourage")]
    assert (entourage["method"], entourage["score_min"], entourage["score_max"]) == ("sum", "3", "12")
    items = {(row["version_id"], row["item_key"]): row for row in table(files, "questionnaire_items")}
    c3 = items[(str(questionnaires["v2"].id), "c3")]
    assert (c3["kind"], c3["reversed"], c3["points"], c3["text_fr"]) == ("likert5", "true", "5", "Question c3 (v2)")
    assert items[(str(questionnaires["v2"].id), "situation")]["points"] == ""
    options = table(files, "questionnaire_item_options")
    assert len(options) == 2 * (3 * 5 + 3 * 4 + 3)


def test_observations_with_their_points_never_their_comments(files, questionnaires):
    w = questionnaires
    observations = table(files, "mentor_observations")
    assert [(row["observation_id"], row["moment"], row["observed_on"]) for row in observations] == [
        (str(w["dora_observation"].id), "intake", "2026-01-12")
    ]
    assert {observations[0]["talent_pid"]} == pids(w, "dora")
    assert {observations[0]["mentor_pid"]} == pids(w, "par_mentor")
    ratings = table(files, "observation_ratings")
    assert sorted((row["dimension"], row["value"]) for row in ratings) == [
        ("autonomy", "2"),
        ("punctuality", ""),
        ("teamwork", "3"),
    ]


def test_the_same_pseudonymous_ids_as_the_other_tables(files, questionnaires):
    talents = {row["talent_pid"] for row in table(files, "talents")}
    assert {row["talent_pid"] for row in table(files, "questionnaire_responses")} <= talents
    assert {row["talent_pid"] for row in table(files, "mentor_observations")} <= talents
    staff = {row["person_pid"] for row in table(files, "project_members")}
    assert {row["mentor_pid"] for row in table(files, "mentor_observations")} <= staff


def test_a_withdrawn_talent_stays_in_talents_without_evaluation_answers(files, questionnaires, db):
    w = questionnaires
    [chloe] = [row for row in table(files, "talents") if row["talent_pid"] in pids(w, "chloe")]
    assert (chloe["evaluation_consent"], chloe["consent_withdrawn_on"]) == ("true", "2026-02-20")
    for name in ("questionnaire_responses", "mentor_observations"):
        assert not pids(w, "chloe") & {row["talent_pid"] for row in table(files, name)}, name
    # Alice's evaluation answers stay.
    [alice] = [row for row in table(files, "talents") if row["talent_pid"] in pids(w, "alice")]
    assert (alice["age_band"], alice["residence_area"], alice["consent_withdrawn_on"]) == ("under_26", "qpv", "")


def test_a_withdrawal_blanks_the_intakes_evaluation_answers(questionnaires, live_client, db):
    from repairlab.programme.models import TalentIntake

    w = questionnaires
    intake = db.session.query(TalentIntake).filter_by(talent_id=w["alice"].id).one()
    intake.consent_withdrawn_on = intake.consent_date
    db.session.commit()
    files = download(live_client, w["researcher"])
    [alice] = [row for row in table(files, "talents") if row["talent_pid"] in pids(w, "alice")]
    assert (alice["age_band"], alice["residence_area"], alice["neet"]) == ("", "", "")
    assert not pids(w, "alice") & {row["talent_pid"] for row in table(files, "questionnaire_responses")}


def test_the_filters_and_dates_shifted_to_months(questionnaires, live_client):
    w = questionnaires
    files = download(live_client, w["researcher"], f"territory={w['par'].id}&months=1")
    responses = table(files, "questionnaire_responses")
    assert {row["talent_pid"] for row in responses} == pids(w, "dora", "emile")
    assert {row["due_on"] for row in responses} == {"2026-01", "2026-02", "2026-03"}
    assert {row["answered_on"] for row in table(files, "questionnaire_answers")} <= {"2026-01", "2026-03"}
    assert '"type": "yearmonth"' in files["datapackage.json"]
    march = download(live_client, w["researcher"], "from=2026-03-01")
    assert {row["moment"] for row in table(march, "questionnaire_responses")} == {"exit"}


@pytest.mark.parametrize("query", ["", "months=1"])
def test_the_data_package_validates_with_the_questionnaires(questionnaires, live_client, tmp_path, query):
    assert_valid_package(download(live_client, questionnaires["researcher"], query), tmp_path)
