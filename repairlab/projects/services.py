"""Projects: the use cases of incubation (create, edit, move between stages, team, figures, milestones, sessions)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from repairlab.audit.services import record
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db, utcnow
from repairlab.people.models import User
from repairlab.projects import access
from repairlab.projects.models import Project, ProjectStage, StageChange

MAX_NOTE = 2000


def move_project(actor: User, project: Project, stage: ProjectStage, *, note: str) -> StageChange:
    """Move a project to another stage with a note, kept in its stage history and the audit log.

    Raises PermissionDenied when the actor does not follow the project, ValidationError for an empty or too
    long note or an inactive stage, Conflict when the project is already at that stage.
    """
    if not access.can_follow(actor, project):
        raise PermissionDenied(_("Only the project's mentors can change its stage."))
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say in a few words why the project moves."), field="note")
    if len(note) > MAX_NOTE:
        raise ValidationError(_("The note is too long (%(max)d characters at most).", max=MAX_NOTE), field="note")
    if not stage.active:
        raise ValidationError(_("This stage is no longer used."), field="stage")
    if stage.id == project.stage_id:
        raise Conflict(_("The project is already at the stage “%(stage)s”.", stage=stage.name))
    # Lock the project's row so that two simultaneous moves are applied one after the other.
    db.session.execute(sa.select(Project.id).where(Project.id == project.id).with_for_update())
    before = {"stage": project.stage.name}
    change = StageChange(
        project_id=project.id, from_stage_id=project.stage_id, to_stage_id=stage.id, note=note, changed_by_id=actor.id
    )
    project.stage_id = stage.id
    project.stage = stage
    project.stage_changed_at = utcnow()
    db.session.add(change)
    record(actor, "project.move", project, before=before, after={"stage": stage.name, "note": note})
    db.session.flush()
    return change


PROJECT_TARGET = "project"


def project_names(ids: list[int]) -> dict[int, str]:
    """Project names by id, for labels (one query)."""
    rows = db.session.execute(sa.select(Project.id, Project.name).where(Project.id.in_(ids)))
    return dict(rows.all())
