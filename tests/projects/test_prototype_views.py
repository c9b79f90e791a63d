"""Prototype pages: who sees and changes what, versions with photos, items and skills through the forms, queries."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from repairlab.people.models import Role
from repairlab.projects.prototypes import services as protos
from repairlab.projects.prototypes.models import (
    Prototype,
    PrototypeItem,
    PrototypePhoto,
    PrototypeSkill,
    PrototypeStatus,
    PrototypeVersion,
)
from tests.projects.prototype_fixtures import *  # noqa: F403  (fixtures)
from tests.projects.prototype_fixtures import english, png, png_bytes


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _files(app) -> list[Path]:
    root = Path(app.config["STORAGE_PATH"]) / "images"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _page(client, prototype):
    return client.get(f"/projects/prototypes/{prototype.id}")


# --- Who sees what ----------------------------------------------------------------------------------


def test_the_team_talent_sees_the_prototype_and_can_add_a_version(client, login, prototype, team_talent):
    login(team_talent)
    response = _page(english(client), prototype)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Lampe de bureau" in html and "Une lampe LED." in html
    assert f"/projects/prototypes/{prototype.id}/versions/new" in html


def test_a_talent_of_another_team_gets_not_found(client, login, prototype, make_user, db):
    login(make_user(Role.PARTICIPANT))
    assert _page(client, prototype).status_code == 404
    assert client.get(f"/projects/prototypes/{prototype.id}/versions/new").status_code == 404
    response = client.post(f"/projects/prototypes/{prototype.id}/versions/new", data={"description": "Pirate"})
    assert response.status_code == 404 and _count(db, PrototypeVersion) == 0


def test_a_lab_manager_reads_but_cannot_change(client, login, prototype, make_user, db):
    login(make_user(Role.LAB_MANAGER))
    html = _page(client, prototype).get_data(as_text=True)
    assert "Lampe de bureau" in html and "/versions/new" not in html and "csrf_token" not in html.split("<main")[1]
    response = client.post(
        f"/projects/prototypes/{prototype.id}/versions/new", data={"description": "V", "status": "design"}
    )
    assert response.status_code == 403 and _count(db, PrototypeVersion) == 0


def test_a_mentor_of_another_territory_gets_not_found(client, login, prototype, make_user, other_territory):
    login(make_user(Role.MENTOR, territory_=other_territory))
    assert _page(client, prototype).status_code == 404
    assert client.post(f"/projects/prototypes/{prototype.id}/skills", data={}).status_code == 404


def test_a_researcher_is_refused(client, login, prototype, make_user):
    login(make_user(Role.RESEARCHER))
    assert _page(client, prototype).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/projects/prototypes/99999",
        "/projects/prototypes/99999999999999999999",
        "/projects/prototype-photos/5/full",
        "/projects/prototype-versions/5/edit",
    ],
)
def test_unknown_or_huge_ids_are_not_found(client, login, admin, url):
    login(admin)
    assert client.get(url).status_code == 404


# --- Prototypes and versions through the forms --------------------------------------------------------


def test_a_talent_creates_a_prototype_and_is_sent_to_add_its_first_version(client, login, project, team_talent, db):
    login(team_talent)
    response = english(client).post(
        f"/projects/{project.id}/prototypes/new", data={"name": "Tabouret", "description": "En palette"}
    )
    created = db.session.scalar(sa.select(Prototype).where(Prototype.name == "Tabouret"))
    assert response.status_code == 302
    assert response.location.endswith(f"/projects/prototypes/{created.id}/versions/new")


def test_a_duplicate_name_is_shown_on_the_form(client, login, project, prototype, team_talent, db):
    login(team_talent)
    response = english(client).post(f"/projects/{project.id}/prototypes/new", data={"name": "lampe DE bureau"})
    assert response.status_code == 400
    assert "already has a prototype called" in response.get_data(as_text=True)
    assert _count(db, Prototype) == 1


def test_the_version_form_opens_the_camera_on_a_phone(client, login, prototype, team_talent):
    login(team_talent)
    html = client.get(f"/projects/prototypes/{prototype.id}/versions/new").get_data(as_text=True)
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html


def test_a_version_with_a_real_png_is_stored_re_encoded_and_shown(client, login, prototype, team_talent, db, app):
    login(team_talent)
    response = english(client).post(
        f"/projects/prototypes/{prototype.id}/versions/new",
        data={
            "description": "Pied lesté",
            "status": "testing",
            "feedback": "Trop léger",
            "materials_cost": "18,30",
            "photo": (io.BytesIO(png_bytes((800, 600))), "lampe.png"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Version 1 added." in html
    [version] = db.session.scalars(sa.select(PrototypeVersion)).all()
    [photo] = version.photos
    assert version.status == PrototypeStatus.TESTING and str(version.materials_cost) == "18.30"
    assert f"/projects/prototype-photos/{photo.id}/thumb" in html and "Trop léger" in html
    served = client.get(f"/projects/prototype-photos/{photo.id}/full")
    assert served.status_code == 200 and Image.open(io.BytesIO(served.data)).format == "JPEG"


def test_a_text_file_is_refused_clearly_and_nothing_is_stored(client, login, prototype, team_talent, db, app):
    login(team_talent)
    before = _files(app)
    response = english(client).post(
        f"/projects/prototypes/{prototype.id}/versions/new",
        data={
            "description": "Pied lesté",
            "status": "testing",
            "photo": (io.BytesIO(b"not a photo at all\n" * 20), "lampe.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "This file is not a photo we can read." in response.get_data(as_text=True)
    assert _count(db, PrototypeVersion) == 0 and _count(db, PrototypePhoto) == 0
    assert _files(app) == before


def test_a_text_file_added_to_a_version_is_refused_and_nothing_is_stored(
    client, login, prototype, team_talent, make_version, db, app
):
    version = make_version(prototype)
    login(team_talent)
    before = _files(app)
    response = english(client).post(
        f"/projects/prototype-versions/{version.id}/photos",
        data={"photo": (io.BytesIO(b"hello"), "notes.txt")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "This file is not a photo we can read." in response.get_data(as_text=True)
    assert _count(db, PrototypePhoto) == 0 and _files(app) == before


def test_a_photo_is_private_to_those_who_see_the_project(client, login, prototype, team_talent, make_user, db, app):
    version = protos.add_version(team_talent, prototype, protos.VersionFields(description="V1"), png())
    db.session.commit()
    photo_id = version.photos[0].id
    assert app.test_client().get(f"/projects/prototype-photos/{photo_id}/thumb").status_code == 302  # log in
    login(make_user(Role.PARTICIPANT))
    assert client.get(f"/projects/prototype-photos/{photo_id}/thumb").status_code == 404
    assert client.get(f"/projects/prototype-photos/{photo_id}/original").status_code == 404


def test_removing_a_photo_deletes_its_files(client, login, prototype, team_talent, db, app):
    before = _files(app)
    version = protos.add_version(team_talent, prototype, protos.VersionFields(description="V1"), png())
    db.session.commit()
    photo_id = version.photos[0].id
    assert len(_files(app)) == len(before) + 2
    login(team_talent)
    client.post(f"/projects/prototype-photos/{photo_id}/delete")
    assert _count(db, PrototypePhoto) == 0 and _files(app) == before


def test_a_negative_cost_is_refused_on_the_form(client, login, prototype, team_talent, db):
    login(team_talent)
    response = english(client).post(
        f"/projects/prototypes/{prototype.id}/versions/new",
        data={"description": "V", "status": "design", "materials_cost": "-4"},
    )
    assert response.status_code == 400 and _count(db, PrototypeVersion) == 0
    assert "field-error" in response.get_data(as_text=True)


def test_editing_a_version_changes_its_feedback_and_status(client, login, prototype, mentor, make_version, db):
    version = make_version(prototype)
    login(mentor)
    response = client.post(
        f"/projects/prototype-versions/{version.id}/edit",
        data={"description": "Maquette", "status": "validated", "feedback": "Vendue au marché", "materials_cost": ""},
    )
    assert response.status_code == 302
    db.session.expire_all()
    version = db.session.get(PrototypeVersion, version.id)
    assert version.status == PrototypeStatus.VALIDATED and version.feedback == "Vendue au marché"


# --- Items and skills through the forms ---------------------------------------------------------------


def test_an_item_is_linked_by_its_typed_code_and_linked_to_its_page(
    client, login, prototype, team_talent, make_item, db
):
    item = make_item("Station de soudage")
    login(team_talent)
    response = english(client).post(
        f"/projects/prototypes/{prototype.id}/items",
        data={"code": item.code.lower(), "note": "Pour souder"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "added to the items used" in html and f'href="/inventory/items/{item.id}"' in html
    assert _count(db, PrototypeItem) == 1


def test_an_item_of_another_territory_is_refused_through_the_form(
    client, login, prototype, team_talent, make_item, make_lab, other_territory, db
):
    foreign = make_item("Scie", make_lab("Atelier Paris", other_territory))
    login(team_talent)
    for data in ({"code": foreign.code}, {"item_id": str(foreign.id)}, {"item_id": "abc"}, {"code": ""}):
        response = english(client).post(f"/projects/prototypes/{prototype.id}/items", data=data, follow_redirects=True)
        assert response.status_code == 200 and "flash-error" in response.get_data(as_text=True)
    assert _count(db, PrototypeItem) == 0


def test_the_item_search_lists_items_of_the_territory(client, login, prototype, team_talent, make_item):
    make_item("Perceuse à colonne")
    login(team_talent)
    html = client.get(f"/projects/prototypes/{prototype.id}/items?q=perc").get_data(as_text=True)
    assert "Perceuse à colonne" in html


def test_skills_are_added_changed_and_removed_through_the_forms(client, login, prototype, team_talent, make_skill, db):
    skill = make_skill("Soudure à l'étain")
    login(team_talent)
    english(client)
    client.post(f"/projects/prototypes/{prototype.id}/skills", data={"skill_id": str(skill.id), "min_level": "2"})
    need = db.session.scalar(sa.select(PrototypeSkill))
    assert need.min_level == 2
    response = client.post(
        f"/projects/prototypes/{prototype.id}/skills",
        data={"skill_id": str(skill.id), "min_level": "3"},
        follow_redirects=True,
    )
    assert "Change its level instead" in response.get_data(as_text=True)
    response = client.post(
        f"/projects/prototype-skills/{need.id}/level", data={"min_level": "9"}, follow_redirects=True
    )
    assert "Choose a level from 1" in response.get_data(as_text=True)
    client.post(f"/projects/prototype-skills/{need.id}/level", data={"min_level": "4"})
    db.session.expire_all()
    assert db.session.get(PrototypeSkill, need.id).min_level == 4
    client.post(f"/projects/prototype-skills/{need.id}/delete")
    assert _count(db, PrototypeSkill) == 0


def test_a_garbage_skill_is_refused_without_an_error_page(client, login, prototype, team_talent, db):
    login(team_talent)
    for data in ({"skill_id": "x", "min_level": "2"}, {"skill_id": "99999", "min_level": "2"}, {}):
        response = client.post(f"/projects/prototypes/{prototype.id}/skills", data=data, follow_redirects=True)
        assert response.status_code == 200
    assert _count(db, PrototypeSkill) == 0


# --- Matching on the page -----------------------------------------------------------------------------


@pytest.fixture
def gap(db, prototype, mentor, make_skill, make_user, validate):
    """The prototype needs sewing; the team lacks it; Karim, another talent of the territory, has it."""
    skill = make_skill("Couture à la machine")
    protos.add_skill(mentor, prototype, skill, 2)
    db.session.commit()
    validate(mentor, make_user(Role.PARTICIPANT, name="Karim Benali"), skill, 3)
    return skill


def test_a_mentor_sees_what_the_team_lacks_and_who_could_help(client, login, prototype, mentor, gap):
    login(mentor)
    html = english(client).get(f"/projects/prototypes/{prototype.id}").get_data(as_text=True)
    assert "The team lacks 1 skill" in html and "Missing in the team." in html and "Karim Benali" in html


def test_a_talent_sees_only_how_many_could_help_never_their_names(client, login, prototype, team_talent, gap):
    login(team_talent)
    html = english(client).get(f"/projects/prototypes/{prototype.id}").get_data(as_text=True)
    assert "1 person in your territory could help. Ask your mentor." in html
    assert "Karim" not in html


# --- Query counts ---------------------------------------------------------------------------------------


def _fill(db, prototype, mentor, make_item, make_skill, n: int, start: int) -> None:
    for i in range(n):
        protos.add_version(mentor, prototype, protos.VersionFields(description=f"V{start + i}"), png())
        protos.link_item(mentor, prototype, make_item(f"Outil {start + i}"))
        protos.add_skill(mentor, prototype, make_skill(f"Compétence {start + i}"), 2)
    db.session.commit()


@pytest.mark.parametrize("role", ["team", "mentor"])
def test_the_prototype_page_runs_the_same_queries_with_2_or_12_of_each(
    client, login, db, prototype, mentor, team_talent, make_item, make_skill, query_counter, role
):
    login(team_talent if role == "team" else mentor)

    def count() -> int:
        db.session.expire_all()
        with query_counter() as counted:
            assert _page(client, prototype).status_code == 200
        return counted.value

    _fill(db, prototype, mentor, make_item, make_skill, 2, 0)
    small = count()
    _fill(db, prototype, mentor, make_item, make_skill, 10, 2)
    assert count() == small
    assert small <= 12, small
