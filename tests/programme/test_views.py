"""The programme's pages: the path page and its forms, attendance by list and by card, downloads of one's own
data, periods and a new territory."""

from __future__ import annotations

import io
import json
import zipfile

import sqlalchemy as sa

from repairlab import clock
from repairlab.extensions import db
from repairlab.inventory import services as inventory
from repairlab.lending import cards
from repairlab.lending.models import LendingPolicy
from repairlab.lending.policies import set_policy
from repairlab.people.models import Cohort, Lab, Role, Territory, Track
from repairlab.programme import attendance, services
from repairlab.programme.models import (
    ActivityKind,
    CohortPeriod,
    Evidence,
    ExitCategory,
    ExitSubtype,
    PathEvent,
    PeriodTerritoryTarget,
    ProgrammePeriod,
    SessionAttendance,
    TalentExit,
    TalentIntake,
)


def test_the_path_page_shows_the_timeline_in_french(client, login, mentor, talent, days_ago):
    services.record_intake(mentor, talent, intake_date=days_ago(30), evaluation_consent=False)
    services.record_exit(
        mentor,
        talent,
        exit_date=days_ago(3),
        category=ExitCategory.TRANSITION_EMPLOYMENT,
        subtype=ExitSubtype.SUBSIDISED_CONTRACT,
        evidence=Evidence.PROVEN,
    )
    db.session.commit()
    login(mentor)
    page = client.get(f"/programme/talents/{talent.id}").get_data(as_text=True)
    assert "Parcours de" in page and "Emploi de transition" in page and "Contrat aidé" in page
    assert "Suivi à +6 mois" in page or "+6 mois" in page


def test_the_path_page_runs_a_bounded_number_of_queries(client, login, mentor, talent, query_counter):
    login(mentor)
    client.get(f"/programme/talents/{talent.id}")
    with query_counter() as count:
        assert client.get(f"/programme/talents/{talent.id}").status_code == 200
    assert count.value <= 20


def test_a_step_is_added_from_the_path_page(client, login, mentor, talent):
    login(mentor)
    today = clock.today().isoformat()
    response = client.post(
        f"/programme/talents/{talent.id}/events",
        data={"kind": "track_chosen", "occurred_on": today, "track": "employment", "note": "Choix réfléchi"},
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(PathEvent.note)) == "Choix réfléchi"
    refused = client.post(
        f"/programme/talents/{talent.id}/events",
        data={"kind": "track_chosen", "occurred_on": today, "track": "employment"},
    )
    assert refused.status_code == 400 and "déjà choisi" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PathEvent)) == 1


def test_an_intake_form_refuses_answers_without_consent(client, login, mentor, talent):
    login(mentor)
    today = clock.today().isoformat()
    refused = client.post(f"/programme/talents/{talent.id}/intake", data={"intake_date": today, "gender": "woman"})
    assert refused.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TalentIntake)) == 0
    saved = client.post(
        f"/programme/talents/{talent.id}/intake",
        data={
            "intake_date": today,
            "evaluation_consent": "y",
            "consent_date": today,
            "consent_notice_version": "2026-01",
            "gender": "woman",
            "receives_minimum_social_benefits": "yes",
        },
    )
    assert saved.status_code == 302
    intake = db.session.scalar(sa.select(TalentIntake))
    assert intake.receives_minimum_social_benefits is True and intake.is_neet is None


def test_an_exit_form_refuses_a_situation_of_another_category(client, login, mentor, talent):
    login(mentor)
    data = {
        "exit_date": clock.today().isoformat(),
        "category": "positive_exit",
        "subtype": "permanent_contract",
        "evidence": "proven",
    }
    refused = client.post(f"/programme/talents/{talent.id}/exit", data=data)
    assert refused.status_code == 400
    assert (
        client.post(f"/programme/talents/{talent.id}/exit", data={**data, "subtype": "qualifying_training"}).status_code
        == 302
    )
    assert db.session.scalar(sa.select(TalentExit.subtype)) == ExitSubtype.QUALIFYING_TRAINING


def test_attendance_by_list_and_by_card(client, login, mentor, territory, make_user):
    first, second = make_user(Role.PARTICIPANT, name="Awa"), make_user(Role.PARTICIPANT, name="Bilal")
    session = attendance.create_session(
        mentor, territory, kind=ActivityKind.WORKSHOP, title="Atelier vélo", held_on=clock.today()
    )
    card = cards.card_for(second)
    db.session.commit()
    login(mentor)
    page = client.get(f"/programme/sessions/{session.id}").get_data(as_text=True)
    assert "Awa" in page and "Bilal" in page
    response = client.post(f"/programme/sessions/{session.id}/attendance", data={"talent_id": [str(first.id)]})
    assert response.status_code == 302
    response = client.post(f"/programme/sessions/{session.id}/card", data={"card": card.token}, follow_redirects=True)
    assert "Bilal est noté·e présent·e" in response.get_data(as_text=True) or "Bilal" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SessionAttendance)) == 2
    assert client.post(f"/programme/sessions/{session.id}/card", data={"card": "M-ZZZZ"}).status_code == 400
    assert client.post(f"/programme/sessions/{session.id}/attendance", data={"talent_id": ["x"]}).status_code == 400


def test_a_session_is_created_from_the_list(client, login, mentor, make_lab):
    lab = make_lab("Atelier Nord")
    login(mentor)
    response = client.post(
        "/programme/sessions",
        data={"title": "Repair café", "kind": "repair_cafe", "held_on": clock.today().isoformat(), "lab_id": lab.id},
    )
    assert response.status_code == 302 and "/programme/sessions/" in response.location
    assert client.post("/programme/sessions", data={"title": "", "kind": "nope"}).status_code == 400


def test_a_talent_downloads_their_own_data(client, login, mentor, talent, days_ago):
    services.record_intake(mentor, talent, intake_date=days_ago(3), evaluation_consent=False)
    services.add_path_event(mentor, talent, PathEventKind_SUSPENSION(), days_ago(1), note="=cmd")
    db.session.commit()
    login(talent)
    account = client.get("/account").get_data(as_text=True)
    assert "/programme/my-data.json" in account and "/programme/my-data.zip" in account
    data = json.loads(client.get("/programme/my-data.json").get_data(as_text=True))
    assert data["account"][0]["email"] == talent.email
    assert data["intake"][0]["intake_date"] == days_ago(3).isoformat()
    assert "password_hash" not in json.dumps(data)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/programme/my-data.zip").data))
    assert {"account.csv", "intake.csv", "path_events.csv", "loans.csv"} <= set(archive.namelist())
    assert "'=cmd" in archive.read("path_events.csv").decode("utf-8-sig")


def PathEventKind_SUSPENSION():
    from repairlab.programme.models import PathEventKind

    return PathEventKind.SUSPENSION


def test_an_admin_edits_periods_targets_and_cohorts(client, login, admin, territory, make_cohort):
    cohort = make_cohort("Promo 2028")
    login(admin)
    response = client.post(
        "/programme/periods/new",
        data={
            "number": 2,
            "name": "Prototypage",
            "start_date": "2028-01-01",
            "end_date": "2028-12-31",
            "target_talents": 300,
        },
    )
    assert response.status_code == 302
    period = db.session.scalar(sa.select(ProgrammePeriod))
    client.post(
        f"/programme/periods/{period.id}/targets",
        data={
            "territory_id": territory.id,
            "start_date": "2028-01-01",
            "end_date": "2028-12-31",
            "target_talents": 100,
        },
    )
    client.post(f"/programme/periods/{period.id}/cohorts", data={"cohort_id": cohort.id})
    assert db.session.scalar(sa.select(PeriodTerritoryTarget.target_talents)) == 100
    assert db.session.get(CohortPeriod, cohort.id).period_id == period.id
    page = client.get("/programme/periods").get_data(as_text=True)
    assert "Prototypage" in page and "300" in page
    refused = client.post(
        "/programme/periods/new",
        data={"number": 3, "name": "X", "start_date": "2028-12-31", "end_date": "2028-01-01", "target_talents": 1},
    )
    assert refused.status_code == 400


def test_an_admin_opens_a_territory_with_copied_lending_rules(client, login, admin, territory, make_lab):
    lab = make_lab("Atelier Roubaix")
    category = inventory.create_category(None, "Outils électroportatifs")
    set_policy(admin, lab, category, self_service=False, default_days=3, max_days=7)
    db.session.commit()
    login(admin)
    response = client.post(
        "/programme/territories/new",
        data={
            "code": "lyo",
            "name": "Lyon-Villeurbanne",
            "labs": "Atelier Gerland\nAtelier Villeurbanne",
            "copy_from_id": territory.id,
            "cohorts-0-name": "Promotion 2029",
            "cohorts-0-start_date": "2029-01-08",
            "cohorts-0-end_date": "2029-12-14",
            "cohorts-0-target_talents": 150,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    new = db.session.scalar(sa.select(Territory).where(Territory.code == "LYO"))
    labs = db.session.scalars(sa.select(Lab).where(Lab.territory_id == new.id)).all()
    assert sorted(lab.name for lab in labs) == ["Atelier Gerland", "Atelier Villeurbanne"]
    assert db.session.scalar(sa.select(Cohort.target_talents).where(Cohort.territory_id == new.id)) == 150
    copied = db.session.scalars(
        sa.select(LendingPolicy).where(LendingPolicy.lab_id.in_([lab.id for lab in labs]))
    ).all()
    assert len(copied) == 2 and all(not p.self_service and p.max_days == 7 for p in copied)
    again = client.post("/programme/territories/new", data={"code": "LYO", "name": "Lyon", "labs": "A"})
    assert again.status_code == 400


def test_mentors_see_who_needs_attention_on_their_home_page(client, login, mentor, talent):
    login(mentor)
    home = client.get("/").get_data(as_text=True)
    assert "Qui a besoin d’attention" in home or "attention" in home
    page = client.get("/programme/").get_data(as_text=True)
    assert talent.full_name in page


def test_a_talent_with_a_launched_project_is_offered_a_business_creation(client, login, mentor, make_user, territory):
    from tests.programme.test_services import _launched_project

    entrepreneur = make_user(Role.PARTICIPANT, track=Track.ENTREPRENEURSHIP)
    project = _launched_project(mentor, entrepreneur, territory)
    db.session.commit()
    login(mentor)
    page = client.get(f"/programme/talents/{entrepreneur.id}/exit").get_data(as_text=True)
    assert f'<option selected value="{project.id}">' in page
