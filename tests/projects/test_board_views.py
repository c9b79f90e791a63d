"""The board page and the move of a project with a note: what each role sees and may do, and what is kept."""
# ruff: noqa: F811  (fixtures imported from the skills tests)

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from repairlab.audit.models import AuditEntry
from repairlab.clock import today
from repairlab.people.models import Role, User
from repairlab.projects.models import MentorSession, Milestone, Project, StageChange
from tests.skills.conftest import admin_actor, make_domain, make_skill  # noqa: F401  (fixtures)


@pytest.fixture
def manager(make_user):
    """A lab manager of the home territory."""
    return make_user(Role.LAB_MANAGER, name="Léa Atelier")


@pytest.fixture
def project(territory, stages, mentor, make_project, make_user):
    """A project at the second stage, followed by the mentor."""
    talent = make_user(Role.PARTICIPANT, name="Zoé Martin")
    return make_project(territory, team=[talent], mentors=[mentor], stage=stages[1], name="Vélo Solidaire")


def _changes(db, project) -> list[StageChange]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(StageChange).where(StageChange.project_id == project.id).order_by(StageChange.id))
    )


def _stage_id(db, project) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(Project.stage_id).where(Project.id == project.id))


# --- The board ---------------------------------------------------------------------------------------


def test_a_mentor_sees_the_columns_and_the_cards(client, login, mentor, project, stages):
    login(mentor)

    response = client.get("/projects/board")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for stage in stages:
        assert stage.name in html
    assert project.code in html and "Vélo Solidaire" in html and "Zoé Martin" in html
    assert f'data-move-url="/projects/{project.id}/move"' in html
    assert f"/projects/{project.id}/move?stage={stages[2].id}" in html  # next stage
    assert f"/projects/{project.id}/move?stage={stages[0].id}" in html  # previous stage
    assert 'id="move-dialog"' in html and "Sortable.min.js" in html


def test_the_card_says_what_needs_attention_in_words(db, client, login, mentor, project):
    on = today()
    db.session.add(Milestone(project_id=project.id, title="Étude de marché", due_on=on - timedelta(days=12)))
    db.session.add(MentorSession(project_id=project.id, held_on=on - timedelta(days=45), duration_minutes=60))
    mentor.locale = "en"
    db.session.commit()
    login(mentor)

    html = client.get("/projects/board").get_data(as_text=True)

    assert "Étude de marché" in html and "12 days late" in html
    assert "No session for 45 days" in html


def test_a_paused_project_says_so(db, client, login, mentor, project):
    from repairlab.projects.models import ProjectStatus

    project.status = ProjectStatus.PAUSED
    db.session.commit()
    login(mentor)

    html = client.get("/projects/board").get_data(as_text=True)

    assert "board-card-paused" in html and "flag-paused" in html


def test_a_stopped_or_launched_project_says_so_in_words(db, client, login, mentor, project, make_project, stages):
    from repairlab.projects.models import ProjectStatus

    project.status, project.stop_reason = ProjectStatus.STOPPED, "Plus de local"
    launched = make_project(project.territory, mentors=[mentor], stage=stages[-1], name="Déjà lancé")
    launched.status = ProjectStatus.LAUNCHED
    db.session.commit()
    login(mentor)

    html = client.get("/projects/board?status=all").get_data(as_text=True)

    assert "flag-stopped" in html and ">Stopped</strong>" in html
    assert "flag-launched" in html and ">Launched</strong>" in html


def test_a_lab_manager_sees_the_board_without_move_controls(client, login, manager, project):
    login(manager)

    response = client.get("/projects/board")

    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Vélo Solidaire" in html
    assert "/move" not in html and "move-dialog" not in html and "Sortable" not in html


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.RESEARCHER])
def test_talents_and_researchers_are_refused(client, login, make_user, stages, role):
    login(make_user(role))

    assert client.get("/projects/board").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, stages):
    response = client.get("/projects/board")

    assert response.status_code == 302 and "/login" in response.location


def test_a_mentor_does_not_see_another_territorys_projects(
    client, login, mentor, other_territory, stages, make_project
):
    other = make_project(other_territory, name="Projet parisien")
    login(mentor)

    html = client.get(f"/projects/board?territory={other_territory.id}").get_data(as_text=True)

    assert "Projet parisien" not in html and other.code not in html


def test_bad_filters_are_ignored(client, login, mentor, project):
    login(mentor)

    response = client.get("/projects/board?cohort=abc&mentor=99999999999999&sector=x&status=zz&lanes=zz&stage=-3")

    assert response.status_code == 200 and "Vélo Solidaire" in response.get_data(as_text=True)


def test_filters_and_lanes_keep_the_board_working(client, login, mentor, project, make_cohort):
    login(mentor)

    for query in ("lanes=mentor", "lanes=cohort", f"mentor={mentor.id}", "sector=bikes", "status=all"):
        assert client.get(f"/projects/board?{query}").status_code == 200


def test_an_admin_sees_every_territory_and_can_filter_one(client, login, admin, project, other_territory, make_project):
    make_project(other_territory, name="Projet parisien")
    login(admin)

    both = client.get("/projects/board").get_data(as_text=True)
    paris = client.get(f"/projects/board?territory={other_territory.id}").get_data(as_text=True)

    assert "Vélo Solidaire" in both and "Projet parisien" in both
    assert "Vélo Solidaire" not in paris and "Projet parisien" in paris


def test_the_board_runs_the_same_queries_for_3_and_60_projects(
    fresh_renders, db, client, login, mentor, territory, stages, make_project, make_user, query_counter
):
    login(mentor)

    def queries(n: int) -> int:
        for i in range(n):
            make_project(territory, stage=stages[i % len(stages)], mentors=[mentor])
        with query_counter() as count:
            assert client.get("/projects/board").status_code == 200
        return count.value

    small = queries(3)
    assert small == queries(57)
    assert small <= 15


# --- The move page --------------------------------------------------------------------------------


def test_the_move_page_preselects_the_stage_from_the_card(client, login, mentor, project, stages):
    login(mentor)

    response = client.get(f"/projects/{project.id}/move?stage={stages[2].id}&next=/projects/board?lanes=mentor")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<option selected value="{stages[2].id}">' in html
    assert f'name="from_stage" type="hidden" value="{stages[1].id}"' in html
    assert "/projects/board?lanes=mentor" in html


def test_a_move_with_a_note_changes_the_stage_and_is_kept(db, client, login, mentor, project, stages):
    login(mentor)

    response = client.post(
        f"/projects/{project.id}/move",
        data={
            "stage": stages[2].id,
            "from_stage": stages[1].id,
            "note": "Premier prototype prêt.",
            "next": "/projects/board?lanes=mentor",
        },
    )

    assert response.status_code == 302 and response.location == "/projects/board?lanes=mentor"
    assert _stage_id(db, project) == stages[2].id
    change = _changes(db, project)[-1]
    assert (change.from_stage_id, change.to_stage_id, change.note, change.changed_by_id) == (
        stages[1].id,
        stages[2].id,
        "Premier prototype prêt.",
        mentor.id,
    )
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "project.move"))
    assert entry.actor_id == mentor.id and entry.after["stage"] == stages[2].name
    page = client.get("/projects/board?lanes=mentor").get_data(as_text=True)
    assert "Vélo Solidaire" in page and stages[2].name in page


def test_an_empty_note_is_refused_and_nothing_changes(db, client, login, mentor, project, stages):
    mentor.locale = "en"
    db.session.commit()
    login(mentor)
    before = len(_changes(db, project))

    response = client.post(f"/projects/{project.id}/move", data={"stage": stages[2].id, "note": "   "})

    assert response.status_code == 400
    assert "Say in a few words why the project moves." in response.get_data(as_text=True)
    assert _stage_id(db, project) == stages[1].id and len(_changes(db, project)) == before


def test_moving_to_the_same_stage_is_refused(db, client, login, mentor, project, stages):
    login(mentor)
    before = len(_changes(db, project))

    response = client.post(f"/projects/{project.id}/move", data={"stage": stages[1].id, "note": "Rien."})

    assert response.status_code == 400
    assert stages[1].name in response.get_data(as_text=True)
    assert len(_changes(db, project)) == before


def test_a_move_from_a_stale_board_is_refused(db, client, login, mentor, project, stages):
    login(mentor)
    before = len(_changes(db, project))

    response = client.post(
        f"/projects/{project.id}/move",
        data={"stage": stages[3].id, "from_stage": stages[0].id, "note": "Vu sur un vieil écran."},
    )

    assert response.status_code == 400
    assert _stage_id(db, project) == stages[1].id and len(_changes(db, project)) == before


def test_an_unknown_or_inactive_stage_is_refused(db, client, login, mentor, project, stages):
    stages[4].active = False
    db.session.commit()
    login(mentor)

    for stage in ("999999", "abc", str(stages[4].id), ""):
        response = client.post(f"/projects/{project.id}/move", data={"stage": stage, "note": "Essai."})
        assert response.status_code == 400
    assert _stage_id(db, project) == stages[1].id


def test_an_outside_next_is_not_followed(client, login, mentor, project, stages):
    login(mentor)

    response = client.post(
        f"/projects/{project.id}/move",
        data={"stage": stages[2].id, "note": "Ok.", "next": "https://evil.example/"},
    )

    assert response.status_code == 302 and response.location == "/projects/board"


def test_a_lab_manager_cannot_move_a_project(db, client, login, manager, project, stages):
    login(manager)
    before = len(_changes(db, project))

    assert client.get(f"/projects/{project.id}/move").status_code == 403
    response = client.post(f"/projects/{project.id}/move", data={"stage": stages[2].id, "note": "Non."})

    assert response.status_code == 403
    assert _stage_id(db, project) == stages[1].id and len(_changes(db, project)) == before


def test_a_talent_cannot_move_their_own_project(db, client, login, project, stages):
    talent = db.session.scalar(sa.select(User).where(User.full_name == "Zoé Martin"))
    login(talent)

    response = client.post(f"/projects/{project.id}/move", data={"stage": stages[2].id, "note": "Hop."})

    assert response.status_code == 403 and _stage_id(db, project) == stages[1].id


def test_a_mentor_of_another_territory_gets_not_found(db, client, login, make_user, other_territory, project, stages):
    login(make_user(Role.MENTOR, territory_=other_territory))

    assert client.get(f"/projects/{project.id}/move").status_code == 404
    response = client.post(f"/projects/{project.id}/move", data={"stage": stages[2].id, "note": "Hop."})

    assert response.status_code == 404 and _stage_id(db, project) == stages[1].id


def test_unknown_and_huge_project_ids_are_not_found(client, login, mentor, stages):
    login(mentor)

    assert client.get("/projects/999999/move").status_code == 404
    assert client.get(f"/projects/{2**40}/move").status_code == 404


def test_a_move_without_the_csrf_token_is_refused(db, csrf_enabled, client, login, mentor, project, stages):
    login(mentor)

    response = client.post(f"/projects/{project.id}/move", data={"stage": stages[2].id, "note": "Hop."})

    assert response.status_code == 400 and _stage_id(db, project) == stages[1].id


def test_a_crowded_column_links_to_all_its_projects(
    monkeypatch, client, login, mentor, territory, stages, make_project
):
    from repairlab.projects.board import queries as boards

    monkeypatch.setattr(boards, "CELL_CAP", 1)
    make_project(territory, stage=stages[0], name="Premier")
    make_project(territory, stage=stages[0], name="Second")
    login(mentor)

    crowded = client.get("/projects/board?sector=other").get_data(as_text=True)
    whole = client.get(f"/projects/board?sector=other&stage={stages[0].id}").get_data(as_text=True)

    assert "Premier" in crowded and "Second" not in crowded
    assert f"/projects/board?sector=other&amp;stage={stages[0].id}" in crowded
    assert "Premier" in whole and "Second" in whole
    assert whole.count('class="board-column"') == 1


def test_swimlanes_show_each_mentor_and_the_projects_without_one(
    client, login, mentor, project, territory, make_project
):
    make_project(territory, name="Orphelin")
    mentor.locale = "en"
    from repairlab.extensions import db

    db.session.commit()
    login(mentor)

    html = client.get("/projects/board?lanes=mentor").get_data(as_text=True)

    assert "Maud Mentore" in html and "No mentor" in html and "Orphelin" in html


def test_the_card_names_the_missing_skills(db, client, login, mentor, project, make_skill):
    from repairlab.projects.prototypes.models import Prototype, PrototypeSkill

    prototype = Prototype(project_id=project.id, name="Vélo cargo")
    db.session.add(prototype)
    db.session.flush()
    for i, name in enumerate(["Soudure MIG", "Freinage", "Roues", "Peinture"]):
        db.session.add(PrototypeSkill(prototype_id=prototype.id, skill_id=make_skill(name).id, min_level=2 + i % 2))
    mentor.locale = "en"
    db.session.commit()
    login(mentor)

    html = client.get("/projects/board").get_data(as_text=True)

    assert "4 missing skills:" in html and "Freinage, Peinture, Roues" in html and "and 1 other" in html


def test_the_board_is_served_again_until_a_project_or_a_name_on_it_changes(
    still_clock, db, client, login, mentor, project, stages, query_counter
):
    login(mentor)
    first = client.get("/projects/board").get_data(as_text=True)
    with query_counter() as again:
        assert client.get("/projects/board").get_data(as_text=True) == first
    assert again.value == 2, again.statements
    project.name = "Vélo Partagé"
    db.session.commit()
    assert "Vélo Partagé" in client.get("/projects/board").get_data(as_text=True)
    mentor.full_name = "Marc Lambert"  # the mentor's own name, in the menu
    db.session.commit()
    assert "Marc" in client.get("/projects/board").get_data(as_text=True).split("</header>", 1)[0]
    project.stage_id = stages[2].id
    db.session.commit()
    page = client.get("/projects/board").get_data(as_text=True)
    column = page.split(stages[2].name, 1)[1]
    assert "Vélo Partagé" in column


def test_the_project_just_moved_is_highlighted_once(still_clock, db, client, login, mentor, project, stages):
    login(mentor)
    client.get("/projects/board")
    response = client.post(
        f"/projects/{project.id}/move", data={"stage": stages[2].id, "from_stage": stages[1].id, "note": "Prêt."}
    )
    assert response.status_code == 302
    assert 'data-moved="1"' in client.get("/projects/board").get_data(as_text=True)
    assert 'data-moved="1"' not in client.get("/projects/board").get_data(as_text=True)
    # Even without the move's message in the session, the highlight is never kept in a page served again.
    from repairlab.projects.board.views import MOVED

    with client.session_transaction() as session:
        session[MOVED] = project.id
    assert 'data-moved="1"' in client.get("/projects/board").get_data(as_text=True)
    assert 'data-moved="1"' not in client.get("/projects/board").get_data(as_text=True)
