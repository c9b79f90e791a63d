"""Repair tickets: intake at the desk, the status machine, the talents' work, parts and tools, the outcome."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from repairlab import images
from repairlab.audit.services import record, snapshot
from repairlab.auth import has_role
from repairlab.clock import today, utcnow
from repairlab.database import flush_or_conflict, lock_row
from repairlab.dates import FIRST_YEAR
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.inventory.codes import find_code, issue_code
from repairlab.inventory.models import Item, ItemKind, ItemStatus
from repairlab.inventory.requirements import may_use_item
from repairlab.inventory.services import ITEM_TARGET
from repairlab.people.models import Lab, Role, User
from repairlab.repairs.access import can_close, can_record_work_for, can_repair, can_take_in, is_desk
from repairlab.repairs.categories import category_label, needs_estimate
from repairlab.repairs.impact import KG, impact
from repairlab.repairs.models import (
    CLOSED_STATUSES,
    Barrier,
    ImpactConstant,
    Outcome,
    RepairableNeed,
    RepairCategory,
    RepairEvent,
    RepairPartUse,
    RepairStatusChange,
    RepairTicket,
    RepairToolUse,
    RepairWork,
    TicketSource,
    TicketStatus,
)
from repairlab.repairs.reference import DISPLACEMENT, MISC_POWERED_CO2E_PER_KG, MISC_UNPOWERED_CO2E_PER_KG
from repairlab.text import clean_text, plain_text

# The target type of a ticket's code (inventory's codes table): /q/<code> opens the ticket.
TICKET_TARGET = "repair_ticket"


def ticket_names(ids: list[int]) -> dict[int, str]:
    """The short name printed on each ticket's label (brand and model, else the category), in one query."""
    rows = db.session.execute(
        sa.select(RepairTicket.id, RepairTicket.brand, RepairTicket.model, RepairCategory.name)
        .join(RepairCategory, RepairCategory.id == RepairTicket.category_id)
        .where(RepairTicket.id.in_(ids))
    ).all()
    return {row.id: " ".join(p for p in (row.brand, row.model) if p) or category_label(row.name) for row in rows}


# --- Intake ---------------------------------------------------------------------------------------

MAX_PROBLEM = 2000
MAX_TEXT = 4000
MAX_WEIGHT = Decimal(1000)
MAX_AGE = Decimal(150)
MAX_MINUTES = 24 * 60
MAX_PARTS = 1000
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9 ().-]{6,40}$")
OWNER_LOCALES = ("fr", "en")
OBJECT_FIELDS = (
    "category_id",
    "lab_category",
    "brand",
    "model",
    "year_of_manufacture",
    "product_age",
    "estimated_weight_kg",
    "problem",
)
OWNER_FIELDS = ("owner_first_name", "owner_email", "owner_phone", "owner_locale", "owner_consent_at")


@dataclass
class IntakeFields:
    """What the desk types at intake: the object (category required), and the owner, all optional."""

    category_id: int | None
    problem: str = ""
    lab_category: str = ""
    brand: str = ""
    model: str = ""
    year_of_manufacture: int | None = None
    product_age: Decimal | None = None
    estimated_weight_kg: Decimal | None = None
    owner_first_name: str = ""
    owner_email: str = ""
    owner_phone: str = ""
    owner_consent: bool = False
    owner_locale: str = "fr"


def _one_line(value: str | None, limit: int, field: str) -> str:
    text = " ".join(plain_text(value).split())
    if len(text) > limit:
        raise ValidationError(_("This text is too long (%(max)d characters at most).", max=limit), field=field)
    return text


def _check_intake(data: IntakeFields) -> tuple[RepairCategory, IntakeFields]:
    """The checked and cleaned fields, with the category; a ValidationError on the first wrong field."""
    category = db.session.get(RepairCategory, data.category_id) if data.category_id else None
    if category is None or not category.active:
        raise ValidationError(_("Choose the kind of object."), field="category_id")
    problem = clean_text(
        data.problem, field="problem", limit=MAX_PROBLEM, required=_("Write what is wrong, in the owner's words.")
    )
    year = data.year_of_manufacture
    if year is not None and not (FIRST_YEAR <= year <= today().year):
        raise ValidationError(
            _("Give a year between %(first)d and %(last)d.", first=FIRST_YEAR, last=today().year),
            field="year_of_manufacture",
        )
    age = data.product_age
    if age is not None and not (0 <= age <= MAX_AGE):
        raise ValidationError(_("Give an age in years, between 0 and %(max)d.", max=MAX_AGE), field="product_age")
    weight = data.estimated_weight_kg
    if weight is not None and not (0 < weight <= MAX_WEIGHT):
        raise ValidationError(
            _("Give a weight in kg, more than 0 and at most %(max)d.", max=MAX_WEIGHT), field="estimated_weight_kg"
        )
    if weight is None and needs_estimate(category):
        raise ValidationError(
            _("This kind of object has no reference weight: estimate its weight in kg."), field="estimated_weight_kg"
        )
    first_name = _one_line(data.owner_first_name, 80, "owner_first_name")
    email = _one_line(data.owner_email, 254, "owner_email").lower()
    phone = _one_line(data.owner_phone, 40, "owner_phone")
    if email and not EMAIL_RE.match(email):
        raise ValidationError(_("This e-mail address does not look right."), field="owner_email")
    if phone and not PHONE_RE.match(phone):
        raise ValidationError(_("This phone number does not look right."), field="owner_phone")
    if (first_name or email or phone) and not data.owner_consent:
        raise ValidationError(
            _("Keep the owner's details only if they agree: tick the box, or leave their details empty."),
            field="owner_consent",
        )
    cleaned = IntakeFields(
        category_id=category.id,
        problem=problem,
        lab_category=_one_line(data.lab_category, 120, "lab_category"),
        brand=_one_line(data.brand, 80, "brand"),
        model=_one_line(data.model, 80, "model"),
        year_of_manufacture=year,
        product_age=age,
        estimated_weight_kg=weight,
        owner_first_name=first_name,
        owner_email=email,
        owner_phone=phone,
        owner_consent=bool(first_name or email or phone),
        owner_locale=data.owner_locale if data.owner_locale in OWNER_LOCALES else "fr",
    )
    return category, cleaned


def _object_after(ticket: RepairTicket) -> dict:
    after = snapshot(ticket, OBJECT_FIELDS[1:])
    after["repair_category"] = ticket.category.name
    # The owner's details are personal data: the audit log says whether they are kept, never what they are.
    after["owner"] = bool(ticket.owner_first_name or ticket.owner_email or ticket.owner_phone)
    return after


def take_in(actor: User, lab: Lab, data: IntakeFields, *, event: RepairEvent | None = None, photo=None) -> RepairTicket:
    """Take an object in at the desk: a ticket with the territory's next code, received now."""
    if not can_take_in(actor, lab.territory_id):
        raise PermissionDenied(_("Only a lab manager of this territory takes objects in."))
    if not lab.active:
        raise ValidationError(_("This lab is closed."), field="lab_id")
    if event is not None and (event.lab_id != lab.id or event.cancelled_at is not None):
        raise ValidationError(_("Choose an event of this lab that is not cancelled."), field="event_id")
    category, data = _check_intake(data)
    now = utcnow()
    code = issue_code(lab.territory, TICKET_TARGET)
    ticket = RepairTicket(
        code=code.code,
        territory_id=lab.territory_id,
        lab_id=lab.id,
        event_id=event.id if event else None,
        source=TicketSource.DESK,
        status=TicketStatus.RECEIVED,
        event_date=event.day if event else today(),
        category=category,
        lab_category=data.lab_category,
        brand=data.brand,
        model=data.model,
        year_of_manufacture=data.year_of_manufacture,
        product_age=data.product_age,
        estimated_weight_kg=data.estimated_weight_kg,
        problem=data.problem,
        owner_first_name=data.owner_first_name,
        owner_email=data.owner_email,
        owner_phone=data.owner_phone,
        owner_consent_at=now if data.owner_consent else None,
        owner_locale=data.owner_locale,
        received_at=now,
        status_changed_at=now,
        created_by_id=actor.id,
        country="FRA",
    )
    db.session.add(ticket)
    db.session.flush()
    code.target_id = ticket.id
    if photo is not None:
        stored = images.save_image(photo)
        ticket.photo_key, ticket.photo_thumb_key = stored.key, stored.thumb_key
    db.session.add(
        RepairStatusChange(ticket=ticket, to_status=TicketStatus.RECEIVED, changed_at=now, changed_by_id=actor.id)
    )
    db.session.flush()
    after = _object_after(ticket)
    after.update(code=ticket.code, event_id=ticket.event_id, status=ticket.status)
    record(actor, "repair.intake", ticket, after=after, label=ticket.code)
    return ticket


def update_object(actor: User, ticket: RepairTicket, data: IntakeFields, *, photo=None) -> RepairTicket:
    """Correct what was typed at intake (the desk); the owner's details are kept or erased likewise."""
    if not is_desk(actor, ticket.territory_id) or ticket.source != TicketSource.DESK:
        raise PermissionDenied(_("Only a lab manager of this territory changes what was taken in."))
    category, data = _check_intake(data)
    before = _object_after(ticket)
    ticket.category = category
    for name in OBJECT_FIELDS[1:]:
        setattr(ticket, name, getattr(data, name))
    if ticket.owner_erased_at is None:
        if data.owner_consent and ticket.owner_consent_at is None:
            ticket.owner_consent_at = utcnow()
        elif not data.owner_consent:
            ticket.owner_consent_at = None
        ticket.owner_first_name, ticket.owner_email, ticket.owner_phone = (
            data.owner_first_name,
            data.owner_email,
            data.owner_phone,
        )
        ticket.owner_locale = data.owner_locale
    if photo is not None:
        old = [k for k in (ticket.photo_key, ticket.photo_thumb_key) if k]
        stored = images.save_image(photo)
        ticket.photo_key, ticket.photo_thumb_key = stored.key, stored.thumb_key
        if old:
            images.delete_image_after_commit(*old)
    if ticket.outcome == Outcome.FIXED:
        _store_impact(ticket)
    db.session.flush()
    record(actor, "repair.update", ticket, before=before, after=_object_after(ticket), label=ticket.code)
    return ticket


# --- The status machine ---------------------------------------------------------------------------

# Where a ticket may go from each status: forward, skipping steps (a repair café fixes many objects on the spot,
# received then ready), or one step back while the object is in the lab's hands.
TRANSITIONS: dict[TicketStatus, frozenset[TicketStatus]] = {
    TicketStatus.RECEIVED: frozenset(
        {TicketStatus.DIAGNOSED, TicketStatus.IN_REPAIR, TicketStatus.READY, TicketStatus.ABANDONED}
    ),
    TicketStatus.DIAGNOSED: frozenset(
        {TicketStatus.IN_REPAIR, TicketStatus.READY, TicketStatus.RECEIVED, TicketStatus.ABANDONED}
    ),
    TicketStatus.IN_REPAIR: frozenset({TicketStatus.READY, TicketStatus.DIAGNOSED, TicketStatus.ABANDONED}),
    TicketStatus.READY: frozenset({TicketStatus.RETURNED, TicketStatus.IN_REPAIR, TicketStatus.ABANDONED}),
    TicketStatus.RETURNED: frozenset(),
    TicketStatus.ABANDONED: frozenset(),
}


def next_statuses(user: User | None, ticket: RepairTicket) -> list[TicketStatus]:
    """The statuses this user may move the ticket to now, in the machine's order."""
    if not can_repair(user, ticket.territory_id) or ticket.source != TicketSource.DESK:
        return []
    allowed = TRANSITIONS[ticket.status]
    if not can_close(user, ticket.territory_id):
        allowed = allowed - set(CLOSED_STATUSES)
    order = list(TicketStatus)
    here = order.index(ticket.status)
    # Forward first (the likeliest next step is the one offered), then back.
    return sorted((s for s in order if s in allowed), key=lambda s: (order.index(s) < here, order.index(s)))


def change_status(actor: User, ticket: RepairTicket, to_status: TicketStatus | str) -> RepairTicket:
    """Move a ticket one step (dated, by whom, audited); ready and closed need an outcome."""
    try:
        to_status = TicketStatus(to_status)
    except ValueError:
        raise ValidationError(_("Choose a status."), field="status") from None
    if not can_repair(actor, ticket.territory_id):
        raise PermissionDenied(_("Only the lab's team works on its repairs."))
    if to_status in CLOSED_STATUSES and not can_close(actor, ticket.territory_id):
        raise PermissionDenied(_("Only a lab manager gives an object back or abandons a repair."))
    db.session.flush()  # what this request changed on the ticket survives the refresh below
    lock_row(RepairTicket.diagnosis, ticket.id)
    db.session.refresh(ticket)
    if to_status == ticket.status:
        return ticket
    if to_status not in TRANSITIONS[ticket.status]:
        raise Conflict(
            _(
                "A ticket cannot go from “%(from)s” to “%(to)s”.",
                **{"from": ticket.status.label, "to": to_status.label},
            ),
        )
    if to_status in (TicketStatus.READY, *CLOSED_STATUSES) and ticket.outcome is None:
        raise ValidationError(_("Record the outcome of the repair first."), field="outcome")
    now = utcnow()
    before = {"status": ticket.status}
    db.session.add(
        RepairStatusChange(
            ticket=ticket, from_status=ticket.status, to_status=to_status, changed_at=now, changed_by_id=actor.id
        )
    )
    ticket.status = to_status
    ticket.status_changed_at = now
    ticket.closed_at = now if to_status in CLOSED_STATUSES else None
    db.session.flush()
    record(actor, "repair.status", ticket, before=before, after={"status": to_status}, label=ticket.code)
    return ticket


# --- The repair -----------------------------------------------------------------------------------


def _check_open(actor: User, ticket: RepairTicket) -> None:
    if not can_repair(actor, ticket.territory_id):
        raise PermissionDenied(_("Only the lab's team works on its repairs."))
    if not ticket.is_open:
        raise Conflict(_("This ticket is closed."))


def record_notes(actor: User, ticket: RepairTicket, diagnosis: str, work_done: str) -> RepairTicket:
    """Write the diagnosis and what was done."""
    _check_open(actor, ticket)
    before = snapshot(ticket, ("diagnosis", "work_done"))
    ticket.diagnosis = clean_text(diagnosis, field="diagnosis", limit=MAX_TEXT)
    ticket.work_done = clean_text(work_done, field="work_done", limit=MAX_TEXT)
    record(
        actor,
        "repair.notes",
        ticket,
        before=before,
        after=snapshot(ticket, ("diagnosis", "work_done")),
        label=ticket.code,
    )
    return ticket


def record_work(actor: User, ticket: RepairTicket, talent: User | None, minutes: int | None) -> RepairWork:
    """A talent's time on the ticket (a talent records their own; staff record anyone's)."""
    _check_open(actor, ticket)
    if talent is None or talent.role != Role.PARTICIPANT or not talent.active:
        raise ValidationError(_("Choose an active talent."), field="talent_id")
    if not can_record_work_for(actor, talent, ticket.territory_id):
        raise PermissionDenied(_("You record your own time only."))
    if minutes is None or not (0 < minutes <= MAX_MINUTES):
        raise ValidationError(
            _("Give the time spent in minutes, between 1 and %(max)d.", max=MAX_MINUTES), field="minutes"
        )
    work = RepairWork(ticket=ticket, talent_id=talent.id, minutes=minutes, recorded_by_id=actor.id)
    db.session.add(work)
    db.session.flush()
    record(
        actor,
        "repair.work",
        ticket,
        after={"talent_id": talent.id, "minutes": minutes},
        label=ticket.code,
    )
    return work


def take_part(actor: User, ticket: RepairTicket, item: Item | None, quantity: int | None) -> RepairPartUse:
    """Take spare parts from the lab's stock for the ticket: the stock goes down in the same transaction."""
    _check_open(actor, ticket)
    if item is None or item.kind != ItemKind.PART or item.status == ItemStatus.RETIRED:
        raise ValidationError(_("Choose a spare part of the lab's stock."), field="item_id")
    if item.lab_id != ticket.lab_id:
        raise ValidationError(_("This part is kept in another lab."), field="item_id")
    if quantity is None or not (0 < quantity <= MAX_PARTS):
        raise ValidationError(_("Give how many, between 1 and %(max)d.", max=MAX_PARTS), field="quantity")
    # Two people taking the last parts at once: the stock is locked, read again, then checked.
    lock_row(Item.notes, item.id)
    db.session.refresh(item)
    left = item.quantity or 0
    if left < quantity:
        raise Conflict(
            ngettext(
                "Not enough in stock: %(num)d %(name)s left.",
                "Not enough in stock: %(num)d %(name)s left.",
                left,
                name=item.name,
            ),
            field="quantity",
        )
    before = {"quantity": item.quantity}
    item.quantity = left - quantity
    use = RepairPartUse(ticket=ticket, item_id=item.id, quantity=quantity, taken_by_id=actor.id)
    db.session.add(use)
    db.session.flush()
    record(actor, "repair.part", ticket, after={"item_id": item.id, "quantity": quantity}, label=ticket.code)
    record(actor, "update", item, before=before, after={"quantity": item.quantity}, label=f"{item.code} {item.name}")
    return use


def find_tool(text: str) -> Item | None:
    """The item a typed or scanned code names, or None."""
    code = find_code(text or "")
    if code is None or code.target_type != ITEM_TARGET or code.target_id is None:
        return None
    return db.session.get(Item, code.target_id)


def use_tool(actor: User, ticket: RepairTicket, item: Item | None) -> RepairToolUse:
    """A tool of the lab used on the ticket; a talent must hold the skills the tool requires (the lending rule)."""
    _check_open(actor, ticket)
    if item is None or item.territory_id != ticket.territory_id:
        raise ValidationError(_("No tool of this territory has this code."), field="code")
    if item.kind != ItemKind.TOOL or item.status == ItemStatus.RETIRED:
        raise ValidationError(_("%(code)s is not a tool in service.", code=item.code), field="code")
    if has_role(actor, Role.PARTICIPANT):
        decision = may_use_item(actor, item)
        if not decision.allowed:
            raise PermissionDenied(" ".join(reason.message for reason in decision.reasons).strip())
    existing = next((t for t in ticket.tools if t.item_id == item.id), None)
    if existing is not None:
        return existing
    use = RepairToolUse(ticket_id=ticket.id, item_id=item.id, recorded_by_id=actor.id)
    flush_or_conflict(_("This tool is already recorded on the ticket."), "code", new=use)
    db.session.expire(ticket, ["tools"])
    record(actor, "repair.tool", ticket, after={"item_id": item.id}, label=ticket.code)
    return use


# --- The outcome and its impact -------------------------------------------------------------------


def _constants() -> dict[str, Decimal]:
    return dict(db.session.execute(sa.select(ImpactConstant.key, ImpactConstant.value)).all())


def _store_impact(ticket: RepairTicket) -> None:
    """Store on the ticket the Fixometer figures of a Fixed repair, with the values they came from; clear them
    otherwise."""
    category = ticket.category
    if ticket.outcome != Outcome.FIXED:
        ticket.impact_weight_kg = ticket.impact_footprint_kg = ticket.impact_displacement = None
        ticket.waste_prevented_kg = ticket.co2e_prevented_kg = None
        return
    constants = _constants()
    kwargs = {}
    for arg, key in (
        ("displacement", DISPLACEMENT),
        ("powered_ratio", MISC_POWERED_CO2E_PER_KG),
        ("unpowered_ratio", MISC_UNPOWERED_CO2E_PER_KG),
    ):
        if key in constants:
            kwargs[arg] = constants[key]
    result = impact(
        fixed=True,
        powered=category.powered,
        weight_kg=category.weight_kg,
        footprint_kg=category.footprint_kg,
        estimate_kg=ticket.estimated_weight_kg,
        **kwargs,
    ).rounded()
    if not result.counted:
        ticket.impact_weight_kg = ticket.impact_footprint_kg = ticket.impact_displacement = None
        ticket.waste_prevented_kg = ticket.co2e_prevented_kg = None
        return
    footprint = result.footprint_kg if result.footprint_kg is not None else result.weight_kg * result.ratio
    ticket.impact_weight_kg = result.weight_kg
    ticket.impact_footprint_kg = footprint.quantize(KG, ROUND_HALF_UP)
    ticket.impact_displacement = result.displacement
    ticket.waste_prevented_kg = result.waste_kg
    ticket.co2e_prevented_kg = result.co2e_kg


def set_outcome(
    actor: User,
    ticket: RepairTicket,
    outcome: Outcome | str | None,
    *,
    need: RepairableNeed | str | None = None,
    barrier: Barrier | str | None = None,
) -> RepairTicket:
    """The outcome in ORDS terms: Fixed (the impact is stored), Repairable with what it needs, End of life with its
    barrier, or Unknown."""
    _check_open(actor, ticket)
    try:
        outcome = Outcome(outcome)
    except ValueError:
        raise ValidationError(_("Choose the outcome."), field="outcome") from None
    try:
        need = RepairableNeed(need) if need else None
        barrier = Barrier(barrier) if barrier else None
    except ValueError:
        raise ValidationError(_("Choose from the list."), field="outcome") from None
    if outcome == Outcome.END_OF_LIFE and barrier is None:
        raise ValidationError(_("Say what stops the repair (the barrier)."), field="barrier")
    if outcome == Outcome.REPAIRABLE and need is None:
        raise ValidationError(_("Say what the repair would need."), field="repairable_need")
    before = snapshot(ticket, ("outcome", "repairable_need", "barrier", "waste_prevented_kg", "co2e_prevented_kg"))
    ticket.outcome = outcome
    ticket.repairable_need = need if outcome == Outcome.REPAIRABLE else None
    ticket.barrier = barrier if outcome == Outcome.END_OF_LIFE else None
    _store_impact(ticket)
    db.session.flush()
    after = snapshot(ticket, ("outcome", "repairable_need", "barrier", "waste_prevented_kg", "co2e_prevented_kg"))
    record(actor, "repair.outcome", ticket, before=before, after=after, label=ticket.code)
    return ticket
