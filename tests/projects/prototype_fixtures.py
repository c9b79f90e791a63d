"""Fixtures of the prototype tests: a project at the prototyping stage with its team, a prototype, skills, items."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from repairlab.people.models import Role
from repairlab.projects.prototypes import services as protos
from tests.inventory.conftest import lab, make_item  # noqa: F401  (fixtures)
from tests.skills.conftest import admin_actor, make_domain, make_skill, validate  # noqa: F401  (fixtures)


def png_bytes(size=(64, 48), color="orange") -> bytes:
    """A real PNG made with Pillow."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def png() -> io.BytesIO:
    """A real PNG as a stream."""
    return io.BytesIO(png_bytes())


def english(client):
    """Switch the client to English to read the messages."""
    client.post("/language", data={"lang": "en"})
    return client


@pytest.fixture
def team_talent(make_user):
    """A talent in the project's team."""
    return make_user(Role.PARTICIPANT, name="Zoé Lambert")


@pytest.fixture
def project(make_project, territory, stages, team_talent, mentor):
    """A project at the prototyping stage, with its team and mentor."""
    return make_project(territory, team=[team_talent], mentors=[mentor], stage=stages[2], name="Lampes du Nord")


@pytest.fixture
def prototype(db, project, mentor):
    """A prototype of the project, without versions."""
    created = protos.create_prototype(mentor, project, name="Lampe de bureau", description="Une lampe LED.")
    db.session.commit()
    return created


@pytest.fixture
def other_project(make_project, other_territory, make_user):
    """A project of the other territory."""
    talent = make_user(Role.PARTICIPANT, territory_=other_territory)
    return make_project(other_territory, team=[talent], name="Vélos de Montreuil")


@pytest.fixture
def make_version(db, mentor):
    """Add a version and commit: make_version(prototype, "Maquette", materials_cost="12.50")."""

    def make(prototype, description="Maquette en carton", **fields):
        version = protos.add_version(mentor, prototype, protos.VersionFields(description=description, **fields))
        db.session.commit()
        return version

    return make
