"""The skills routes in the role x route permission matrix (read by tests/core/test_permissions.py)."""

from __future__ import annotations

import io

from PIL import Image

from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.skills import catalogue, validations
from repairlab.skills.badge_keys import keyring
from tests.permissions import ADMIN, ALL_ROLES, STAFF, Route

# The catalogue is shared by every territory: only admins edit it (issue #16, item 7; lab managers did before).
EDITORS = ADMIN
TALENT = frozenset({Role.PARTICIPANT})
PASSPORT = frozenset({Role.PARTICIPANT}) | STAFF


def _png():
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 120, 60)).save(out, "PNG")
    out.seek(0)
    return out


def _catalogue(w: dict) -> dict:
    """A domain and a skill, created once per world."""
    if "skill" not in w:
        admin = w["users"][Role.ADMIN]
        w["skill_domain"] = catalogue.create_domain(admin, name="Électronique")
        w["skill"] = catalogue.create_skill(admin, domain=w["skill_domain"], name="Soudure à l'étain")
        db.session.commit()
    return w


def _records(w: dict, key: str) -> dict:
    """For the talent (key "talent") or the other territory's one: a validation with a photo and a declaration."""
    name = f"skills_{key}"
    if name not in w:
        _catalogue(w)
        admin, talent = w["users"][Role.ADMIN], w[key]
        other = catalogue.create_skill(admin, domain=w["skill_domain"], name=f"Multimètre {key}")
        validation = validations.validate_skill(admin, talent, w["skill"], level=2, photo=_png())
        declaration = validations.declare_skill(talent, other, level=1)
        db.session.commit()
        w[name] = {"validation": validation.id, "token": validation.token, "declaration": declaration.id}
    return w[name]


MATRIX = [
    Route("skills.catalogue", lambda w: "/skills", ALL_ROLES),
    Route("skills.skill_new", lambda w: "/skills/new", EDITORS),
    Route("skills.skill_edit", lambda w: f"/skills/{_catalogue(w)['skill'].id}/edit", EDITORS),
    Route("skills.domain_new", lambda w: "/skills/domains/new", EDITORS),
    Route("skills.domain_edit", lambda w: f"/skills/domains/{_catalogue(w)['skill_domain'].id}/edit", EDITORS),
    Route("skills.my_passport", lambda w: "/passport", TALENT),
    Route(
        "skills.passport",
        lambda w: f"/passport/{w['talent'].id}",
        PASSPORT,
        other_url=lambda w: f"/passport/{w['other_talent'].id}",
    ),
    Route(
        "skills.validate",
        lambda w: f"/passport/{w['talent'].id}/validate",
        STAFF,
        other_url=lambda w: f"/passport/{w['other_talent'].id}/validate",
    ),
    Route("skills.declare", lambda w: "/passport/declare", TALENT),
    Route(
        "skills.withdraw",
        lambda w: f"/skills/validations/{_records(w, 'talent')['declaration']}/withdraw",
        PASSPORT,
        other_url=lambda w: f"/skills/validations/{_records(w, 'other_talent')['declaration']}/withdraw",
    ),
    Route(
        "skills.photo",
        lambda w: f"/skills/validations/{_records(w, 'talent')['validation']}/photo",
        PASSPORT,
        other_url=lambda w: f"/skills/validations/{_records(w, 'other_talent')['validation']}/photo",
    ),
    Route("skills.match", lambda w: "/skills/match", STAFF),
    Route("skills.verify", lambda w: f"/v/{_records(w, 'talent')['token']}", ALL_ROLES, anonymous=True),
    Route("skills.verify_json", lambda w: f"/v/{_records(w, 'talent')['token']}.json", ALL_ROLES, anonymous=True),
    Route(
        "skills.badge_download",
        lambda w: f"/skills/validations/{_records(w, 'talent')['validation']}/badge.jwt",
        PASSPORT,
        other_url=lambda w: f"/skills/validations/{_records(w, 'other_talent')['validation']}/badge.jwt",
    ),
    Route("skills.jwks", lambda w: "/.well-known/jwks.json", ALL_ROLES, anonymous=True),
    Route("skills.badge_key", lambda w: f"/badges/keys/{keyring().keys[0].name}", ALL_ROLES, anonymous=True),
    Route("skills.issuer_profile", lambda w: f"/badges/issuers/{w['territory'].id}", ALL_ROLES, anonymous=True),
    Route(
        "skills.revocation_list",
        lambda w: f"/badges/issuers/{w['territory'].id}/revocations",
        ALL_ROLES,
        anonymous=True,
    ),
    Route("skills.check_badge", lambda w: "/badges/check", ALL_ROLES, anonymous=True),
]
