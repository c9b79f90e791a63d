"""Who may use each board route; see tests/core/test_permissions.py."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.projects import services
from repairlab.projects.models import ProjectStage, Sector
from tests.permissions import STAFF, Route

FOLLOWERS = frozenset({Role.MENTOR, Role.ADMIN})


def _stages(w) -> list[ProjectStage]:
    """Two active stages, shared with the other projects matrices when they made some already."""
    if "board_stages" not in w:
        stages = list(
            db.session.scalars(
                sa.select(ProjectStage).where(ProjectStage.active.is_(True)).order_by(ProjectStage.position)
            )
        )
        while len(stages) < 2:
            stages.append(services.create_stage(None, f"Étape du tableau {len(stages) + 1}"))
        db.session.commit()
        w["board_stages"] = stages
    return w["board_stages"]


def _project(w, prefix: str = ""):
    """A project at the first stage in the home (or the other) territory, created once per world."""
    key = f"{prefix}board_project"
    if key not in w:
        first = _stages(w)[0]
        territory = w[f"{prefix}territory"]
        talent = w["talent"] if not prefix else w["other_talent"]
        w[key] = services.create_project(
            None,
            territory,
            services.ProjectFields(name="Atelier vélo", sector=Sector.BIKES, start_date=date(2026, 3, 2)),
            team=[talent],
            stage=first,
        )
        db.session.commit()
    return w[key]


def _move_data(w) -> dict:
    return {"stage": str(_stages(w)[1].id), "note": "Premier prototype prêt."}


BOARD_MATRIX = [
    Route("projects.board", lambda w: "/projects/board", STAFF),
    Route(
        "projects.move",
        lambda w: f"/projects/{_project(w).id}/move?stage={_stages(w)[1].id}",
        FOLLOWERS,
        other_url=lambda w: f"/projects/{_project(w, 'other_').id}/move",
    ),
    Route(
        "projects.move",
        lambda w: f"/projects/{_project(w).id}/move",
        FOLLOWERS,
        method="POST",
        data=_move_data,
        other_url=lambda w: f"/projects/{_project(w, 'other_').id}/move",
    ),
]
