"""Use cases of activity sessions: create a session, record who attended it at once (by list or by member card)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from repairlab import dates
from repairlab.audit.services import record, snapshot
from repairlab.errors import NotFound, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.lending.cards import find_card
from repairlab.people.models import Lab, Role, Territory, User
from repairlab.programme.access import is_path_staff
from repairlab.programme.models import ActivityKind, ActivitySession, AttendanceMethod, SessionAttendance
from repairlab.text import clean_name

MAX_TITLE = 200
SESSION_FIELDS = ("kind", "title", "held_on", "duration_minutes", "lab_id")


def create_session(
    actor: User,
    territory: Territory,
    *,
    kind: ActivityKind,
    title: str,
    held_on: date | None,
    duration_minutes: int | None = None,
    lab: Lab | None = None,
) -> ActivitySession:
    """Create a session of a territory (in one of its labs), whose attendance is then recorded."""
    if not is_path_staff(actor, territory.id):
        raise PermissionDenied(_("You may not create sessions in this territory."))
    title = clean_name(title, limit=MAX_TITLE, required=_("Give the session a title."), field="title")
    if held_on is None:
        raise ValidationError(_("Enter the date of the session."), field="held_on")
    dates.check_day(held_on, "held_on")
    if duration_minutes is not None and not 1 <= duration_minutes <= 24 * 60:
        raise ValidationError(_("A session lasts between 1 minute and 24 hours."), field="duration_minutes")
    if lab is not None and lab.territory_id != territory.id:
        raise ValidationError(_("Choose a lab of this territory."), field="lab_id")
    session = ActivitySession(
        territory_id=territory.id,
        lab_id=lab.id if lab is not None else None,
        kind=kind,
        title=title,
        held_on=held_on,
        duration_minutes=duration_minutes,
        created_by_id=actor.id,
    )
    db.session.add(session)
    db.session.flush()
    record(actor, "programme.session", session, after=snapshot(session, SESSION_FIELDS))
    return session


def _check_session_staff(actor: User, session: ActivitySession) -> None:
    if not is_path_staff(actor, session.territory_id):
        raise PermissionDenied(_("You may not record attendance for this session."))


def present_ids(session: ActivitySession) -> set[int]:
    """The ids of the talents recorded as present at the session."""
    return set(
        db.session.scalars(sa.select(SessionAttendance.talent_id).where(SessionAttendance.session_id == session.id))
    )


def record_attendance(
    actor: User,
    session: ActivitySession,
    talent_ids: Iterable[int],
    *,
    method: AttendanceMethod = AttendanceMethod.LIST,
) -> list[User]:
    """Mark talents present at a session at once; those already present are left as they are. Returns the talents
    newly marked present. Every one must be an active talent of the session's territory."""
    _check_session_staff(actor, session)
    wanted = set(talent_ids)
    if not wanted:
        return []
    talents = list(
        db.session.scalars(
            sa.select(User).where(
                User.id.in_(wanted),
                User.role == Role.PARTICIPANT,
                User.territory_id == session.territory_id,
                User.active.is_(True),
            )
        )
    )
    if len(talents) != len(wanted):
        raise ValidationError(_("Only active talents of the session's territory can be marked present."))
    already = present_ids(session)
    added = []
    for talent in sorted(talents, key=lambda t: t.full_name):
        if talent.id in already:
            continue
        db.session.add(
            SessionAttendance(session_id=session.id, talent_id=talent.id, method=method, recorded_by_id=actor.id)
        )
        added.append(talent)
    if added:
        # Several people may tick the same list at once: the unique (session, talent) pair settles it.
        try:
            with db.session.begin_nested():
                db.session.flush()
        except sa.exc.IntegrityError:
            raise ValidationError(_("Someone recorded this attendance at the same time. Reload the page.")) from None
        record(
            actor,
            "programme.attendance",
            session,
            after={"present": sorted(t.id for t in added), "method": method.value},
        )
    return added


def record_attendance_by_card(actor: User, session: ActivitySession, card_text: str) -> tuple[User, bool]:
    """Mark present the talent whose member card was scanned or typed; returns (talent, newly marked)."""
    _check_session_staff(actor, session)
    card = find_card(card_text)
    if card is None:
        raise NotFound(_("No member card has this code. Check it and try again."), field="card")
    talent = card.user
    if talent.role != Role.PARTICIPANT or talent.territory_id != session.territory_id or not talent.active:
        raise ValidationError(_("This card is not a talent's of this territory."), field="card")
    added = record_attendance(actor, session, [talent.id], method=AttendanceMethod.CARD)
    return talent, bool(added)


def remove_attendance(actor: User, session: ActivitySession, talent: User) -> None:
    """Remove a talent ticked by mistake."""
    _check_session_staff(actor, session)
    row = db.session.scalar(
        sa.select(SessionAttendance).where(
            SessionAttendance.session_id == session.id, SessionAttendance.talent_id == talent.id
        )
    )
    if row is None:
        raise NotFound(_("This talent is not marked present."))
    db.session.delete(row)
    db.session.flush()
    record(actor, "programme.attendance_remove", session, before={"present": [talent.id]})
