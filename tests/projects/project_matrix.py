"""Who may use each project route; see tests/core/test_permissions.py.

The world's talent is in the team of the home project and the world's mentor follows it; lab managers read only;
researchers never open projects. Other territories' projects are "not found".
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.projects import services
from repairlab.projects.models import MemberRole, ProjectMember, ProjectStage, Sector
from tests.permissions import ADMIN, Route

READERS = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
EDITORS = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.ADMIN})
FOLLOWERS = frozenset({Role.MENTOR, Role.ADMIN})


def _stage() -> ProjectStage:
    stage = db.session.scalar(
        sa.select(ProjectStage).where(ProjectStage.active.is_(True)).order_by(ProjectStage.position).limit(1)
    )
    return stage or services.create_stage(None, "Idée")


def _project(w, prefix: str = ""):
    """The home project (talent in the team, mentor following) or the other territory's, with a milestone, a
    figure and a session with an action item; created once per world."""
    key = f"{prefix}pm_project"
    if key not in w:
        territory = w[f"{prefix}territory"]
        talent = w["talent"] if not prefix else w["other_talent"]
        mentors = [w["users"][Role.MENTOR]] if not prefix else []
        project = services.create_project(
            None,
            territory,
            services.ProjectFields(name="Réparation de smartphones", sector=Sector.PHONES, start_date=date(2026, 2, 2)),
            team=[talent],
            mentors=mentors,
            stage=_stage(),
        )
        w[f"{prefix}pm_milestone"] = services.add_milestone(None, project, "Premier client", date(2026, 6, 1))
        w[f"{prefix}pm_figure"] = services.add_figure(None, project, "revenue", date(2026, 3, 1), 120)
        session = services.record_session(
            None,
            project,
            held_on=date(2026, 3, 5),
            duration_minutes=60,
            actions=[services.ActionDraft("Faire un devis type")],
        )
        w[f"{prefix}pm_action"] = session.actions[0]
        w[f"{prefix}pm_session"] = session
        w[f"{prefix}pm_team_member"] = db.session.scalar(
            sa.select(ProjectMember).where(
                ProjectMember.project_id == project.id, ProjectMember.role == MemberRole.TEAM
            )
        )
        db.session.commit()
        w[key] = project
    return w[key]


def _p(w, prefix: str = "") -> str:
    return f"/projects/{_project(w, prefix).id}"


def _child(name: str, w, prefix: str = "") -> int:
    _project(w, prefix)
    return w[f"{prefix}pm_{name}"].id


def _spare_stage(w) -> ProjectStage:
    """A stage no project uses (not in use, so no other matrix picks it), for the delete route."""
    if "pm_spare_stage" not in w:
        _stage()
        stage = services.create_stage(None, "Étape en trop")
        stage.active = False
        db.session.commit()
        w["pm_spare_stage"] = stage
    return w["pm_spare_stage"]


def _figure(w, prefix=""):
    return f"{_p(w, prefix)}/figures/{_child('figure', w, prefix)}"


def _milestone(w, prefix=""):
    return f"{_p(w, prefix)}/milestones/{_child('milestone', w, prefix)}"


PROJECT_MATRIX = [
    Route("projects.index", lambda w: "/projects/", READERS),
    Route("projects.new", lambda w: "/projects/new", FOLLOWERS),
    Route("projects.project", _p, READERS, other_url=lambda w: _p(w, "other_")),
    Route("projects.edit", lambda w: f"{_p(w)}/edit", EDITORS, other_url=lambda w: f"{_p(w, 'other_')}/edit"),
    Route("projects.status", lambda w: f"{_p(w)}/status", FOLLOWERS, other_url=lambda w: f"{_p(w, 'other_')}/status"),
    Route("projects.members", lambda w: f"{_p(w)}/team", FOLLOWERS, other_url=lambda w: f"{_p(w, 'other_')}/team"),
    Route(
        "projects.member_add",
        lambda w: f"{_p(w)}/team/add?role=team",
        FOLLOWERS,
        method="POST",
        data=lambda w: {"team-user_id": ""},
        other_url=lambda w: f"{_p(w, 'other_')}/team/add?role=team",
    ),
    Route(
        "projects.member_remove",
        # The only talent of the team: refused with a message, nothing removed.
        lambda w: f"{_p(w)}/team/{_child('team_member', w)}/remove",
        FOLLOWERS,
        method="POST",
        other_url=lambda w: f"{_p(w, 'other_')}/team/{_child('team_member', w, 'other_')}/remove",
    ),
    Route("projects.figures", lambda w: f"{_p(w)}/figures", EDITORS, other_url=lambda w: f"{_p(w, 'other_')}/figures"),
    Route(
        "projects.figure_edit",
        lambda w: f"{_figure(w)}/edit",
        EDITORS,
        other_url=lambda w: f"{_figure(w, 'other_')}/edit",
    ),
    Route(
        "projects.milestone_new",
        lambda w: f"{_p(w)}/milestones/new",
        EDITORS,
        other_url=lambda w: f"{_p(w, 'other_')}/milestones/new",
    ),
    Route(
        "projects.milestone_edit",
        lambda w: f"{_milestone(w)}/edit",
        EDITORS,
        other_url=lambda w: f"{_milestone(w, 'other_')}/edit",
    ),
    Route(
        "projects.milestone_done",
        lambda w: f"{_milestone(w)}/done",
        EDITORS,
        method="POST",
        data=lambda w: {"done": "1"},
        other_url=lambda w: f"{_milestone(w, 'other_')}/done",
    ),
    Route(
        "projects.session_new",
        lambda w: f"{_p(w)}/sessions/new",
        FOLLOWERS,
        other_url=lambda w: f"{_p(w, 'other_')}/sessions/new",
    ),
    Route(
        "projects.session_edit",
        lambda w: f"{_p(w)}/sessions/{_child('session', w)}/edit",
        FOLLOWERS,
        other_url=lambda w: f"{_p(w, 'other_')}/sessions/{_child('session', w, 'other_')}/edit",
    ),
    Route(
        "projects.action_done",
        lambda w: f"{_p(w)}/actions/{_child('action', w)}/done",
        EDITORS,
        method="POST",
        other_url=lambda w: f"{_p(w, 'other_')}/actions/{_child('action', w, 'other_')}/done",
    ),
    Route(
        "projects.figure_delete",
        lambda w: f"{_figure(w)}/delete",
        EDITORS,
        method="POST",
        other_url=lambda w: f"{_figure(w, 'other_')}/delete",
    ),
    Route(
        "projects.milestone_delete",
        lambda w: f"{_milestone(w)}/delete",
        EDITORS,
        method="POST",
        other_url=lambda w: f"{_milestone(w, 'other_')}/delete",
    ),
    Route("projects.stages", lambda w: "/projects/stages", ADMIN),
    Route("projects.stage_new", lambda w: "/projects/stages/new", ADMIN),
    Route("projects.stage_edit", lambda w: f"/projects/stages/{_stage().id}/edit", ADMIN),
    Route(
        "projects.stage_move",
        lambda w: f"/projects/stages/{_stage().id}/move",
        ADMIN,
        method="POST",
        data=lambda w: {"direction": "down"},
    ),
    Route("projects.stage_delete", lambda w: f"/projects/stages/{_spare_stage(w).id}/delete", ADMIN, method="POST"),
]
