"""Stages admin: create, rename, reorder, deactivate; a stage holding projects is never deleted."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.projects import services
from repairlab.projects.models import ProjectStage


def _order(db) -> list[str]:
    return list(db.session.scalars(sa.select(ProjectStage.name).order_by(ProjectStage.position)))


def test_stages_are_created_in_order(db, stages):
    assert _order(db) == [s.name for s in stages]


def test_a_stage_name_is_unique_whatever_the_case(db, admin, stages):
    with pytest.raises(Conflict):
        services.create_stage(admin, "idée")


def test_only_admins_edit_stages(db, make_user, stages):
    from repairlab.people.models import Role

    with pytest.raises(PermissionDenied):
        services.create_stage(make_user(Role.MENTOR), "Incubation")


def test_moving_a_stage_up_swaps_it_with_the_previous_one(db, admin, stages):
    services.move_stage(admin, stages[2], -1)
    db.session.commit()
    assert _order(db)[1:3] == ["Prototypage", "Exploration"]


def test_moving_the_first_stage_up_changes_nothing(db, admin, stages):
    services.move_stage(admin, stages[0], -1)
    assert _order(db)[0] == "Idée"


def test_a_stage_holding_projects_can_be_neither_deleted_nor_deactivated(db, admin, stages, territory, make_project):
    # Deactivated, it would leave the board, and its projects with it.
    make_project(territory, stage=stages[0])
    with pytest.raises(Conflict):
        services.delete_stage(admin, stages[0])
    with pytest.raises(Conflict) as error:
        services.update_stage(admin, stages[0], name="Idée", description="", active=False)
    assert "1 project is at this stage" in str(error.value) and error.value.field == "active"
    db.session.rollback()
    assert db.session.get(ProjectStage, stages[0].id).active is True


def test_a_stage_its_projects_went_through_can_be_deactivated_once_they_moved_on(
    db, admin, mentor, stages, territory, make_project
):
    project = make_project(territory, stage=stages[0], mentors=[mentor])
    services.move_project(mentor, project, stages[1], note="Besoin confirmé")
    with pytest.raises(Conflict):
        services.delete_stage(admin, stages[0])  # the history keeps it
    services.update_stage(admin, stages[0], name="Idée", description="", active=False)
    db.session.commit()
    assert db.session.get(ProjectStage, stages[0].id).active is False


def test_an_unused_stage_is_deleted(db, admin, stages):
    services.delete_stage(admin, stages[-1])
    db.session.commit()
    assert "Lancé" not in _order(db)


def test_the_last_stage_in_use_stays_in_use(db, admin, make_stage):
    only = make_stage("Idée")
    with pytest.raises(ValidationError):
        services.update_stage(admin, only, name="Idée", description="", active=False)


def test_a_project_cannot_start_at_a_stage_no_longer_used(db, territory, make_stage, make_project):
    with pytest.raises(ValidationError):
        make_project(territory, stage=make_stage("Ancienne étape", active=False))


def test_admins_see_the_stages_with_their_project_counts(client, login, admin, stages, territory, make_project):
    make_project(territory, stage=stages[1])
    page = login(admin).get("/projects/stages").text
    assert "Test avec des utilisateurs" in page and "1 project" in page


def test_deleting_a_stage_holding_projects_shows_why_and_keeps_it(
    db, client, login, admin, stages, territory, make_project
):
    make_project(territory, stage=stages[1])
    response = login(admin).post(f"/projects/stages/{stages[1].id}/delete", follow_redirects=True)
    assert "cannot be deleted" in response.text
    assert db.session.get(ProjectStage, stages[1].id) is not None


def test_an_admin_renames_a_stage(db, client, login, admin, stages):
    response = login(admin).post(
        f"/projects/stages/{stages[0].id}/edit", data={"name": "Idée de départ", "active": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProjectStage, stages[0].id).name == "Idée de départ"


def test_an_admin_moves_a_stage_up(db, client, login, admin, stages):
    login(admin).post(f"/projects/stages/{stages[1].id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert _order(db)[:2] == ["Exploration", "Idée"]


def test_deactivating_a_stage_holding_projects_shows_why_on_the_form(
    db, client, login, admin, stages, territory, make_project
):
    make_project(territory, stage=stages[2])
    response = login(admin).post(f"/projects/stages/{stages[2].id}/edit", data={"name": stages[2].name})
    assert response.status_code == 400
    assert "move it to another stage first" in response.text
    db.session.expire_all()
    assert db.session.get(ProjectStage, stages[2].id).active is True
