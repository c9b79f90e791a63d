"""Moving a project from the board: the stage the mentor saw is checked before the move applies."""

from __future__ import annotations

from flask_babel import gettext as _

from repairlab.errors import Conflict
from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.projects.models import Project, ProjectStage, StageChange
from repairlab.projects.services import move_project


def move_from(
    actor: User, project: Project, stage: ProjectStage, *, note: str, from_stage_id: int | None
) -> StageChange:
    """Move a project as seen on a card or a form: refused when someone moved it since the page was shown.

    from_stage_id is the stage the actor saw the project at (None: not checked); then move_project applies the move.
    """
    if from_stage_id is not None:
        db.session.refresh(project, ["stage_id"], with_for_update=True)
        if project.stage_id != from_stage_id:
            current = db.session.get(ProjectStage, project.stage_id)
            raise Conflict(
                _(
                    "Someone else moved this project meanwhile: it is now at the stage “%(stage)s”. "
                    "Check the board again.",
                    stage=current.name if current else "?",
                )
            )
    return move_project(actor, project, stage, note=note)
