"""Short human-readable codes (RBX-0042): issued atomically per territory, never reused, resolved case-insensitively."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from repairlab.clock import utcnow
from repairlab.errors import Conflict
from repairlab.extensions import db
from repairlab.inventory.models import Code, CodeCounter
from repairlab.inventory.registry import code_targets
from repairlab.people.models import Territory

# Typed by hand or read aloud: accept lower case, spaces, a missing dash, and O/I/L for 0/1 in the number.
_CODE_RE = re.compile(r"^([A-Z]{2,5})[\s_-]*([0-9OIL]{1,9})$")
_DIGIT_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def label_names(codes: list[Code]) -> dict[str, str]:
    """The short name to print for each code (empty for pre-printed codes), one query per kind of thing."""
    by_type: dict[str, list[Code]] = {}
    for code in codes:
        if code.target_type and code.target_id is not None:
            by_type.setdefault(code.target_type, []).append(code)
    out = {code.code: "" for code in codes}
    for target_type, group in by_type.items():
        target = code_targets.get(target_type)
        if target is None or target.names is None:
            continue
        names = target.names([c.target_id for c in group])
        for code in group:
            out[code.code] = names.get(code.target_id, "")
    return out


def target_url(code: Code) -> str | None:
    """The page of the thing a code points to, or None for an unassigned code."""
    if code.target_type is None or code.target_id is None:
        return None
    target = code_targets.get(code.target_type)
    return target.url_for(code.target_id) if target else None


def format_code(prefix: str, number: int) -> str:
    """RBX + 42 -> RBX-0042 (at least four digits; more when the territory outgrows them)."""
    return f"{prefix}-{number:04d}"


def code_readings(text: str) -> list[str]:
    """Every canonical code a typed or scanned text may stand for, the likeliest first (empty: not a code)."""
    text = (text or "").strip().upper()
    if "/Q/" in text:  # a whole scanned URL
        text = text.rsplit("/Q/", 1)[1].split("?")[0]
    text = text.strip("/ ")  # a trailing slash typed or added by a scanner app
    match = _CODE_RE.match(text)
    if not match:
        return []
    prefix, digits = match.groups()
    readings = [format_code(prefix, int(digits.translate(_DIGIT_FIXES)))]
    # Without a dash, an O, I or L after the letters may be the number's first digit: RBXO042 is RBX-0042
    # when no territory is called RBXO.
    if match.end(1) == match.start(2):
        while len(prefix) > 2 and prefix[-1] in "OIL" and len(digits) < 9:
            prefix, digits = prefix[:-1], prefix[-1] + digits
            readings.append(format_code(prefix, int(digits.translate(_DIGIT_FIXES))))
    return readings


def normalise_code(text: str) -> str | None:
    """The canonical form of a typed or scanned code, or None when it cannot be a code."""
    readings = code_readings(text)
    return readings[0] if readings else None


def _next_number(territory_id: int) -> int:
    """Increment the territory's counter in one atomic statement (row lock on PostgreSQL, write lock on SQLite)."""
    stmt = (
        sa.update(CodeCounter)
        .where(CodeCounter.territory_id == territory_id)
        .values(last_number=CodeCounter.last_number + 1)
        .returning(CodeCounter.last_number)
    )
    number = db.session.execute(stmt).scalar()
    if number is None:
        # First code of the territory: create the counter; a concurrent creator wins the race harmlessly.
        try:
            with db.session.begin_nested():
                db.session.add(CodeCounter(territory_id=territory_id, last_number=0))
        except sa.exc.IntegrityError:
            pass
        number = db.session.execute(stmt).scalar()
    return number


def issue_code(territory: Territory, target_type: str | None = None, target_id: int | None = None) -> Code:
    """Issue the territory's next code, optionally pointing at a thing; unique in the database."""
    number = _next_number(territory.id)
    code = Code(
        code=format_code(territory.code, number),
        territory_id=territory.id,
        number=number,
        target_type=target_type,
        target_id=target_id,
        assigned_at=utcnow() if target_type else None,
    )
    db.session.add(code)
    db.session.flush()
    return code


def find_code(text: str) -> Code | None:
    """The issued code matching a typed or scanned text, or None (one query, whatever the readings)."""
    readings = code_readings(text)
    if not readings:
        return None
    found = {c.code: c for c in db.session.scalars(sa.select(Code).where(Code.code.in_(readings)))}
    return next((found[r] for r in readings if r in found), None)


def attach_code(code: Code, target_type: str, target_id: int | None) -> Code:
    """Point an unassigned (pre-printed) code at a thing; an assigned code never changes meaning."""
    if code.target_type is not None:
        raise Conflict(_("The code %(code)s is already attached to something else.", code=code.code))
    # Guarded update: two people attaching the same label at once cannot both succeed.
    result = db.session.execute(
        sa.update(Code)
        .where(Code.id == code.id, Code.target_type.is_(None))
        .values(target_type=target_type, target_id=target_id, assigned_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("The code %(code)s is already attached to something else.", code=code.code))
    db.session.refresh(code)
    return code
