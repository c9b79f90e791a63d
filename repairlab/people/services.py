"""Use cases for accounts, territories, labs and cohorts."""

from __future__ import annotations

import functools
import math
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from repairlab import clock, dates
from repairlab.audit.services import record, snapshot
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.people.models import Cohort, Lab, LoginThrottle, Role, Territory, Track, User
from repairlab.people.registry import lab_change_hooks
from repairlab.text import clean_text

# OWASP ASVS 2.1.1: at least 12 characters (a passphrase of a few words is easier to remember than a short password).
MIN_PASSWORD_LENGTH = 12
USER_FIELDS = ("email", "full_name", "role", "territory_id", "cohort_id", "track", "locale", "phone", "active")
TERRITORY_FIELDS = ("code", "name", "active")
LAB_FIELDS = ("name", "territory_id", "address", "opening_hours", "active")
COHORT_FIELDS = ("name", "territory_id", "start_date", "end_date", "target_talents")
TERRITORY_CODE_RE = re.compile(r"^[A-Z]{2,5}$")

# A valid hash to check against when the e-mail is unknown, so timing does not reveal accounts.
_DUMMY_HASH: str | None = None


def normalise_email(email: str) -> str:
    """Return the canonical (trimmed, lower-case) form of an e-mail address."""
    return (email or "").strip().lower()


def hash_password(password: str) -> str:
    """Hash a password with the configured method."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password_strength(password: str) -> None:
    """Refuse passwords that are too short, or among the most common ones (OWASP ASVS 2.1.7: the 30,000 passwords
    most often found in breaches, from zxcvbn's lists, case ignored)."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            ngettext(
                "The password must have at least %(num)d character.",
                "The password must have at least %(num)d characters.",
                MIN_PASSWORD_LENGTH,
            ),
            field="password",
        )
    if password.casefold() in _common_passwords():
        raise ValidationError(
            _("This password is one of the most common ones, which are tried first: choose another."), field="password"
        )


@functools.cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def get_user_by_email(email: str) -> User | None:
    """Find an account by e-mail, case-insensitively."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


# --- Authentication -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt: a user, or a message to show (and, when throttled, the seconds to wait)."""

    user: User | None
    error: str | None = None
    retry_after: int = 0


def _lock_throttle_row(email: str, address: str) -> LoginThrottle:
    """Return the pair's throttle row, created if new, locked until the next commit.

    The no-op UPDATE takes the lock first (a row lock on PostgreSQL, the write lock on SQLite), so parallel
    attempts of one pair queue here and each one reads what the previous one wrote.
    """
    pair = sa.and_(LoginThrottle.email == email, LoginThrottle.address == address)
    touch = (
        sa.update(LoginThrottle)
        .where(pair)
        .values(failures=LoginThrottle.failures)
        .execution_options(synchronize_session=False)
    )
    for _attempt in range(3):
        if db.session.execute(touch).rowcount:
            break
        try:
            with db.session.begin_nested():  # only this insert is undone if it loses the race
                db.session.add(LoginThrottle(email=email, address=address, failures=0, last_failure_at=clock.utcnow()))
            break
        except IntegrityError:  # another request created the pair meanwhile: lock its row instead
            continue
    return db.session.scalars(sa.select(LoginThrottle).where(pair).execution_options(populate_existing=True)).one()


def _login_delay(failures: int) -> timedelta | None:
    """The wait after this many attempts: none while free, then doubling up to the longest."""
    cfg = current_app.config
    extra = failures - cfg["LOGIN_FREE_FAILURES"]
    if extra < 0:
        return None
    seconds = min(cfg["LOGIN_FIRST_DELAY_SECONDS"] * 2 ** min(extra, 32), cfg["LOGIN_MAX_DELAY_SECONDS"])
    return timedelta(seconds=seconds)


def _count_attempt(email: str, address: str) -> int:
    """Count an attempt of the pair before its password is checked; return 0, or the seconds it must wait.

    Counting first, atomically, is what keeps parallel guesses to the allowed number: a guess that does not get
    its turn here is never checked.
    """
    throttle = _lock_throttle_row(email, address)
    now = clock.utcnow()
    if throttle.locked_until is not None and throttle.locked_until > now:
        db.session.rollback()  # nothing to write: release the lock
        return max(1, math.ceil((throttle.locked_until - now).total_seconds()))
    if throttle.last_failure_at < now - timedelta(seconds=current_app.config["LOGIN_FORGET_AFTER_SECONDS"]):
        throttle.failures = 0
    throttle.failures += 1
    throttle.last_failure_at = now
    delay = _login_delay(throttle.failures)
    throttle.locked_until = now + delay if delay else None
    db.session.commit()  # before the (slow) password check, so that parallel attempts see it
    return 0


def _wait_message(seconds: int) -> str:
    if seconds < 60:
        return ngettext(
            "Too many failed attempts. Wait %(num)d second before trying again.",
            "Too many failed attempts. Wait %(num)d seconds before trying again.",
            seconds,
        )
    return ngettext(
        "Too many failed attempts. Wait %(num)d minute before trying again.",
        "Too many failed attempts. Wait %(num)d minutes before trying again.",
        math.ceil(seconds / 60),
    )


def authenticate(email: str, password: str, address: str) -> LoginResult:
    """Check credentials, throttled per e-mail and client address together; never reveal whether an account exists.

    Commits: the attempt is counted before the password is checked, and a success clears the pair's count.
    """
    global _DUMMY_HASH
    email = normalise_email(email)[:254]
    address = (address or "unknown")[:64]
    wait = _count_attempt(email, address)
    if wait:
        return LoginResult(None, _wait_message(wait), retry_after=wait)

    user = get_user_by_email(email)
    if user is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password(secrets.token_hex(8))
        check_password_hash(_DUMMY_HASH, password or "")
        ok = False
    else:
        ok = check_password_hash(user.password_hash, password or "")

    if not ok:
        return LoginResult(None, _("Wrong e-mail or password."))
    if not user.active:
        # Only said once the password is proven right, so it reveals nothing to a stranger.
        return LoginResult(None, _("This account has been deactivated. Ask your lab manager or the programme team."))

    user.last_login_at = clock.utcnow()
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.email == email, LoginThrottle.address == address))
    db.session.commit()
    return LoginResult(user)


def purge_login_attempts() -> int:
    """Delete the throttling of pairs quiet for longer than it is remembered and no longer waiting; return how many."""
    now = clock.utcnow()
    since = now - timedelta(seconds=current_app.config["LOGIN_FORGET_AFTER_SECONDS"])
    result = db.session.execute(
        sa.delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < since,
            sa.or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
        )
    )
    return result.rowcount or 0


# --- Users ----------------------------------------------------------------------------------------


def _check_user_rules(
    role: Role, territory: Territory | None, cohort: Cohort | None, track: Track | None, locale: str
) -> None:
    if role.needs_territory and territory is None:
        raise ValidationError(_("Choose a territory for this role."), field="territory_id")
    if not role.needs_territory and territory is not None:
        raise ValidationError(_("Administrators and researchers do not belong to a territory."), field="territory_id")
    if role != Role.PARTICIPANT and (cohort is not None or track is not None):
        raise ValidationError(_("Only talents belong to a cohort and a track."), field="cohort_id")
    if cohort is not None and territory is not None and cohort.territory_id != territory.id:
        raise ValidationError(_("The cohort must be in the talent's territory."), field="cohort_id")
    if locale not in current_app.config["LANGUAGES"]:
        raise ValidationError(_("Unknown language."), field="locale")


def _clean_identity(email: str, full_name: str, user: User | None) -> tuple[str, str]:
    """Normalise and check an e-mail and a name; the e-mail must not belong to another account."""
    email = normalise_email(email)
    full_name = (full_name or "").strip()
    if not email or "@" not in email:
        raise ValidationError(_("Enter a valid e-mail address."), field="email")
    if not full_name:
        raise ValidationError(_("Enter a name."), field="full_name")
    other = get_user_by_email(email)
    if other is not None and (user is None or other.id != user.id):
        raise Conflict(_("An account with this e-mail address already exists."), field="email")
    return email, full_name


def create_user(
    actor: User | None,
    *,
    email: str,
    full_name: str,
    password: str,
    role: Role,
    territory: Territory | None = None,
    cohort: Cohort | None = None,
    track: Track | None = None,
    locale: str = "fr",
    phone: str = "",
) -> User:
    """Create an account; the e-mail must be new."""
    email, full_name = _clean_identity(email, full_name, None)
    check_password_strength(password)
    _check_user_rules(role, territory, cohort, track, locale)
    user = User(
        email=email,
        full_name=full_name,
        password_hash=hash_password(password),
        role=role,
        territory=territory,
        cohort=cohort,
        track=track,
        locale=locale,
        phone=(phone or "").strip(),
        session_token=secrets.token_hex(16),
    )
    db.session.add(user)
    db.session.flush()
    record(actor, "create", user, after=snapshot(user, USER_FIELDS))
    return user


def update_user(
    actor: User,
    user: User,
    *,
    email: str,
    full_name: str,
    role: Role,
    territory: Territory | None,
    cohort: Cohort | None,
    track: Track | None,
    locale: str,
    phone: str = "",
) -> User:
    """Change an account's details (admin)."""
    email, full_name = _clean_identity(email, full_name, user)
    _check_user_rules(role, territory, cohort, track, locale)
    if user.id == actor.id and role != Role.ADMIN:
        raise PermissionDenied(_("You cannot remove your own administrator role."), field="role")
    before = snapshot(user, USER_FIELDS)
    user.email, user.full_name, user.role = email, full_name, role
    user.territory, user.cohort, user.track = territory, cohort, track
    user.locale, user.phone = locale, (phone or "").strip()
    db.session.flush()
    record(actor, "update", user, before=before, after=snapshot(user, USER_FIELDS))
    return user


def set_user_active(actor: User, user: User, active: bool) -> User:
    """Deactivate (or reactivate) an account; deactivation also ends its sessions."""
    if user.id == actor.id and not active:
        raise PermissionDenied(_("You cannot deactivate your own account."))
    if user.active == active:
        return user
    before = snapshot(user, ("active",))
    user.active = active
    if not active:
        end_all_sessions(user)
    record(actor, "deactivate" if not active else "reactivate", user, before=before, after=snapshot(user, ("active",)))
    return user


def change_password(actor: User, user: User, current_password: str | None, new_password: str) -> None:
    """Set a new password; users changing their own must give the current one. Other sessions end."""
    if current_password is not None and not check_password_hash(user.password_hash, current_password):
        raise ValidationError(_("Your current password is not correct."), field="current_password")
    check_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)
    record(actor, "change_password", user)


def end_all_sessions(user: User) -> None:
    """Log the user out everywhere: every copy of their session and "remember me" cookies stops working.

    Sessions are signed cookies, so they cannot be deleted on the server; instead the token they carry is
    replaced, and the user loader refuses any cookie with the old one.
    """
    user.session_token = secrets.token_hex(16)


def set_locale(user: User, locale: str) -> None:
    """Remember a user's interface language."""
    if locale not in current_app.config["LANGUAGES"]:
        raise ValidationError(_("Unknown language."))
    if user.locale != locale:
        before = snapshot(user, ("locale",))
        user.locale = locale
        record(user, "update", user, before=before, after=snapshot(user, ("locale",)))


# --- Territories, labs, cohorts -------------------------------------------------------------------


def _clean_territory(code: str, name: str) -> tuple[str, str]:
    code, name = (code or "").strip().upper(), (name or "").strip()
    if not TERRITORY_CODE_RE.match(code):
        raise ValidationError(_("The code must be 2 to 5 capital letters, e.g. RBX."), field="code")
    if not name:
        raise ValidationError(_("Enter a name."), field="name")
    return code, name


def _territory_clash(code: str, name: str, exclude_id: int | None) -> None:
    stmt = sa.select(Territory).where(sa.or_(Territory.code == code, sa.func.lower(Territory.name) == name.lower()))
    for other in db.session.scalars(stmt):
        if other.id != exclude_id:
            field = "code" if other.code == code else "name"
            raise Conflict(_("Another territory already uses this code or name."), field=field)


def create_territory(actor: User, *, code: str, name: str) -> Territory:
    """Create a territory."""
    code, name = _clean_territory(code, name)
    _territory_clash(code, name, None)
    territory = Territory(code=code, name=name)
    db.session.add(territory)
    db.session.flush()
    record(actor, "create", territory, after=snapshot(territory, TERRITORY_FIELDS), territory_id=territory.id)
    return territory


def update_territory(actor: User, territory: Territory, *, name: str, active: bool) -> Territory:
    """Rename or (de)activate a territory. Its code prefixes printed labels, so it never changes."""
    code, name = _clean_territory(territory.code, name)
    _territory_clash(code, name, territory.id)
    before = snapshot(territory, TERRITORY_FIELDS)
    territory.name, territory.active = name, active
    db.session.flush()
    record(
        actor,
        "update",
        territory,
        before=before,
        after=snapshot(territory, TERRITORY_FIELDS),
        territory_id=territory.id,
    )
    return territory


def _clean_lab(territory: Territory | None, name: str, exclude_id: int | None) -> str:
    name = (name or "").strip()
    if territory is None:
        raise ValidationError(_("Choose a territory."), field="territory_id")
    if not name:
        raise ValidationError(_("Enter a name."), field="name")
    clash = db.session.scalar(
        sa.select(Lab.id).where(Lab.territory_id == territory.id, sa.func.lower(Lab.name) == name.lower())
    )
    if clash is not None and clash != exclude_id:
        raise Conflict(_("This territory already has a lab with this name."), field="name")
    return name


def _opening_hours(text: str | None) -> str:
    """The lab's opening hours, shown to anyone who scans a repair ticket's label (one or two lines)."""
    return clean_text(text, field="opening_hours", limit=255)


def create_lab(actor: User, *, territory: Territory, name: str, address: str = "", opening_hours: str = "") -> Lab:
    """Create a lab in a territory."""
    name = _clean_lab(territory, name, None)
    lab = Lab(
        territory=territory, name=name, address=(address or "").strip(), opening_hours=_opening_hours(opening_hours)
    )
    db.session.add(lab)
    db.session.flush()
    record(actor, "create", lab, after=snapshot(lab, LAB_FIELDS))
    return lab


def update_lab(
    actor: User,
    lab: Lab,
    *,
    territory: Territory,
    name: str,
    address: str,
    active: bool,
    opening_hours: str | None = None,
) -> Lab:
    """Change a lab (opening_hours None: unchanged)."""
    name = _clean_lab(territory, name, lab.id)
    if opening_hours is not None:
        lab.opening_hours = _opening_hours(opening_hours)
    before = snapshot(lab, LAB_FIELDS)
    old_name, old_territory_id = lab.name, lab.territory_id
    lab.territory, lab.name, lab.address, lab.active = territory, name, (address or "").strip(), active
    for hook in lab_change_hooks:
        hook(lab, old_name, old_territory_id)
    db.session.flush()
    record(actor, "update", lab, before=before, after=snapshot(lab, LAB_FIELDS))
    return lab


def _clean_cohort(
    territory: Territory | None,
    name: str,
    start: date | None,
    end: date | None,
    target: int | None,
    *,
    exclude_id: int | None,
) -> str:
    name = (name or "").strip()
    if territory is None:
        raise ValidationError(_("Choose a territory."), field="territory_id")
    if not name:
        raise ValidationError(_("Enter a name."), field="name")
    if start is None or end is None:
        raise ValidationError(_("Enter the start and end dates."), field="start_date")
    dates.check_day(start, "start_date")
    dates.check_day(end, "end_date")
    if end < start:
        raise ValidationError(_("The end date must be after the start date."), field="end_date")
    if target is None or target < 0:
        raise ValidationError(_("The target must be zero or more."), field="target_talents")
    clash = db.session.scalar(
        sa.select(Cohort.id).where(Cohort.territory_id == territory.id, sa.func.lower(Cohort.name) == name.lower())
    )
    if clash is not None and clash != exclude_id:
        raise Conflict(_("This territory already has a cohort with this name."), field="name")
    return name


def create_cohort(
    actor: User, *, territory: Territory, name: str, start_date: date, end_date: date, target_talents: int
) -> Cohort:
    """Create a cohort."""
    name = _clean_cohort(territory, name, start_date, end_date, target_talents, exclude_id=None)
    cohort = Cohort(
        territory=territory, name=name, start_date=start_date, end_date=end_date, target_talents=target_talents
    )
    db.session.add(cohort)
    db.session.flush()
    record(actor, "create", cohort, after=snapshot(cohort, COHORT_FIELDS))
    return cohort


def update_cohort(
    actor: User,
    cohort: Cohort,
    *,
    territory: Territory,
    name: str,
    start_date: date,
    end_date: date,
    target_talents: int,
) -> Cohort:
    """Change a cohort; it cannot move to another territory while talents belong to it."""
    name = _clean_cohort(territory, name, start_date, end_date, target_talents, exclude_id=cohort.id)
    if territory.id != cohort.territory_id and cohort.talents:
        raise ValidationError(
            _("Talents belong to this cohort: it cannot move to another territory."), field="territory_id"
        )
    before = snapshot(cohort, COHORT_FIELDS)
    cohort.territory, cohort.name = territory, name
    cohort.start_date, cohort.end_date, cohort.target_talents = start_date, end_date, target_talents
    db.session.flush()
    record(actor, "update", cohort, before=before, after=snapshot(cohort, COHORT_FIELDS))
    return cohort
