"""Project use cases: creation with a code and a first stage, edits, status, team and mentors, stages admin."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from repairlab.audit.models import AuditEntry
from repairlab.database import flush_or_conflict
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.inventory.models import Code
from repairlab.people.models import Role
from repairlab.projects import services
from repairlab.projects.models import MemberRole, ProjectMember, ProjectStatus, Sector, StageChange


def _actions(db, action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def _fields(**values) -> services.ProjectFields:
    base = {"name": "Vélo Solidaire", "sector": Sector.BIKES, "start_date": date(2026, 3, 2)}
    base.update(values)
    return services.ProjectFields(**base)


def test_a_mentor_creates_a_project_with_a_code_a_team_and_a_first_stage(db, territory, stages, mentor, talent):
    project = services.create_project(mentor, territory, _fields(), team=[talent], mentors=[mentor])
    db.session.commit()
    assert project.code.startswith("RBX-")
    code = db.session.scalar(sa.select(Code).where(Code.code == project.code))
    assert (code.target_type, code.target_id) == (services.PROJECT_TARGET, project.id)
    assert project.stage_id == stages[0].id
    assert {(m.user_id, m.role) for m in project.members} == {
        (talent.id, MemberRole.TEAM),
        (mentor.id, MemberRole.MENTOR),
    }
    [first] = db.session.scalars(sa.select(StageChange).where(StageChange.project_id == project.id)).all()
    assert first.from_stage_id is None and first.to_stage_id == stages[0].id and first.changed_by_id == mentor.id
    assert len(_actions(db, "project.create")) == 1


def test_a_project_needs_a_talent_in_its_team(db, territory, stages, mentor):
    with pytest.raises(ValidationError):
        services.create_project(mentor, territory, _fields(), team=[], mentors=[mentor])


def test_only_active_talents_of_the_territory_join_a_team(db, territory, other_territory, stages, mentor, make_user):
    for outsider in (
        make_user(Role.PARTICIPANT, territory_=other_territory),
        make_user(Role.PARTICIPANT, active=False),
        make_user(Role.LAB_MANAGER),
    ):
        with pytest.raises(ValidationError):
            services.create_project(mentor, territory, _fields(), team=[outsider])


def test_only_mentors_of_the_territory_follow_a_project(
    db, territory, other_territory, stages, mentor, talent, make_user
):
    with pytest.raises(ValidationError):
        services.create_project(
            mentor, territory, _fields(), team=[talent], mentors=[make_user(Role.MENTOR, territory_=other_territory)]
        )
    with pytest.raises(ValidationError):
        services.create_project(mentor, territory, _fields(), team=[talent], mentors=[talent])


def test_talents_and_lab_managers_cannot_start_a_project(db, territory, stages, talent, make_user):
    for actor in (talent, make_user(Role.LAB_MANAGER)):
        with pytest.raises(PermissionDenied):
            services.create_project(actor, territory, _fields(), team=[talent])


def test_a_cohort_of_another_territory_is_refused(db, territory, stages, mentor, talent, make_cohort, other_territory):
    foreign = make_cohort("Promo Paris", territory_=other_territory)
    with pytest.raises(ValidationError) as error:
        services.create_project(mentor, territory, _fields(cohort_id=foreign.id), team=[talent])
    assert error.value.field == "cohort_id"


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_a_bad_name_is_refused(db, territory, stages, mentor, talent, name):
    with pytest.raises(ValidationError):
        services.create_project(mentor, territory, _fields(name=name), team=[talent])


def test_the_team_edits_its_project_and_the_change_is_audited(db, territory, make_project, talent):
    project = make_project(territory, team=[talent])
    services.update_project(talent, project, _fields(name="Vélo Solidaire Roubaix", pricing="15 € la réparation"))
    db.session.commit()
    assert project.name == "Vélo Solidaire Roubaix" and project.pricing == "15 € la réparation"
    [entry] = _actions(db, "project.update")
    assert entry.before["name"] != entry.after["name"]


def test_a_talent_of_another_team_cannot_edit(db, territory, make_project, make_user):
    project = make_project(territory)
    with pytest.raises(PermissionDenied):
        services.update_project(make_user(Role.PARTICIPANT), project, _fields())


def test_stopping_needs_a_reason(db, territory, make_project, mentor):
    project = make_project(territory, mentors=[mentor])
    with pytest.raises(ValidationError) as error:
        services.set_status(mentor, project, ProjectStatus.STOPPED, "  ")
    assert error.value.field == "reason"
    services.set_status(mentor, project, ProjectStatus.STOPPED, "L'équipe a trouvé un emploi salarié.")
    db.session.commit()
    assert project.status == ProjectStatus.STOPPED and project.stop_reason.startswith("L'équipe")


def test_the_same_status_twice_is_a_conflict_and_the_team_cannot_change_it(db, territory, make_project, mentor, talent):
    project = make_project(territory, team=[talent], mentors=[mentor])
    with pytest.raises(Conflict):
        services.set_status(mentor, project, ProjectStatus.ACTIVE)
    with pytest.raises(PermissionDenied):
        services.set_status(talent, project, ProjectStatus.PAUSED)


def test_resuming_clears_the_stop_reason(db, territory, make_project, mentor):
    project = make_project(territory, mentors=[mentor])
    services.set_status(mentor, project, ProjectStatus.STOPPED, "Pas de local")
    services.set_status(mentor, project, ProjectStatus.ACTIVE)
    assert project.stop_reason == ""


def test_the_last_talent_of_a_team_cannot_be_removed(db, territory, make_project, mentor, talent, make_user):
    project = make_project(territory, team=[talent], mentors=[mentor])
    [member] = [m for m in project.members if m.user_id == talent.id]
    with pytest.raises(ValidationError):
        services.remove_member(mentor, project, member)
    services.add_member(mentor, project, make_user(Role.PARTICIPANT), MemberRole.TEAM)
    services.remove_member(mentor, project, member)
    db.session.commit()
    assert talent.id not in {m.user_id for m in project.members}


def test_someone_already_in_the_project_is_not_added_twice(db, territory, make_project, mentor, talent):
    project = make_project(territory, team=[talent], mentors=[mentor])
    with pytest.raises(Conflict):
        services.add_member(mentor, project, talent, MemberRole.TEAM)


def test_a_mentor_of_another_territory_cannot_change_the_team(db, territory, other_territory, make_project, make_user):
    project = make_project(territory)
    with pytest.raises(PermissionDenied):
        services.add_member(
            make_user(Role.MENTOR, territory_=other_territory), project, make_user(Role.PARTICIPANT), MemberRole.TEAM
        )


def test_a_move_is_kept_in_the_stage_history(db, territory, stages, make_project, mentor):
    project = make_project(territory, mentors=[mentor])
    services.move_project(mentor, project, stages[1], note="Étude de marché faite")
    db.session.commit()
    changes = db.session.scalars(
        sa.select(StageChange).where(StageChange.project_id == project.id).order_by(StageChange.id)
    ).all()
    assert [(c.from_stage_id, c.to_stage_id) for c in changes] == [(None, stages[0].id), (stages[0].id, stages[1].id)]
    assert changes[1].note == "Étude de marché faite" and changes[1].changed_by_id == mentor.id


def test_a_row_refused_by_a_unique_constraint_becomes_a_conflict_and_is_not_kept(db, territory, stages, mentor, talent):
    # What a simultaneous add looks like once the check before the write has passed: the database says no.
    project = services.create_project(mentor, territory, _fields(), team=[talent], mentors=[mentor])
    db.session.commit()
    twin = ProjectMember(project_id=project.id, user_id=talent.id, role=MemberRole.TEAM)
    with pytest.raises(Conflict) as refused:
        flush_or_conflict("Already there.", "user_id", new=twin)
    assert (str(refused.value), refused.value.field) == ("Already there.", "user_id")
    assert twin not in db.session
    db.session.commit()  # the session is still usable: only the savepoint was rolled back
    assert len(project.members) == 2
