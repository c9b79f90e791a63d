"""The Open Badges 3.0 credential of a validated skill: shape, identity, expiry, revocation."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from repairlab.skills import badges, passport, validations

ESCO = "http://data.europa.eu/esco/skill/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def test_a_credential_has_the_open_badges_shape(db, mentor, talent, make_skill, validate):
    skill = make_skill(
        "Soudure à l'étain", description="Souder des composants.", practised_means="Soude proprement avec de l'aide."
    )
    validation = validate(mentor, talent, skill, 2, on=date(2026, 3, 2))
    doc = badges.credential(validation, on=date(2026, 4, 1))
    assert doc["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["id"] == f"https://repairlab.test/v/{validation.token}"
    assert doc["issuer"]["type"] == ["Profile"] and doc["issuer"]["id"] == "https://repairlab.test/"
    assert "Roubaix-Lille" in doc["issuer"]["name"]
    assert doc["validFrom"] == "2026-03-02T00:00:00Z" and "validUntil" not in doc
    subject = doc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["achievementType"] == "Competency"
    assert "Soudure à l'étain" in achievement["name"] and achievement["description"] == "Souder des composants."
    assert achievement["criteria"] == {"narrative": "Soude proprement avec de l'aide."}
    assert "alignment" not in achievement
    rubric = achievement["resultDescription"][0]
    assert [level["level"] for level in rubric["rubricCriterionLevel"]] == ["1", "2", "3", "4"]
    assert subject["result"][0]["achievedLevel"] == rubric["rubricCriterionLevel"][1]["id"]
    assert doc["credentialStatus"]["status"] == "valid" and doc["credentialStatus"]["revoked"] is False
    assert "proof" not in doc


def test_the_holder_is_a_salted_hash_of_the_email_never_the_email(db, mentor, talent, make_skill, validate):
    validation = validate(mentor, talent, make_skill(), 2)
    doc = badges.credential(validation)
    text = json.dumps(doc, ensure_ascii=False)
    assert talent.email not in text and talent.full_name not in text and mentor.full_name not in text
    identity = doc["credentialSubject"]["identifier"][0]
    assert identity["type"] == "IdentityObject" and identity["identityType"] == "emailAddress"
    assert identity["hashed"] is True and identity["salt"]
    expected = "sha256$" + hashlib.sha256((talent.email + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == expected
    assert badges.credential(validation) == doc  # stable at every request


def test_an_expiring_credential_has_valid_until(db, manager, talent, make_skill, validate):
    skill = make_skill("Perceuse à colonne", is_safety=True, validity_months=12)
    validation = validate(manager, talent, skill, 3, on=date(2025, 3, 3))
    doc = badges.credential(validation, on=date(2026, 4, 1))
    assert doc["validUntil"] == "2026-03-03T00:00:00Z"
    assert doc["credentialStatus"]["status"] == "expired" and doc["credentialStatus"]["revoked"] is False


def test_an_esco_skill_is_aligned(db, mentor, talent, make_skill, validate):
    validation = validate(mentor, talent, make_skill(esco_uri=ESCO), 1)
    alignment = badges.credential(validation)["credentialSubject"]["achievement"]["alignment"]
    assert alignment[0]["targetUrl"] == ESCO and alignment[0]["type"] == ["Alignment"]
    assert alignment[0]["targetFramework"] == "ESCO"


def test_a_withdrawn_credential_still_resolves_and_says_revoked(db, mentor, talent, make_skill, validate):
    validation = validate(mentor, talent, make_skill(), 2, on=date(2026, 1, 5))
    validations.withdraw_validation(mentor, validation, reason="Erreur de saisie")
    db.session.commit()
    doc = badges.credential(validation)
    status = doc["credentialStatus"]
    assert status["revoked"] is True and status["status"] == "revoked"
    assert status["statusPurpose"] == "revocation"
    assert doc["validUntil"] == f"{status['statusDate']}T00:00:00Z"
    assert "Erreur de saisie" not in json.dumps(doc, ensure_ascii=False)


def test_a_superseded_credential_is_marked_superseded(db, mentor, talent, make_skill, validate):
    skill = make_skill()
    first = validate(mentor, talent, skill, 1, on=date(2026, 1, 5))
    validate(mentor, talent, skill, 3, on=date(2026, 2, 5))
    db.session.refresh(first)
    assert passport.public_status(first) == passport.PublicStatus.SUPERSEDED_HIGHER
    status = badges.credential(first)["credentialStatus"]
    assert status["status"] == "superseded" and status["revoked"] is False
