"""Open Badges 3.0: each validated skill as an OpenBadgeCredential (JSON-LD), the issuer profiles that sign them,
and the revocation lists that say which credentials no longer stand. Signing is in `signed_badges.py`.

Choices, so that a verifier knows what to expect:

- The credential's `id` is its public verification URL (PUBLIC_BASE_URL + /v/<token>); the JSON is at
  that URL + ".json". Both keep resolving for ever, whatever happens to the validation.
- The issuer is the programme in the talent's territory: a Profile at /badges/issuers/<territory id> (JSON).
- The holder is named only by a salted SHA-256 hash of their e-mail address (an IdentityObject, as Open
  Badges 2.0 and 3.0 define it), never the address itself: an employer who knows the address can check it.
  The salt is derived from the token, so the JSON is the same at every request. The subject's `id` (which the
  signed badge's `sub` claim must repeat) is a URN derived from the token too: it names this credential's
  holder and nobody else, so no two badges of one talent can be linked by it.
- The achievement is the skill at the validated level; the four levels are given as a rubric
  (`resultDescription`) and the `result` points at the level reached. An ESCO URI becomes an `alignment`.
- Status: `credentialStatus` is the 1EdTech Revocation List of the issuer (type "1EdTechRevocationList"): a
  list, served live, of the credentials the verification page no longer stands behind: withdrawn validations,
  and those replaced by a newer assessment at the same or a lower level. A revoked credential's JSON still
  resolves, without the holder's identity hash (the list makes its id public), and its `validUntil` is cut to
  the day of revocation, so even a verifier that ignores the list treats it as no longer valid. Expiry (safety
  skills) is `validUntil`.
- Days are the labs' days: `validFrom` is the start of the day of validation in Paris, in UTC.
- Content is in the programme's default language (French), whatever the visitor's language, so that a
  signature covers stable text.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from repairlab import clock
from repairlab.extensions import db
from repairlab.people.models import Territory
from repairlab.skills.models import (
    MAX_LEVEL,
    MIN_LEVEL,
    SkillLevel,
    SkillValidation,
    ValidationKind,
    ValidationStatus,
)
from repairlab.skills.passport import PublicStatus, public_status

OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
STATUS_TYPE = "1EdTechRevocationList"
# The statuses of a credential the programme no longer stands behind (expiry aside): they are revoked.
REVOKED_STATUSES = frozenset({PublicStatus.WITHDRAWN, PublicStatus.SUPERSEDED})
# Subject ids are name-based UUIDs (RFC 9562, version 5) in this namespace, derived from the credential's token.
SUBJECT_NAMESPACE = uuid.UUID("6f1d3f5e-2b8a-5c4e-9a7d-0e1b2c3d4e5f")


def base_url() -> str:
    """The public address of the site, without a trailing slash."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def verification_url(validation: SkillValidation) -> str:
    """The public, unguessable page that shows this validation to anyone with the link."""
    return f"{base_url()}/v/{validation.token}"


def issuer_url(territory_id: int) -> str:
    """The issuer Profile of a territory's credentials (JSON)."""
    return f"{base_url()}/badges/issuers/{territory_id}"


def revocation_list_url(territory_id: int) -> str:
    """The 1EdTech Revocation List of a territory's credentials (JSON)."""
    return f"{issuer_url(territory_id)}/revocations"


def token_of(credential_id: str) -> str | None:
    """The token of one of this site's credential ids (its verification URL), or None for any other id."""
    prefix = f"{base_url()}/v/"
    if not isinstance(credential_id, str) or not credential_id.startswith(prefix):
        return None
    token = credential_id[len(prefix) :]
    return token if token and "/" not in token else None


def subject_id(validation: SkillValidation) -> str:
    """The credential subject's id: a URN that names this credential's holder only."""
    return f"urn:uuid:{uuid.uuid5(SUBJECT_NAMESPACE, validation.token or '')}"


def identity_salt(validation: SkillValidation) -> str:
    """A salt unique to this credential (derived from its token, so the JSON is stable)."""
    return hashlib.sha256(f"repairlab-identity:{validation.token}".encode()).hexdigest()[:16]


def identity_hash(email: str, salt: str) -> str:
    """Open Badges identity hash: "sha256$" + hex SHA-256 of the lower-cased e-mail followed by the salt."""
    return "sha256$" + hashlib.sha256(((email or "").strip().lower() + salt).encode()).hexdigest()


def timestamp(instant: datetime) -> str:
    """An instant as the credential writes it: UTC, to the second, with a Z."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def revoked_on(validation: SkillValidation, *, on: date | None = None) -> date | None:
    """The labs' day the credential was revoked (withdrawn, or replaced by a newer assessment); None if it stands."""
    status = public_status(validation, on=on)
    if status not in REVOKED_STATUSES:
        return None
    if status == PublicStatus.WITHDRAWN:
        return clock.lab_day(validation.withdrawn_at) if validation.withdrawn_at else validation.validated_on
    return clock.lab_day(validation.superseded_at) if validation.superseded_at else validation.validated_on


def credential(validation: SkillValidation, *, on: date | None = None) -> dict[str, Any]:
    """The OpenBadgeCredential of a validated skill, as a JSON-ready dict."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _credential(validation, on or clock.today())


def issuer_name(territory: Territory) -> str:
    """The issuer's name: the programme in a territory."""
    return _("RepairLab programme, %(territory)s", territory=territory.name)


def _issuer(territory: Territory) -> dict[str, Any]:
    return {
        "id": issuer_url(territory.id),
        "type": ["Profile"],
        "name": issuer_name(territory),
        "url": f"{base_url()}/",
    }


def _credential(validation: SkillValidation, on: date) -> dict[str, Any]:
    skill, level = validation.skill, SkillLevel(validation.level)
    base, url = base_url(), verification_url(validation)
    catalogue = f"{base}/skills"
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
    revoked = revoked_on(validation, on=on)
    subject: dict[str, Any] = {"id": subject_id(validation), "type": ["AchievementSubject"]}
    if revoked is None:
        salt = identity_salt(validation)
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": identity_hash(validation.talent.email, salt),
                "salt": salt,
            }
        ]
    subject["achievement"] = achievement
    subject["result"] = [
        {
            "type": ["Result"],
            "resultDescription": rubric_id,
            "achievedLevel": f"{catalogue}#skill-{skill.id}-rubric-{level.value}",
        }
    ]
    validated = timestamp(clock.start_of_day(validation.validated_on))
    document: dict[str, Any] = {
        "@context": list(OB_CONTEXT),
        "id": url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title,
        "issuer": _issuer(validation.territory),
        "validFrom": validated,
        "awardedDate": validated,
        "credentialSubject": subject,
    }
    valid_until = validation.expires_on
    if revoked is not None and (valid_until is None or revoked < valid_until):
        valid_until = revoked
    if valid_until is not None:
        document["validUntil"] = timestamp(clock.start_of_day(valid_until))
    document["credentialStatus"] = {"id": revocation_list_url(validation.territory_id), "type": STATUS_TYPE}
    return document


def issuer_profile(territory: Territory) -> dict[str, Any]:
    """The issuer Profile of a territory, as its URL serves it."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return {"@context": list(OB_CONTEXT), **_issuer(territory)}


def revoked_validations(territory_id: int, *, on: date | None = None) -> list[tuple[SkillValidation, date]]:
    """The territory's revoked credentials and the day each was revoked, oldest record first (one query)."""
    records = db.session.scalars(
        sa.select(SkillValidation)
        .where(
            SkillValidation.territory_id == territory_id,
            SkillValidation.kind == ValidationKind.VALIDATED,
            SkillValidation.status.in_([ValidationStatus.WITHDRAWN, ValidationStatus.SUPERSEDED]),
        )
        .options(joinedload(SkillValidation.superseded_by))
        .order_by(SkillValidation.id)
    ).all()
    return [(v, day) for v in records if (day := revoked_on(v, on=on)) is not None]


def revocation_list(territory: Territory, *, on: date | None = None) -> dict[str, Any]:
    """The 1EdTech Revocation List of a territory: the id of every credential it revoked, with the kind of
    revocation (never the reason written at withdrawal, which is private)."""
    on = on or clock.today()
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return {
            "id": revocation_list_url(territory.id),
            "issuer": issuer_url(territory.id),
            "revokedCredential": [
                {
                    "id": verification_url(v),
                    "revoked": True,
                    "revocationReason": public_status(v, on=on).label,
                }
                for v, _day in revoked_validations(territory.id, on=on)
            ],
        }
