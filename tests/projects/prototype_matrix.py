"""Who may use each prototype route; see tests/core/test_permissions.py.

The world's talent is in the team of the home project (so talents get through); lab managers read only;
researchers never see projects. Other territories' prototypes are "not found".
"""

from __future__ import annotations

import io

import sqlalchemy as sa
from PIL import Image

from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.projects import services as projects
from repairlab.projects.models import ProjectStage, Sector
from repairlab.projects.prototypes import services as protos
from repairlab.skills import catalogue
from tests.permissions import Route

VIEWERS = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
EDITORS = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.ADMIN})


def _png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "PNG")
    out.seek(0)
    return out


def _stage() -> ProjectStage:
    stage = db.session.scalar(sa.select(ProjectStage).order_by(ProjectStage.position).limit(1))
    return stage or projects.create_stage(None, "Prototypage")


def _skill(admin):
    from repairlab.skills.models import Skill

    skill = db.session.scalar(sa.select(Skill).where(Skill.name == "Soudure (matrice)"))
    if skill is None:
        domain = catalogue.create_domain(admin, name="Électronique (matrice)")
        skill = catalogue.create_skill(admin, domain=domain, name="Soudure (matrice)")
    return skill


def _proto(w, prefix: str = "") -> dict:
    """A project of that territory (the world's talent in the home team) with a prototype, a version with a photo,
    an item and a skill; several of each so that delete routes have something left to delete. Once per world."""
    key = f"{prefix}proto"
    if key not in w:
        territory = w[f"{prefix}territory"]
        talent = w["talent"] if not prefix else w["other_talent"]
        mentors = [w["users"][Role.MENTOR]] if not prefix else []
        project = projects.create_project(
            None,
            territory,
            projects.ProjectFields(name=f"Lampes {prefix or 'home'}", sector=Sector.ELECTRONICS),
            team=[talent],
            mentors=mentors,
            stage=_stage(),
        )
        admin = w["users"][Role.ADMIN]
        prototype = protos.create_prototype(admin, project, name="Lampe")
        version = protos.add_version(admin, prototype, protos.VersionFields(description="Maquette"), _png())
        photos = [version.photos[0], protos.add_version_photo(admin, version, _png())]
        links = [
            protos.link_item(admin, prototype, w[f"{prefix}item"]),
            protos.link_item(admin, prototype, w[f"{prefix}part"]),
        ]
        skill = _skill(admin)
        needs = [protos.add_skill(admin, prototype, skill, 2)]
        db.session.commit()
        w[key] = {
            "project": project.id,
            "prototype": prototype.id,
            "version": version.id,
            "photos": [p.id for p in photos],
            "links": [link.id for link in links],
            "needs": [n.id for n in needs],
            "skill": skill.id,
        }
    return w[key]


def _url(template: str, field: str, index: int | None = None):
    """A URL builder for the home (url) and the other territory (other_url)."""

    def build(prefix: str):
        def url(w):
            value = _proto(w, prefix)[field]
            return template.format(value[index] if index is not None else value)

        return url

    return build(""), build("other_")


def _route(endpoint, template, field, allowed, method="GET", data=lambda w: {}, index=None):
    url, other = _url(template, field, index)
    return Route(endpoint, url, allowed, method=method, data=data, other_url=other)


PROTOTYPE_MATRIX = [
    _route("projects.prototype_new", "/projects/{}/prototypes/new", "project", EDITORS),
    _route("projects.prototype", "/projects/prototypes/{}", "prototype", VIEWERS),
    _route("projects.prototype_edit", "/projects/prototypes/{}/edit", "prototype", EDITORS),
    _route("projects.prototype_version_new", "/projects/prototypes/{}/versions/new", "prototype", EDITORS),
    _route("projects.prototype_version_edit", "/projects/prototype-versions/{}/edit", "version", EDITORS),
    _route(
        "projects.prototype_photo_add",
        "/projects/prototype-versions/{}/photos",
        "version",
        EDITORS,
        method="POST",
        data=lambda w: {"photo": (_png(), "photo.png")},
    ),
    # Deleting is the last thing each role does with the first photo (others find it gone: a redirect, not a 404).
    _route("projects.prototype_photo", "/projects/prototype-photos/{}/thumb", "photos", VIEWERS, index=1),
    _route(
        "projects.prototype_photo_delete", "/projects/prototype-photos/{}/delete", "photos", EDITORS, "POST", index=0
    ),
    _route("projects.prototype_items", "/projects/prototypes/{}/items", "prototype", EDITORS),
    _route(
        "projects.prototype_item_link",
        "/projects/prototypes/{}/items",
        "prototype",
        EDITORS,
        method="POST",
        data=lambda w: {"code": "RBX-9999"},
    ),
    _route("projects.prototype_item_unlink", "/projects/prototype-items/{}/delete", "links", EDITORS, "POST", index=0),
    _route(
        "projects.prototype_skill_add",
        "/projects/prototypes/{}/skills",
        "prototype",
        EDITORS,
        method="POST",
        data=lambda w: {"skill_id": str(_proto(w)["skill"]), "min_level": "3"},
    ),
    _route(
        "projects.prototype_skill_level",
        "/projects/prototype-skills/{}/level",
        "needs",
        EDITORS,
        method="POST",
        data=lambda w: {"min_level": "3"},
        index=0,
    ),
    _route(
        "projects.prototype_skill_remove", "/projects/prototype-skills/{}/delete", "needs", EDITORS, "POST", index=0
    ),
]
