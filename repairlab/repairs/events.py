"""Repair events ("Repair Café" sessions): a lab manager plans them with the talents and volunteers on duty."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

import sqlalchemy as sa
from flask_babel import gettext as _

from repairlab.audit.services import record, snapshot
from repairlab.clock import utcnow
from repairlab.dates import check_day
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.people.models import Lab, Role, User
from repairlab.repairs.access import can_plan_events
from repairlab.repairs.models import DutyRole, RepairEvent, RepairEventStaff, RepairTicket
from repairlab.text import clean_name, clean_text

MAX_TITLE = 120
MAX_NOTES = 2000
MAX_STAFF = 60
EVENT_FIELDS = ("lab_id", "title", "day", "starts_at", "ends_at", "notes")


@dataclass
class EventFields:
    """What the lab manager gives for an event; staff: (user id, duty) pairs."""

    title: str
    day: date | None
    starts_at: time | None
    ends_at: time | None
    notes: str = ""
    staff: list[tuple[int, DutyRole]] = field(default_factory=list)


def _check(lab: Lab, data: EventFields) -> tuple[EventFields, list[tuple[User, DutyRole]]]:
    title = clean_name(data.title, limit=MAX_TITLE, required=_("Give the event a name."), field="title")
    if data.day is None:
        raise ValidationError(_("Choose the day."), field="day")
    check_day(data.day, "day")
    if data.starts_at is None:
        raise ValidationError(_("Give the opening time."), field="starts_at")
    if data.ends_at is None:
        raise ValidationError(_("Give the closing time."), field="ends_at")
    if data.ends_at <= data.starts_at:
        raise ValidationError(_("The event must end after it starts."), field="ends_at")
    notes = clean_text(data.notes, field="notes", limit=MAX_NOTES)
    duties = dict(data.staff)  # one duty per person: the last one given
    if len(duties) > MAX_STAFF:
        raise ValidationError(_("Too many people on duty (%(max)d at most).", max=MAX_STAFF), field="staff")
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(list(duties))))} if duties else {}
    staff = []
    for user_id, duty in duties.items():
        user = users.get(user_id)
        if user is None or user.territory_id != lab.territory_id or not user.active:
            raise ValidationError(_("Choose active people of the lab's territory."), field="staff")
        if duty == DutyRole.TALENT and user.role != Role.PARTICIPANT:
            raise ValidationError(
                _("%(name)s is not a talent: put them on duty as a volunteer.", name=user.full_name), field="staff"
            )
        staff.append((user, duty))
    cleaned = EventFields(title, data.day, data.starts_at, data.ends_at, notes, [(u.id, d) for u, d in staff])
    return cleaned, staff


def _staff_names(event: RepairEvent) -> list[str]:
    return sorted(f"{s.user_id}:{s.role.value}" for s in event.staff)


def _snapshot(event: RepairEvent) -> dict:
    """The event as the audit log keeps it (hours as HH:MM), with the people on duty."""
    values = snapshot(event, EVENT_FIELDS)
    values["starts_at"], values["ends_at"] = event.starts_at.strftime("%H:%M"), event.ends_at.strftime("%H:%M")
    values["staff"] = _staff_names(event)
    return values


def create_event(actor: User, lab: Lab, data: EventFields) -> RepairEvent:
    """Plan a repair event at a lab."""
    if not can_plan_events(actor, lab.territory_id):
        raise PermissionDenied(_("Only a lab manager of this territory plans repair events."))
    if not lab.active:
        raise ValidationError(_("This lab is closed."), field="lab_id")
    data, staff = _check(lab, data)
    event = RepairEvent(
        territory_id=lab.territory_id,
        lab_id=lab.id,
        title=data.title,
        day=data.day,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        notes=data.notes,
        created_by_id=actor.id,
    )
    event.staff = [RepairEventStaff(user_id=user.id, role=duty) for user, duty in staff]
    db.session.add(event)
    db.session.flush()
    record(actor, "repair_event.create", event, after=_snapshot(event), label=event.title)
    return event


def update_event(actor: User, event: RepairEvent, lab: Lab, data: EventFields) -> RepairEvent:
    """Change an event: its lab (of the same territory), day, hours, notes and the people on duty."""
    if not can_plan_events(actor, event.territory_id) or lab.territory_id != event.territory_id:
        raise PermissionDenied(_("Only a lab manager of this territory plans repair events."))
    if event.cancelled_at is not None:
        raise Conflict(_("This event was cancelled."))
    if lab.id != event.lab_id and db.session.scalar(
        sa.select(sa.func.count()).select_from(RepairTicket).where(RepairTicket.event_id == event.id)
    ):
        raise ValidationError(_("Objects were taken in at this event: it stays at its lab."), field="lab_id")
    data, staff = _check(lab, data)
    before = _snapshot(event)
    event.lab_id = lab.id
    event.title, event.day, event.starts_at, event.ends_at, event.notes = (
        data.title,
        data.day,
        data.starts_at,
        data.ends_at,
        data.notes,
    )
    wanted = {user.id: duty for user, duty in staff}
    event.staff = [s for s in event.staff if s.user_id in wanted]
    for s in event.staff:
        s.role = wanted.pop(s.user_id)
    db.session.flush()
    event.staff.extend(RepairEventStaff(user_id=user_id, role=duty) for user_id, duty in wanted.items())
    db.session.flush()
    # Tickets of the event carry its day as their ORDS date.
    db.session.execute(
        sa.update(RepairTicket)
        .where(RepairTicket.event_id == event.id)
        .values(event_date=event.day)
        .execution_options(synchronize_session=False)
    )
    record(actor, "repair_event.update", event, before=before, after=_snapshot(event), label=event.title)
    return event


def cancel_event(actor: User, event: RepairEvent) -> RepairEvent:
    """Cancel an event where nothing was taken in yet (its history stays)."""
    if not can_plan_events(actor, event.territory_id):
        raise PermissionDenied(_("Only a lab manager of this territory plans repair events."))
    if event.cancelled_at is not None:
        return event
    if db.session.scalar(sa.select(sa.func.count()).select_from(RepairTicket).where(RepairTicket.event_id == event.id)):
        raise Conflict(_("Objects were taken in at this event: it cannot be cancelled."))
    event.cancelled_at = utcnow()
    record(actor, "repair_event.cancel", event, after={"cancelled_at": event.cancelled_at}, label=event.title)
    return event


def is_on_duty(user: User, event: RepairEvent) -> bool:
    """Whether the person is on the event's duty list."""
    return any(s.user_id == user.id for s in event.staff)
