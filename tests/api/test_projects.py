"""Projects through the API: the web list's visibility and filters, a project's page, the board's move."""

from __future__ import annotations

import html
from datetime import date

import pytest
import sqlalchemy as sa

from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.projects import services
from repairlab.projects.models import Project, Sector, StageChange


@pytest.fixture
def stages(db):
    made = [services.create_stage(None, name) for name in ("Idée", "Prototype", "Lancement")]
    db.session.commit()
    return made


@pytest.fixture
def make_project(db, stages, make_user):
    def make(name, territory, team, *, mentors=(), stage=None, **fields):
        data = services.ProjectFields(name=name, sector=Sector.BIKES, start_date=date(2026, 3, 2), **fields)
        project = services.create_project(
            None, territory, data, team=team, mentors=list(mentors), stage=stage or stages[0]
        )
        db.session.commit()
        return project

    return make


def test_talents_see_their_teams_projects_and_staff_their_territorys(
    api, talent, territory, other_territory, make_user, make_project, stages
):
    mentor = make_user(Role.MENTOR, name="Maud Mentore")
    ours = make_project("Vélo solidaire", territory, [talent], mentors=[mentor])
    make_project("Friperie", territory, [make_user(Role.PARTICIPANT)], stage=stages[1])
    theirs = make_project("Recyclerie", other_territory, [make_user(Role.PARTICIPANT, territory_=other_territory)])
    assert [p["name"] for p in api(talent).get("/api/v1/projects").json["items"]] == ["Vélo solidaire"]
    staff = api(mentor)
    assert [p["name"] for p in staff.get("/api/v1/projects").json["items"]] == ["Friperie", "Vélo solidaire"]
    by_stage = staff.get("/api/v1/projects", query_string={"stage": stages[1].id}).json["items"]
    assert [p["name"] for p in by_stage] == ["Friperie"]
    assert staff.get("/api/v1/projects", query_string={"q": "VÉLO"}).json["total"] == 1
    assert staff.get("/api/v1/projects", query_string={"status": "paused"}).json["total"] == 0
    page = api(talent).get(f"/api/v1/projects/{ours.id}").json
    assert (page["code"], page["stage"], page["sector"]) == (ours.code, "Idée", "bikes")
    assert {(m["full_name"], m["role"]) for m in page["members"]} == {
        (talent.full_name, "team"),
        ("Maud Mentore", "mentor"),
    }
    assert staff.get(f"/api/v1/projects/{theirs.id}").status_code == 404
    assert api(make_user(Role.RESEARCHER)).get("/api/v1/projects").status_code == 403
    assert [s["name"] for s in staff.get("/api/v1/projects/stages").json] == ["Idée", "Prototype", "Lancement"]


def test_a_mentor_moves_a_project_with_a_note_as_on_the_board(
    db, client, login, api, talent, territory, make_user, make_project, stages
):
    mentor = make_user(Role.MENTOR)
    project = make_project("Vélo solidaire", territory, [talent])
    caller = api(mentor)
    url = f"/api/v1/projects/{project.id}/move"
    silent = caller.post(url, json={"stage_id": stages[1].id, "note": "  "})
    assert (silent.status_code, silent.json["field"]) == (422, "note")
    # The board's move form says the same.
    login(mentor)
    client.post("/language", data={"lang": "en"})
    page = client.post(f"/projects/{project.id}/move", data={"stage": stages[1].id, "note": ""})
    assert silent.json["detail"] in html.unescape(page.get_data(as_text=True))
    moved = caller.post(
        url, json={"stage_id": stages[1].id, "note": "Le prototype roule.", "from_stage_id": stages[0].id}
    )
    assert moved.status_code == 200
    assert (moved.json["to_stage"], moved.json["note"], moved.json["changed_by_id"]) == (
        "Prototype",
        "Le prototype roule.",
        mentor.id,
    )
    db.session.expire_all()
    assert db.session.get(Project, project.id).stage_id == stages[1].id
    notes = db.session.scalars(sa.select(StageChange.note).where(StageChange.project_id == project.id)).all()
    assert "Le prototype roule." in notes
    stale = caller.post(url, json={"stage_id": stages[2].id, "note": "Lancé", "from_stage_id": stages[0].id})
    assert stale.status_code == 409 and "Someone else moved this project meanwhile" in stale.json["detail"]
    same = caller.post(url, json={"stage_id": stages[1].id, "note": "Encore"})
    assert (same.status_code, same.json["detail"]) == (409, "The project is already at the stage “Prototype”.")
    unknown = caller.post(url, json={"stage_id": 999_999, "note": "?"})
    assert (unknown.status_code, unknown.json["detail"]) == (422, "Choose the stage to move the project to.")
    db.session.expire_all()
    assert db.session.get(Project, project.id).stage_id == stages[1].id


def test_lab_managers_talents_and_other_territories_do_not_move_projects(
    api, talent, territory, other_territory, make_user, make_project, stages
):
    project = make_project("Vélo solidaire", territory, [talent])
    body = {"stage_id": stages[1].id, "note": "On avance"}
    url = f"/api/v1/projects/{project.id}/move"
    assert api(make_user(Role.LAB_MANAGER)).post(url, json=body).status_code == 403
    assert api(talent).post(url, json=body).status_code == 403
    assert api(make_user(Role.MENTOR, territory_=other_territory)).post(url, json=body).status_code == 404
    assert api(make_user(Role.MENTOR), scopes="read").post(url, json=body).status_code == 403
    db.session.expire_all()
    assert db.session.get(Project, project.id).stage_id == stages[0].id
