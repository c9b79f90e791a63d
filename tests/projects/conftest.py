"""Projects fixtures shared by the projects, prototypes and board tests: stages, mentors, projects."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
import sqlalchemy as sa

from repairlab.people.models import Role
from repairlab.projects import services
from repairlab.projects.models import ProjectStage, Sector
from tests.inventory.conftest import other_territory  # noqa: F401  (shared fixture)

STAGE_NAMES = ("Idée", "Exploration", "Prototypage", "Test avec des utilisateurs", "Préparation du lancement", "Lancé")

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def _english(app, monkeypatch):
    """The projects tests read the interface's messages in English (French, the default, is tested elsewhere)."""
    monkeypatch.setattr(app.extensions["babel"], "locale_selector", lambda: "en")


@pytest.fixture
def make_stage(db):
    """Create a stage through the service (placed last): make_stage("Idée")."""

    def make(name: str | None = None, *, description: str = "", active: bool = True) -> ProjectStage:
        stage = services.create_stage(None, name or f"Étape {next(_n)}", description=description)
        stage.active = active
        db.session.commit()
        return stage

    return make


@pytest.fixture
def stages(make_stage) -> list[ProjectStage]:
    """The six stages from idea to launch, in order."""
    return [make_stage(name) for name in STAGE_NAMES]


@pytest.fixture
def mentor(make_user):
    """A mentor of the home territory."""
    return make_user(Role.MENTOR, name="Maud Mentore")


@pytest.fixture
def make_project(db, make_user, make_stage):
    """Create a project through the service and commit.

    make_project(territory, team=[talent], mentors=[mentor], stage=stages[2], name="Vélo Solidaire", sector="bikes")
    Without a team, a new talent of the territory is created; without a stage, the first active stage (created
    when there is none) is used.
    """

    def make(territory, team=None, mentors=(), stage: ProjectStage | None = None, **fields):
        if not team:
            team = [make_user(Role.PARTICIPANT, territory_=territory)]
        if stage is None:
            stage = db.session.scalar(
                sa.select(ProjectStage).where(ProjectStage.active.is_(True)).order_by(ProjectStage.position).limit(1)
            ) or make_stage("Idée")
        values = {"name": f"Projet {next(_n)}", "sector": Sector.OTHER, "start_date": date(2026, 3, 2)}
        values.update(fields)
        project = services.create_project(
            None,
            territory,
            services.ProjectFields(**values),
            team=list(team),
            mentors=list(mentors),
            stage=stage,
        )
        db.session.commit()
        return project

    return make
