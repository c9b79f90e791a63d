"""The demo data holds projects at every stage, with history, sessions, milestones and figures."""

from __future__ import annotations

import sqlalchemy as sa

from repairlab import demo
from repairlab.projects.models import (
    FigureEntry,
    MentorSession,
    Milestone,
    Project,
    ProjectStage,
    ProjectStatus,
    StageChange,
)


def test_the_demo_has_projects_at_every_stage_with_their_follow_up(db):
    demo.seed(password="demo password 42")
    db.session.commit()
    stages = db.session.scalars(sa.select(ProjectStage).order_by(ProjectStage.position)).all()
    assert next(s.name for s in stages) == "Idée" and len(stages) == 6
    projects = db.session.scalars(sa.select(Project)).all()
    assert {p.stage_id for p in projects} == {s.id for s in stages}
    assert {len({p.territory_id for p in projects})} == {3}
    statuses = {p.status for p in projects}
    assert {ProjectStatus.STOPPED, ProjectStatus.LAUNCHED, ProjectStatus.PAUSED} <= statuses
    assert all(p.stop_reason for p in projects if p.status == ProjectStatus.STOPPED)
    count = lambda model, *where: db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))  # noqa: E731
    assert count(StageChange) > len(projects)
    assert count(MentorSession, MentorSession.private.is_(True)) >= 1
    assert count(Milestone, Milestone.done_on.is_(None)) > 0
    assert count(FigureEntry) > 20
