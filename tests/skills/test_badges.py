"""The Open Badges 3.0 credential of a validated skill: shape, identity, expiry, revocation (the signed badge is
tested in test_signed_badges.py)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

import time_machine

from repairlab import clock
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
    issuer = doc["issuer"]
    assert (
        issuer["type"] == ["Profile"] and issuer["id"] == f"https://repairlab.test/badges/issuers/{talent.territory_id}"
    )
    assert "Roubaix-Lille" in issuer["name"] and issuer["url"] == "https://repairlab.test/"
    # The day of validation starts at midnight in Paris (UTC+1 in March).
    assert doc["validFrom"] == "2026-03-01T23:00:00Z" and "validUntil" not in doc
    subject = doc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"] and subject["id"].startswith("urn:uuid:")
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["achievementType"] == "Competency"
    assert "Soudure à l'étain" in achievement["name"] and achievement["description"] == "Souder des composants."
    assert achievement["criteria"] == {"narrative": "Soude proprement avec de l'aide."}
    assert "alignment" not in achievement
    rubric = achievement["resultDescription"][0]
    assert [level["level"] for level in rubric["rubricCriterionLevel"]] == ["1", "2", "3", "4"]
    assert subject["result"][0]["achievedLevel"] == rubric["rubricCriterionLevel"][1]["id"]
    assert doc["credentialStatus"] == {
        "id": f"https://repairlab.test/badges/issuers/{talent.territory_id}/revocations",
        "type": "1EdTechRevocationList",
    }
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


def test_each_credential_names_its_holder_with_its_own_subject_id(db, mentor, talent, make_skill, validate):
    first, second = (
        validate(mentor, talent, make_skill("Soudure"), 2),
        validate(mentor, talent, make_skill("Couture"), 1),
    )
    ids = {badges.credential(v)["credentialSubject"]["id"] for v in (first, second)}
    assert len(ids) == 2  # two badges of one talent cannot be linked by their subject


def test_an_expiring_credential_has_valid_until(db, manager, talent, make_skill, validate):
    skill = make_skill("Perceuse à colonne", is_safety=True, validity_months=12)
    validation = validate(manager, talent, skill, 3, on=date(2025, 3, 3))
    doc = badges.credential(validation, on=date(2026, 4, 1))
    assert doc["validUntil"] == "2026-03-02T23:00:00Z"  # until 3 March 2026, midnight in Paris
    revoked = badges.revocation_list(talent.territory, on=date(2026, 4, 1))["revokedCredential"]
    assert revoked == []  # expired, not revoked


def test_an_esco_skill_is_aligned(db, mentor, talent, make_skill, validate):
    validation = validate(mentor, talent, make_skill(esco_uri=ESCO), 1)
    alignment = badges.credential(validation)["credentialSubject"]["achievement"]["alignment"]
    assert alignment[0]["targetUrl"] == ESCO and alignment[0]["type"] == ["Alignment"]
    assert alignment[0]["targetFramework"] == "ESCO"


def test_a_withdrawn_credential_still_resolves_and_is_on_the_revocation_list(db, mentor, talent, make_skill, validate):
    validation = validate(mentor, talent, make_skill(), 2, on=date(2026, 1, 5))
    with time_machine.travel(datetime(2026, 2, 10, 9, 0, tzinfo=UTC), tick=False):
        validations.withdraw_validation(mentor, validation, reason="Erreur de saisie")
        db.session.commit()
        doc = badges.credential(validation)
        listed = badges.revocation_list(talent.territory)
    assert doc["credentialStatus"]["id"] == listed["id"]
    assert listed["revokedCredential"] == [{"id": doc["id"], "revoked": True, "revocationReason": "Retirée"}]
    assert doc["validUntil"] == "2026-02-09T23:00:00Z"  # cut to the day of withdrawal
    # The list makes its id public: the revoked credential no longer carries the holder's identity hash.
    assert "identifier" not in doc["credentialSubject"]
    text = json.dumps([doc, listed], ensure_ascii=False)
    assert "Erreur de saisie" not in text and "sha256$" not in text


def test_a_superseded_credential_is_marked_superseded(db, mentor, talent, make_skill, validate):
    skill = make_skill()
    first = validate(mentor, talent, skill, 1, on=date(2026, 1, 5))
    validate(mentor, talent, skill, 3, on=date(2026, 2, 5))
    db.session.refresh(first)
    assert passport.public_status(first) == passport.PublicStatus.SUPERSEDED_HIGHER
    assert badges.revoked_on(first) is None  # a lower level is still true when a higher one is validated
    assert badges.revocation_list(talent.territory)["revokedCredential"] == []


def test_a_credential_replaced_at_the_same_level_is_revoked(db, mentor, talent, make_skill, validate):
    skill = make_skill()
    first = validate(mentor, talent, skill, 3, on=date(2026, 1, 5))
    validate(mentor, talent, skill, 2, on=date(2026, 2, 5))
    db.session.refresh(first)
    assert passport.public_status(first) == passport.PublicStatus.SUPERSEDED
    entry = {
        "id": badges.verification_url(first),
        "revoked": True,
        "revocationReason": "Remplacée par une évaluation plus récente",
    }
    assert badges.revocation_list(talent.territory)["revokedCredential"] == [entry]
    assert badges.credential(first)["validUntil"] == badges.timestamp(clock.start_of_day(clock.today()))
