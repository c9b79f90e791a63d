"""Open Badges 3.0: each validated skill as an OpenBadgeCredential (JSON-LD), unsigned for now.

Choices, so that a verifier (and a future signing step) knows what to expect:

- The credential's `id` is its public verification URL (PUBLIC_BASE_URL + /v/<token>); the JSON is at
  that URL + ".json". Both keep resolving for ever, whatever happens to the validation.
- The holder is named only by a salted SHA-256 hash of their e-mail address (an IdentityObject, as Open
  Badges 2.0 and 3.0 define it), never the address itself: an employer who knows the address can check it.
  The salt is derived from the token, so the JSON is the same at every request.
- The achievement is the skill at the validated level; the four levels are given as a rubric
  (`resultDescription`) and the `result` points at the level reached. An ESCO URI becomes an `alignment`.
- Status: `credentialStatus` (type "RepairLabCredentialStatus", statusPurpose "revocation") says
  whether the credential is valid, expired, superseded or revoked. A withdrawn validation is "revoked":
  the JSON still resolves, `revoked` is true, and `validUntil` is cut to the day of withdrawal, so even a
  verifier that ignores our status type treats it as no longer valid. Once credentials are signed, this
  should move to a W3C Bitstring Status List.
- Content is in the programme's default language (French), whatever the visitor's language, so that a
  signature made later covers stable text.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from repairlab import clock
from repairlab.skills.models import MAX_LEVEL, MIN_LEVEL, SkillLevel, SkillValidation
from repairlab.skills.passport import PublicStatus, public_status

OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
STATUS_TYPE = "RepairLabCredentialStatus"


def base_url() -> str:
    """The public address of the site, without a trailing slash."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def verification_url(validation: SkillValidation) -> str:
    """The public, unguessable page that shows this validation to anyone with the link."""
    return f"{base_url()}/v/{validation.token}"


def identity_salt(validation: SkillValidation) -> str:
    """A salt unique to this credential (derived from its token, so the JSON is stable)."""
    return hashlib.sha256(f"repairlab-identity:{validation.token}".encode()).hexdigest()[:16]


def identity_hash(email: str, salt: str) -> str:
    """Open Badges identity hash: "sha256$" + hex SHA-256 of the lower-cased e-mail followed by the salt."""
    return "sha256$" + hashlib.sha256(((email or "").strip().lower() + salt).encode()).hexdigest()


def _timestamp(day: date) -> str:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def credential(validation: SkillValidation, *, on: date | None = None) -> dict[str, Any]:
    """The OpenBadgeCredential of a validated skill, as a JSON-ready dict."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _credential(validation, on or clock.today())


def _credential(validation: SkillValidation, on: date) -> dict[str, Any]:
    skill, level = validation.skill, SkillLevel(validation.level)
    base, url = base_url(), verification_url(validation)
    catalogue = f"{base}/skills"
    status = public_status(validation, on=on)
    title = _("%(skill)s – level %(num)d: %(label)s", skill=skill.name, num=level, label=level.label)
    rubric_id = f"{catalogue}#skill-{skill.id}-levels"
    achievement: dict[str, Any] = {
        "id": f"{catalogue}#skill-{skill.id}-level-{level.value}",
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": title,
        "description": skill.description or skill.name,
        "criteria": {"narrative": skill.level_meaning(level)},
        "inLanguage": current_app.config["BABEL_DEFAULT_LOCALE"],
        "tag": [skill.domain.name] + ([_("safety")] if skill.is_safety else []),
        "resultDescription": [
            {
                "id": rubric_id,
                "type": ["ResultDescription"],
                "name": _("Level"),
                "resultType": "RubricCriterionLevel",
                "rubricCriterionLevel": [
                    {
                        "id": f"{catalogue}#skill-{skill.id}-rubric-{n}",
                        "type": ["RubricCriterionLevel"],
                        "level": str(n),
                        "name": SkillLevel(n).label,
                        "description": skill.level_meaning(n),
                    }
                    for n in range(MIN_LEVEL, MAX_LEVEL + 1)
                ],
            }
        ],
    }
    if skill.esco_uri:
        achievement["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": skill.name,
                "targetUrl": skill.esco_uri,
                "targetFramework": "ESCO",
                "targetType": "ceasn:Competency",
            }
        ]
    salt = identity_salt(validation)
    issuer_name = _("RepairLab programme, %(territory)s", territory=validation.territory.name)
    document: dict[str, Any] = {
        "@context": list(OB_CONTEXT),
        "id": url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title,
        "issuer": {"id": f"{base}/", "type": ["Profile"], "name": issuer_name, "url": f"{base}/"},
        "validFrom": _timestamp(validation.validated_on),
        "awardedDate": _timestamp(validation.validated_on),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": identity_hash(validation.talent.email, salt),
                    "salt": salt,
                }
            ],
            "achievement": achievement,
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": rubric_id,
                    "achievedLevel": f"{catalogue}#skill-{skill.id}-rubric-{level.value}",
                }
            ],
        },
    }
    valid_until = validation.expires_on
    revoked_on = validation.withdrawn_at.date() if validation.withdrawn_at else None
    if revoked_on is not None and (valid_until is None or revoked_on < valid_until):
        valid_until = revoked_on
    if valid_until is not None:
        document["validUntil"] = _timestamp(valid_until)
    document["credentialStatus"] = {
        "id": f"{url}#status",
        "type": STATUS_TYPE,
        "statusPurpose": "revocation",
        "status": _STATUS_CODES[status],
        "revoked": status == PublicStatus.WITHDRAWN,
        **({"statusDate": revoked_on.isoformat()} if revoked_on else {}),
    }
    # Signing goes here: add a "proof" (Data Integrity eddsa-rdfc-2022, or wrap the document as a VC-JWT)
    # made with the issuer's key, over exactly this document; publish the key in the issuer Profile.
    return document


_STATUS_CODES = {
    PublicStatus.VALID: "valid",
    PublicStatus.EXPIRED: "expired",
    PublicStatus.WITHDRAWN: "revoked",
    PublicStatus.SUPERSEDED_HIGHER: "superseded",
    PublicStatus.SUPERSEDED: "superseded",
}
