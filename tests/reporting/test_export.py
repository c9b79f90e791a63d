"""The research export, downloaded through a real HTTP server and read to the last byte of the ZIP."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
import sqlalchemy as sa
from frictionless import Package, system

from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.reporting.exports import pseudonym, pseudonym_key
from repairlab.reporting.models import ResearchExport
from tests.reporting.conftest import QUESTIONNAIRE_FREE_TEXT

# Free text the hand-made programme wrote into notes, pitches, returns and withdrawals: none may leave.
FREE_TEXT = (
    "Nadia Propriétaire",
    "nadia.owner@example.org",
    "Panne racontée",
    "Note privée",
    "Notes confidentielles",
    "Décision privée",
    "Texte libre du projet",
    "Atelier de",
    "Rendu avec une note libre",
    "Erreur de saisie",
    "Note de passage",
    "Raison personnelle confidentielle",
    "Atelier animé par",
    *QUESTIONNAIRE_FREE_TEXT,
)


def download(live_client, user, query: str = "") -> dict[str, str]:
    """The export as {file name: text}, downloaded by that user."""
    response = live_client(user).get("/reporting/export.zip" + (f"?{query}" if query else ""))
    assert response.status == 200, response.status
    assert response.headers["Content-Type"] == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.body)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def table(files: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"{name}.csv"])))


def assert_valid_package(files: dict[str, str], folder) -> None:
    """Write the export's files to the folder and validate them with Frictionless."""
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with system.use_context(trusted=True):
        report = Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_no_name_email_phone_or_free_text_anywhere_in_the_zip(questionnaires, live_client):
    programme = questionnaires
    files = download(live_client, programme["researcher"])
    assert all(text.count("\n") > 1 for name, text in files.items() if name.endswith(".csv"))  # no table empty
    people = db.session.execute(sa.select(User.full_name, User.email, User.phone)).all()
    assert len(people) == 11
    for name, text in files.items():
        folded = text.casefold()
        for full_name, email, phone in people:
            assert full_name.casefold() not in folded, (name, full_name)
            assert email.casefold() not in folded, (name, email)
            if phone:
                assert phone not in text and phone.replace(" ", "") not in text, (name, phone)
        for words in FREE_TEXT:
            assert words.casefold() not in folded, (name, words)
        assert pseudonym_key().hex() not in text
        assert "test-secret-key" not in text


def test_the_zip_holds_the_tables_the_data_package_and_the_readme(paths, live_client):
    programme = paths
    files = download(live_client, programme["researcher"])
    assert {
        "talents.csv",
        "cohorts.csv",
        "skill_validations.csv",
        "loans.csv",
        "projects.csv",
        "project_members.csv",
        "stage_changes.csv",
        "project_figures.csv",
        "mentor_sessions.csv",
        "agg_enrolment.csv",
        "agg_skills.csv",
        "periods.csv",
        "period_targets.csv",
        "path_events.csv",
        "activity_sessions.csv",
        "attendance.csv",
        "exits.csv",
        "follow_ups.csv",
        "agg_exits.csv",
        "datapackage.json",
        "README.md",
    } <= set(files)
    readme = files["README.md"]
    assert "# Export de recherche RepairLab" in readme and "# RepairLab research export" in readme
    assert "Identifiant pseudonyme du talent" in readme  # the tables described in French too
    assert len(table(files, "talents")) == 5
    assert len(table(files, "mentor_sessions")) == 3
    assert set(table(files, "mentor_sessions")[0]) == {
        "session_id",
        "project_id",
        "mentor_pid",
        "held_on",
        "duration_minutes",
    }


def test_a_talent_has_the_same_pseudonymous_id_in_every_table_and_every_export(paths, live_client):
    programme = paths
    first = download(live_client, programme["researcher"])
    second = download(live_client, programme["admin"])
    key = pseudonym_key()
    alice, chloe = pseudonym(programme["alice"].id, key), pseudonym(programme["chloe"].id, key)
    assert alice in {row["talent_pid"] for row in table(first, "talents")}
    assert alice in {row["talent_pid"] for row in table(first, "skill_validations")}
    assert alice in {row["talent_pid"] for row in table(first, "loans")}
    assert chloe in {row["person_pid"] for row in table(first, "project_members")}
    for name in ("path_events", "attendance", "exits", "follow_ups"):
        assert alice in {row["talent_pid"] for row in table(first, name)}, name
    assert table(first, "talents") == table(second, "talents")
    # Every id in the event tables is a talent of talents.csv (or a member of staff).
    talents = {row["talent_pid"] for row in table(first, "talents")}
    assert {row["talent_pid"] for row in table(first, "loans")} <= talents
    assert str(programme["alice"].id) not in {row["talent_pid"] for row in table(first, "talents")}


def test_the_ids_depend_on_the_secret_key(programme, app, monkeypatch):
    before = pseudonym(programme["alice"].id, pseudonym_key())
    monkeypatch.setitem(app.config, "RESEARCH_PSEUDONYM_KEY", "another secret")
    assert pseudonym(programme["alice"].id, pseudonym_key()) != before


@pytest.mark.parametrize("query", ["", "months=1"])
def test_the_data_package_validates(questionnaires, live_client, tmp_path, query):
    programme = questionnaires
    assert_valid_package(download(live_client, programme["researcher"], query), tmp_path)


def test_dates_shifted_to_months_on_request(programme, live_client):
    files = download(live_client, programme["researcher"], "months=1")
    assert {row["validated_on"] for row in table(files, "skill_validations")} == {"2026-02", "2026-03"}
    assert '"type": "yearmonth"' in files["datapackage.json"]


def test_small_counts_are_suppressed_in_aggregates(programme, live_client, app, monkeypatch):
    files = download(live_client, programme["researcher"])
    rows = {(r["territory"], r["track"]): r["talents"] for r in table(files, "agg_enrolment")}
    assert rows == {("PAR", "employment"): "", ("RBX", "employment"): "", ("RBX", "entrepreneurship"): ""}
    monkeypatch.setitem(app.config, "RESEARCH_SUPPRESSION_THRESHOLD", 2)
    files = download(live_client, programme["researcher"])
    rows = {(r["territory"], r["track"]): r["talents"] for r in table(files, "agg_enrolment")}
    assert rows == {("PAR", "employment"): "2", ("RBX", "employment"): "2", ("RBX", "entrepreneurship"): ""}
    assert "seuil\u00a0: 2" in files["README.md"] and "threshold:\n  2" in files["README.md"]


def test_the_filters_choose_the_talents(programme, live_client):
    files = download(live_client, programme["researcher"], f"territory={programme['par'].id}")
    assert {row["territory"] for row in table(files, "talents")} == {"PAR"}
    assert len(table(files, "talents")) == 2
    assert [row["project_id"] for row in table(files, "projects")] == [str(programme["p3"].id)]


def test_every_export_is_logged(programme, live_client):
    download(live_client, programme["researcher"], f"territory={programme['rbx'].id}&months=1")
    db.session.expire_all()
    [entry] = db.session.scalars(sa.select(ResearchExport)).all()
    assert entry.user_id == programme["researcher"].id
    assert entry.source == "web"
    assert entry.filters == f"territory={programme['rbx'].id}&months=1"
    assert entry.months_only is True
    assert entry.tables == 30 and entry.rows > 0


@pytest.mark.parametrize("who", ["manager", "mentor", "alice"])
def test_only_researchers_and_admins_export(programme, live_client, who):
    assert live_client(programme[who]).get("/reporting/export.zip").status == 403
    assert db.session.scalar(sa.select(sa.func.count(ResearchExport.id))) == 0


def test_the_command_line_writes_the_same_export_and_logs_it(programme, app, tmp_path):
    out = tmp_path / "export.zip"
    result = app.test_cli_runner().invoke(args=["research-export", "-o", str(out), "--territory", "rbx"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        talents = list(csv.DictReader(io.StringIO(archive.read("talents.csv").decode())))
    assert {row["territory"] for row in talents} == {"RBX"}
    assert pseudonym(programme["alice"].id, pseudonym_key()) in {row["talent_pid"] for row in talents}
    db.session.expire_all()
    [entry] = db.session.scalars(sa.select(ResearchExport)).all()
    assert (entry.source, entry.user_id, entry.filters) == ("cli", None, f"territory={programme['rbx'].id}")


def test_the_command_refuses_an_unknown_territory(programme, app, tmp_path):
    result = app.test_cli_runner().invoke(args=["research-export", "-o", str(tmp_path / "x.zip"), "--territory", "ZZZ"])
    assert result.exit_code != 0
    assert "ZZZ" in result.output
    assert not (tmp_path / "x.zip").exists()


def test_exits_and_intake_in_the_export(paths, live_client):
    files = download(live_client, paths["researcher"])
    key = pseudonym_key()
    exits = {row["talent_pid"]: row for row in table(files, "exits")}
    alice = exits[pseudonym(paths["alice"].id, key)]
    assert (alice["category"], alice["subtype"], alice["evidence"]) == (
        "durable_employment",
        "permanent_contract",
        "proven",
    )
    assert exits[pseudonym(paths["chloe"].id, key)]["project_id"] == str(paths["p1"].id)
    talents = {row["talent_pid"]: row for row in table(files, "talents")}
    alice = talents[pseudonym(paths["alice"].id, key)]
    assert alice["period_id"] == str(paths["period"].id)
    assert (alice["evaluation_consent"], alice["age_band"], alice["residence_area"], alice["neet"]) == (
        "true",
        "under_26",
        "qpv",
        "true",
    )
    assert talents[pseudonym(paths["bruno"].id, key)]["age_band"] == ""


def test_admins_see_the_log_of_exports_on_the_page(programme, live_client, client, login):
    download(live_client, programme["researcher"], "months=1")
    login(programme["admin"])
    page = client.get("/reporting/").get_data(as_text=True)
    log = page.split('id="exports-log"', 1)[1]
    assert "Rita Recherche" in log and "months=1" in log
    login(programme["researcher"])
    assert 'id="exports-log"' not in client.get("/reporting/").get_data(as_text=True)
