"""Two people acting at once (or a double click): the database settles it, the second is told, no rule breaks."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from repairlab.errors import Conflict
from repairlab.extensions import db as db_
from repairlab.people.models import Role
from repairlab.projects import services
from repairlab.projects.models import MemberRole, Project, ProjectMember, ProjectStage


def test_a_person_added_twice_at_once_is_a_conflict_not_a_crash(
    db, monkeypatch, territory, stages, make_project, make_user
):
    """Two mentors (or a double click) add the same talent: the second insert hits the unique (project, user)."""
    mentor = make_user(Role.MENTOR)
    newcomer = make_user(Role.PARTICIPANT)
    project = make_project(territory, mentors=[mentor])
    real_scalar = db.session.scalar

    def raced(stmt, *args, **kwargs):
        value = real_scalar(stmt, *args, **kwargs)
        if "from project_members" in str(stmt).lower() and value is None:
            # Someone else adds the same person between our check and our insert.
            db.session.execute(sa.insert(ProjectMember).values(project_id=project.id, user_id=newcomer.id, role="team"))
        return value

    monkeypatch.setattr(db.session, "scalar", raced)
    with pytest.raises(Conflict):
        services.add_member(mentor, project, newcomer, "team")
    monkeypatch.undo()
    count = db.session.scalar(
        sa.select(sa.func.count()).where(ProjectMember.project_id == project.id, ProjectMember.user_id == newcomer.id)
    )
    assert count == 1


def test_two_mentors_removing_the_last_two_talents_at_once_leave_one(
    app, db, territory, stages, make_project, make_user
):
    """Real concurrency (PostgreSQL): the team keeps at least one talent even when both removals run together."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises writers")
    first, second = make_user(Role.PARTICIPANT), make_user(Role.PARTICIPANT)
    mentor = make_user(Role.MENTOR)
    project = make_project(territory, team=[first, second], mentors=[mentor])
    members = [m.id for m in project.members if m.role == MemberRole.TEAM]
    ids = (project.id, mentor.id)
    barrier = threading.Barrier(2)
    outcomes = []

    def remove(member_id):
        with app.app_context():
            try:
                actor = db_.session.get(type(mentor), ids[1])
                proj = db_.session.get(Project, ids[0])
                member = db_.session.get(ProjectMember, member_id)
                barrier.wait(timeout=5)
                services.remove_member(actor, proj, member)
                db_.session.commit()
                outcomes.append("removed")
            except Exception as error:
                db_.session.rollback()
                outcomes.append(type(error).__name__)
            finally:
                db_.session.remove()

    threads = [threading.Thread(target=remove, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert sorted(outcomes) == ["ValidationError", "removed"]
    db.session.expire_all()
    left = db.session.scalar(
        sa.select(sa.func.count()).where(ProjectMember.project_id == project.id, ProjectMember.role == MemberRole.TEAM)
    )
    assert left == 1


def test_a_stage_added_twice_at_once_is_a_conflict_not_a_crash(db, monkeypatch, make_user):
    """A double click on "Save": the second insert hits the unique stage name."""
    admin = make_user(Role.ADMIN)
    real_scalar = db.session.scalar

    def raced(stmt, *args, **kwargs):
        value = real_scalar(stmt, *args, **kwargs)
        if "lower(project_stages.name)" in str(stmt).lower():
            db.session.execute(sa.insert(ProjectStage).values(name="Idée", description="", position=1, active=True))
        return value

    monkeypatch.setattr(db.session, "scalar", raced)
    with pytest.raises(Conflict):
        services.create_stage(admin, "Idée")
    monkeypatch.undo()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProjectStage)) == 1
