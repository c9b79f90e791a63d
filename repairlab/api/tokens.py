"""Personal API tokens: create one (its secret shown once), revoke it, and find the token of a request."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from repairlab import clock
from repairlab.api.access import can_revoke
from repairlab.api.models import SCOPES, ApiToken
from repairlab.audit.services import record
from repairlab.errors import Conflict, NotFound, ValidationError
from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.text import clean_name

# Every secret starts with this, so that a leaked one is recognised (by people and by secret scanners).
SECRET_PREFIX = "rl_"
PREFIX_LENGTH = 10
DEFAULT_DAYS = 90
MAX_DAYS = 366
# A token's last use is written at most this often: reading the API does not write on every request.
LAST_USE_PRECISION = timedelta(minutes=5)


def hash_secret(secret: str) -> str:
    """The SHA-256 of a token's secret, in hex: what the database keeps."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def default_expiry(today: date | None = None) -> date:
    """The expiry date offered on the form: 90 days from today."""
    return (today or clock.today()) + timedelta(days=DEFAULT_DAYS)


def create_token(owner: User, *, name: str, scopes: str, expires_on: date) -> tuple[ApiToken, str]:
    """A new token of `owner`, valid until the end of `expires_on` (at most a year ahead); returns it and its
    secret, which is shown once and never stored."""
    name = clean_name(name, limit=80, required=_("Enter a name."))
    if scopes not in SCOPES:
        raise ValidationError(_("Choose what the token may do."), field="scopes")
    today = clock.today()
    if expires_on is None or expires_on <= today:
        raise ValidationError(_("The expiry date must be after today."), field="expires_on")
    if expires_on > today + timedelta(days=MAX_DAYS):
        raise ValidationError(_("A token is valid for one year at most."), field="expires_on")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=owner.id,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        token_hash=hash_secret(secret),
        scopes=scopes,
        created_at=clock.utcnow(),
        expires_at=clock.end_of_day(expires_on),
    )
    token.user = owner
    db.session.add(token)
    db.session.flush()
    record(owner, "api_token.create", token, after={"name": name, "scopes": scopes, "expires_at": token.expires_at})
    return token, secret


def revoke_token(actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once: its owner, or an administrator."""
    if not can_revoke(actor, token):
        raise NotFound(_("This token does not exist."))
    if token.revoked_at is not None:
        raise Conflict(_("This token is already revoked."))
    token.revoked_at = clock.utcnow()
    token.revoked_by_id = actor.id
    db.session.flush()
    record(actor, "api_token.revoke", token, after={"name": token.name, "owner": token.user_id})
    return token


def tokens_of(user: User) -> list[ApiToken]:
    """A user's tokens, the newest first."""
    return list(
        db.session.scalars(
            sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id)
        )
    )


def token_for_secret(secret: str, now: datetime | None = None) -> ApiToken | None:
    """The live token with this secret (not revoked, not expired, its owner active and not erased), or None."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    now = now or clock.utcnow()
    return db.session.scalar(
        sa.select(ApiToken)
        .join(ApiToken.user)
        .where(
            ApiToken.token_hash == hash_secret(secret),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > now,
            User.active.is_(True),
            User.erased_at.is_(None),
        )
    )


def note_use(token: ApiToken, now: datetime | None = None) -> bool:
    """Write the token's last use when the stored one is older than LAST_USE_PRECISION; True when written.

    One guarded UPDATE, skipped altogether for a token used a moment ago."""
    now = now or clock.utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USE_PRECISION:
        return False
    result = db.session.execute(
        sa.update(ApiToken)
        .where(
            ApiToken.id == token.id,
            sa.or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - LAST_USE_PRECISION),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    token.last_used_at = now
    return result.rowcount == 1
