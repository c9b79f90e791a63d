"""Demo prototypes: added to projects at the prototyping stage or later, with versions, tools and skills."""

from __future__ import annotations

import random

import sqlalchemy as sa

from repairlab.demo import DemoContext
from repairlab.projects.prototypes.demo import seed_prototypes
from repairlab.projects.prototypes.models import Prototype, PrototypeItem, PrototypeVersion
from tests.projects.prototype_fixtures import *  # noqa: F403  (fixtures)


def test_nothing_happens_without_projects(db, admin):
    seed_prototypes(DemoContext(password="x", rng=random.Random(1), admin=admin))
    assert db.session.scalar(sa.select(sa.func.count(Prototype.id))) == 0


def test_projects_at_prototyping_or_later_get_prototypes_linked_to_their_territorys_tools(
    db, admin, make_project, territory, stages, mentor, make_item, make_skill, other_territory, make_lab
):
    early = make_project(territory, mentors=[mentor], stage=stages[0], sector="bikes")
    later = make_project(territory, mentors=[mentor], stage=stages[3], sector="bikes")
    make_item("Pied d'atelier vélo")
    make_item("Clé dynamométrique", make_lab("Atelier Paris", other_territory))
    make_skill("Mécanique vélo : freins et transmission")
    seed_prototypes(DemoContext(password="x", rng=random.Random(1), admin=admin))
    db.session.commit()
    prototypes = db.session.scalars(sa.select(Prototype)).all()
    assert prototypes and {p.project_id for p in prototypes} == {later.id} != {early.id}
    for prototype in prototypes:
        assert [v.number for v in prototype.versions] == list(range(1, len(prototype.versions) + 1))
        assert all(link.item.territory_id == territory.id for link in prototype.items)
    assert db.session.scalar(sa.select(sa.func.count(PrototypeItem.id))) >= 1
    assert db.session.scalar(sa.select(sa.func.count(PrototypeVersion.id))) >= 2
    assert any(p.skills for p in prototypes)
