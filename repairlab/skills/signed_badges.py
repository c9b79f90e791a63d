"""Signed Open Badges: a validated skill's OpenBadgeCredential as a VC-JWT (1EdTech Open Badges 3.0, section 8.2
"JSON Web Token Proof Format"), the public keys that verify it, and the check the public pages run.

- JOSE header: exactly `alg` RS256 (the algorithm every verifier supports), `kid` and `typ` "JWT"; the spec allows
  no other header. `kid` is a URL that serves the public key as a JWK (/badges/keys/<name>); every key, retired
  ones included, is also in the key set at /.well-known/jwks.json, under the same `kid`.
- Payload: the credential itself (Verifiable Credentials 2.0: no `vc` wrapper) with the registered claims the spec
  requires, each equal to its property: `iss` = issuer.id, `jti` = id, `sub` = credentialSubject.id,
  `nbf` = validFrom, `exp` = validUntil when there is one; and `iat`, when it was signed.
- A badge is signed when downloaded, with the current key; it keeps verifying after a new key takes over, as long
  as the old key stays in the folder (a public-only PEM is enough, see badge_keys.py).
- `check()` verifies a badge as a verifier would, against this server's published keys only, then reads its
  status from the revocation list's rule: the signature first, the content second, revocation and dates last.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _
from joserfc import jwt
from joserfc.errors import BadSignatureError, JoseError

from repairlab import clock
from repairlab.errors import Conflict, PermissionDenied
from repairlab.people.models import User
from repairlab.skills import access
from repairlab.skills.badge_keys import ALGORITHM, BadgeKey, keyring
from repairlab.skills.badges import base_url, credential, issuer_url, revoked_on, subject_id, token_of
from repairlab.skills.models import SkillValidation
from repairlab.skills.passport import PublicStatus, get_by_token, public_status

HEADERS = frozenset({"alg", "kid", "jwk", "typ"})
# A badge is a few kilobytes; anything much longer is not one of ours.
MAX_BADGE_CHARS = 64_000


def key_url(name: str) -> str:
    """The `kid` of a key: the URL that serves its public half as a JWK."""
    return f"{base_url()}/badges/keys/{name}"


def jwks_url() -> str:
    """The URL of the key set."""
    return f"{base_url()}/.well-known/jwks.json"


def public_jwk(key: BadgeKey) -> dict[str, str]:
    """A key's public JWK, as published: its `kid`, what it is for, and its modulus and exponent."""
    return {"kid": key_url(key.name), "use": "sig", "alg": ALGORITHM, **key.public_jwk()}


def jwks() -> dict[str, list[dict[str, str]]]:
    """Every key of the folder (the one that signs and the retired ones), as a JWK Set."""
    return {"keys": [public_jwk(k) for k in keyring().keys]}


def can_sign() -> bool:
    """Whether this server has a key to sign badges with."""
    return keyring().current is not None


def _numeric_date(value: str) -> int:
    return int(datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())


def sign(validation: SkillValidation, *, now: datetime | None = None) -> str:
    """The credential of a validated skill as a compact JWS (VC-JWT), signed with the current key."""
    key = keyring().current
    if key is None:
        raise Conflict(_("Signed badges are not set up on this server yet. Ask the programme's administrator."))
    document = credential(validation)
    claims: dict[str, Any] = {
        **document,
        "iss": document["issuer"]["id"],
        "jti": document["id"],
        "sub": document["credentialSubject"]["id"],
        "nbf": _numeric_date(document["validFrom"]),
        "iat": int((now or clock.utcnow()).timestamp()),
    }
    if "validUntil" in document:
        claims["exp"] = _numeric_date(document["validUntil"])
    header = {"alg": ALGORITHM, "kid": key_url(key.name), "typ": "JWT"}
    return jwt.encode(header, claims, key.key, algorithms=[ALGORITHM])


def download(actor: User, validation: SkillValidation) -> str:
    """The signed badge a person downloads from a passport: their own (or, for staff, a talent's they may see),
    for a validation that stands today."""
    if not access.can_download_badge(actor, validation):
        raise PermissionDenied(_("You may not download this badge."))
    status = public_status(validation)
    if status == PublicStatus.WITHDRAWN:
        raise Conflict(_("This validation was withdrawn: there is no badge to download."))
    if status == PublicStatus.EXPIRED:
        raise Conflict(_("This validation has expired: it must be checked again before a badge can be issued."))
    if status != PublicStatus.VALID:
        raise Conflict(_("A newer assessment replaced this validation: download the badge of the newer one."))
    return sign(validation)


class Outcome(StrEnum):
    """What checking a badge found, from the best to the worst."""

    VALID = "valid"  # our signature, content intact, not revoked, within its dates
    REVOKED = "revoked"  # our signature, but the programme no longer stands behind it
    EXPIRED = "expired"  # our signature, past its validUntil
    NOT_YET_VALID = "not_yet_valid"  # our signature, before its validFrom
    UNKNOWN = "unknown"  # our signature, but this server does not know the credential (its status is unknown)
    INCONSISTENT = "inconsistent"  # our signature over claims that contradict the credential
    TAMPERED = "tampered"  # the signature does not match the content
    NOT_OURS = "not_ours"  # not signed with one of this server's keys (or with an algorithm we do not use)
    MALFORMED = "malformed"  # not a compact JWS at all


SIGNATURE_VERIFIED = frozenset(
    {Outcome.VALID, Outcome.REVOKED, Outcome.EXPIRED, Outcome.NOT_YET_VALID, Outcome.UNKNOWN}
)


@dataclass(frozen=True)
class BadgeCheck:
    """The result of checking a badge; `credential` is the signed content, only once its signature is verified."""

    outcome: Outcome
    credential: dict[str, Any] | None = None
    validation: SkillValidation | None = None
    key_name: str | None = None
    valid_from: date | None = None  # the labs' day of validFrom
    ended_on: date | None = None  # the day it was revoked, or expired

    @property
    def signature_verified(self) -> bool:
        """Whether the signature is one of this server's keys over exactly this content."""
        return self.outcome in SIGNATURE_VERIFIED

    @property
    def valid_until(self) -> date | None:
        """The labs' day the signed badge ends (its `exp`), if it has one."""
        exp = (self.credential or {}).get("exp") if self.signature_verified else None
        return _day(exp) if isinstance(exp, int) else None

    @property
    def achievement(self) -> dict[str, Any]:
        """The signed achievement (empty when the signature is not verified)."""
        if not self.signature_verified or not self.credential:
            return {}
        subject = self.credential.get("credentialSubject")
        achievement = subject.get("achievement") if isinstance(subject, dict) else None
        return achievement if isinstance(achievement, dict) else {}

    @property
    def issuer_name(self) -> str:
        """The signed issuer's name (empty when the signature is not verified)."""
        issuer = (self.credential or {}).get("issuer") if self.signature_verified else None
        return str(issuer.get("name", "")) if isinstance(issuer, dict) else ""


def _header(token: str) -> dict[str, Any] | None:
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        return None
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    except (ValueError, binascii.Error):
        return None
    return header if isinstance(header, dict) else None


def _signing_key(header: dict[str, Any]) -> BadgeKey | None:
    """The key of this server the header names (by its `kid` URL, or by a `jwk` equal to one of ours)."""
    ring = keyring()
    if "kid" in header:
        return next((k for k in ring.keys if key_url(k.name) == header["kid"]), None)
    jwk = header.get("jwk")
    if isinstance(jwk, dict) and "d" not in jwk:
        return next(
            (k for k in ring.keys if k.public_jwk() == {"kty": jwk.get("kty"), "n": jwk.get("n"), "e": jwk.get("e")}),
            None,
        )
    return None


def _day(instant: int) -> date:
    return clock.lab_day(datetime.fromtimestamp(instant, UTC))


def _consistent(claims: dict[str, Any]) -> bool:
    """Whether the registered claims equal the credential's properties, as section 8.2.4 requires."""
    issuer, subject = claims.get("issuer"), claims.get("credentialSubject")
    if not isinstance(issuer, dict) or not isinstance(subject, dict):
        return False
    try:
        exp_ok = (
            claims.get("exp") == _numeric_date(claims["validUntil"]) if "validUntil" in claims else "exp" not in claims
        )
        nbf_ok = isinstance(claims.get("validFrom"), str) and claims.get("nbf") == _numeric_date(claims["validFrom"])
    except (TypeError, ValueError):
        return False
    return (
        exp_ok
        and nbf_ok
        and claims.get("iss") == issuer.get("id")
        and claims.get("jti") == claims.get("id")
        and claims.get("sub") == subject.get("id")
        and isinstance(claims.get("type"), list)
        and "OpenBadgeCredential" in claims["type"]
    )


def check(text: str, *, now: datetime | None = None) -> BadgeCheck:
    """Check a VC-JWT as a verifier would, against this server's own published keys."""
    if len(text or "") > 2 * MAX_BADGE_CHARS:  # whitespace aside, still far too long: not worth reading
        return BadgeCheck(Outcome.MALFORMED)
    token = "".join((text or "").split())
    if not token or len(token) > MAX_BADGE_CHARS:
        return BadgeCheck(Outcome.MALFORMED)
    header = _header(token)
    if header is None:
        return BadgeCheck(Outcome.MALFORMED)
    if set(header) - HEADERS or header.get("alg") != ALGORITHM or header.get("typ", "JWT") != "JWT":
        return BadgeCheck(Outcome.NOT_OURS)
    key = _signing_key(header)
    if key is None:
        return BadgeCheck(Outcome.NOT_OURS)
    try:
        claims = jwt.decode(token, key.key, algorithms=[ALGORITHM]).claims
    except BadSignatureError:
        return BadgeCheck(Outcome.TAMPERED, key_name=key.name)
    except (JoseError, ValueError):
        return BadgeCheck(Outcome.MALFORMED)
    found = BadgeCheck(Outcome.INCONSISTENT, credential=claims, key_name=key.name)
    if not _consistent(claims):
        return found
    found = replace(found, outcome=Outcome.UNKNOWN, valid_from=_day(claims["nbf"]))
    token_ = token_of(claims["jti"])
    validation = get_by_token(token_) if token_ else None
    if (
        validation is None
        or claims["iss"] != issuer_url(validation.territory_id)
        or claims["sub"] != subject_id(validation)
    ):
        return found
    found = replace(found, validation=validation)
    revoked = revoked_on(validation)
    if revoked is not None:
        return replace(found, outcome=Outcome.REVOKED, ended_on=revoked)
    moment = int((now or clock.utcnow()).timestamp())
    if moment < claims["nbf"]:
        return replace(found, outcome=Outcome.NOT_YET_VALID)
    if "exp" in claims and moment >= claims["exp"]:
        return replace(found, outcome=Outcome.EXPIRED, ended_on=_day(claims["exp"]))
    return replace(found, outcome=Outcome.VALID)


def check_validation(validation: SkillValidation) -> BadgeCheck | None:
    """The verification page's own check: sign the badge this validation gives today and verify it as any badge
    is verified (None when this server has no key to sign with)."""
    if not can_sign():
        return None
    return check(sign(validation))
