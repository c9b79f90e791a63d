"""No input ever breaks a prototype route: missing fields, wrong types, huge values; nothing is changed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from repairlab.projects.prototypes import services as protos
from repairlab.projects.prototypes.models import PrototypeItem, PrototypePhoto, PrototypeSkill, PrototypeVersion
from tests.projects.prototype_fixtures import *  # noqa: F403  (fixtures)
from tests.projects.prototype_fixtures import png

GARBAGE = [
    {},
    {"description": "", "status": "", "materials_cost": "", "name": "", "code": "", "skill_id": "", "min_level": ""},
    {"description": "x" * 6000, "status": "launched", "materials_cost": "1e309", "name": "n" * 500},
    {"materials_cost": "NaN", "status": "design", "description": "V"},
    {"materials_cost": "-0,01", "status": "design", "description": "V"},
    {"code": "RBX-99999999999", "item_id": "99999999999999999999", "note": "n" * 300},
    {"code": "' OR 1=1 --", "item_id": "-1"},
    {"skill_id": "99999999999999", "min_level": "5"},
    {"skill_id": "1", "min_level": "-3"},
    {"min_level": "２"},
    {"photo": "not a file"},
]


@pytest.fixture
def world(db, prototype, mentor, make_item, make_skill):
    version = protos.add_version(mentor, prototype, protos.VersionFields(description="V1"), png())
    link = protos.link_item(mentor, prototype, make_item("Perceuse"))
    need = protos.add_skill(mentor, prototype, make_skill("Couture"), 2)
    db.session.commit()
    return {"prototype": prototype.id, "version": version.id, "link": link.id, "need": need.id}


def _snapshot(db) -> tuple:
    rows = []
    for model in (PrototypeVersion, PrototypePhoto, PrototypeItem, PrototypeSkill):
        rows.append(sorted(tuple(r) for r in db.session.execute(sa.select(*model.__table__.columns)).all()))
    return tuple(map(tuple, rows))


@pytest.mark.parametrize("data", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_gives_an_error_page_nor_changes_anything(client, login, db, mentor, world, project, data):
    login(mentor)
    before = _snapshot(db)
    urls = [
        f"/projects/prototypes/{world['prototype']}/versions/new",
        f"/projects/prototype-versions/{world['version']}/edit",
        f"/projects/prototype-versions/{world['version']}/photos",
        f"/projects/prototypes/{world['prototype']}/items",
        f"/projects/prototypes/{world['prototype']}/skills",
        f"/projects/prototype-skills/{world['need']}/level",
        f"/projects/{project.id}/prototypes/new",
        f"/projects/prototypes/{world['prototype']}/edit",
    ]
    for url in urls:
        response = client.post(url, data=data)
        assert response.status_code in {200, 302, 400}, (url, response.status_code)
    db.session.expire_all()
    assert _snapshot(db) == before


def test_a_long_search_or_odd_characters_are_harmless(client, login, mentor, world):
    login(mentor)
    for q in ("%", "_", "x" * 5000, "\\", "'"):
        assert client.get(f"/projects/prototypes/{world['prototype']}/items", query_string={"q": q}).status_code == 200


def test_an_item_id_of_unicode_digits_is_not_found_not_a_crash(client, login, db, mentor, prototype):
    # "²".isdigit() is true, but int("²") fails: the hidden id is refused like any unknown item.
    response = login(mentor).post(
        f"/projects/prototypes/{prototype.id}/items", data={"item_id": "²"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "This item is not in the project&#39;s territory." in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PrototypeItem)) == 0
