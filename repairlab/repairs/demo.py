"""Demo repairs: three past Repair Cafés per lab with everyday French objects, about 70 % of them fixed (as repair
cafés report), the talents' minutes, spare parts from the lab's stock, and a few tickets open today.

Everything goes through the services (events, intake, the status machine, work, parts, the outcome and its
Fixometer impact), so the demo obeys the same rules as the desk; only the instants are then moved back to the
event's afternoon, as if the tickets had been recorded that day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import Flask

from repairlab import clock
from repairlab.demo import DemoContext, demo_seeders
from repairlab.extensions import db
from repairlab.inventory.models import Item, ItemKind
from repairlab.people.models import Lab, Role, User
from repairlab.repairs import events, tickets
from repairlab.repairs.models import (
    Barrier,
    DutyRole,
    Outcome,
    RepairableNeed,
    RepairCategory,
    RepairTicket,
    TicketStatus,
)

_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


@dataclass(frozen=True)
class DemoObject:
    """An object residents bring in: the lab's own name for it, its ORDS category, brand, model, the problem as the
    owner says it, a weight estimate where the category has none, and the spare part a repair may take."""

    lab_category: str
    category: str
    brand: str
    model: str
    problem: str
    diagnosis: str
    work_done: str
    estimate: str | None = None
    part: str | None = None  # the start of a spare part's name in the lab's stock


OBJECTS = (
    DemoObject(
        "Grille-pain",
        "Toaster",
        "Moulinex",
        "Subito",
        "Ne chauffe plus d’un côté.",
        "Résistance dessoudée.",
        "Résistance ressoudée.",
    ),
    DemoObject(
        "Cafetière",
        "Coffee maker",
        "Seb",
        "Filtra",
        "Le café coule à côté.",
        "Joint du réservoir durci.",
        "Joint remplacé, détartrage.",
    ),
    DemoObject(
        "Lampe de chevet",
        "Lamp",
        "Ikea",
        "Lampan",
        "Ne s’allume plus.",
        "Interrupteur à bascule cassé.",
        "Interrupteur changé.",
    ),
    DemoObject(
        "Vélo de ville",
        "Bicycle",
        "Peugeot",
        "LR01",
        "Freine mal à l’arrière.",
        "Patins usés.",
        "Patins changés, câble retendu.",
        estimate="14",
        part="Patins de frein",
    ),
    DemoObject(
        "Aspirateur",
        "Vacuum",
        "Rowenta",
        "Compact Power",
        "S’arrête au bout de deux minutes.",
        "Sécurité thermique qui déclenche : filtre bouché.",
        "Filtres nettoyés.",
    ),
    DemoObject(
        "Sèche-cheveux",
        "Hair dryer",
        "Babyliss",
        "2000W",
        "Souffle froid.",
        "Fusible thermique grillé.",
        "Fusible remplacé.",
        part="Fusibles",
    ),
    DemoObject(
        "Bouilloire",
        "Kettle",
        "Philips",
        "HD9350",
        "Ne coupe plus à l’ébullition.",
        "Thermostat bloqué.",
        "Thermostat nettoyé.",
    ),
    DemoObject(
        "Radio-réveil",
        "Watch/clock",
        "Philips",
        "AJ3115",
        "L’écran reste noir.",
        "Condensateur gonflé.",
        "Condensateur remplacé.",
        part="Fil d",
    ),
    DemoObject(
        "Fer à repasser",
        "Iron",
        "Calor",
        "Easygliss",
        "Fuit par la semelle.",
        "Calcaire dans la chambre à vapeur.",
        "Détartré.",
    ),
    DemoObject(
        "Lecteur CD",
        "Hi-Fi separates",
        "Sony",
        "CDP-XE270",
        "Ne lit plus les disques.",
        "Courroie du tiroir détendue.",
        "Courroie changée.",
    ),
    DemoObject(
        "Pantalon",
        "Textile",
        "",
        "",
        "Fermeture éclair cassée.",
        "Curseur tordu.",
        "Fermeture remplacée.",
        estimate="0.5",
        part="Bobines",
    ),
    DemoObject(
        "Mixeur plongeant",
        "Food processor",
        "Braun",
        "Minipimer",
        "Le moteur tourne mais pas la lame.",
        "Accouplement en plastique cassé.",
        "Pièce imprimée en 3D.",
    ),
)
# Ten outcomes, shuffled per lab: seven fixed, two repairable, one at its end of life (70 % fixed).
OUTCOMES = (Outcome.FIXED,) * 7 + (Outcome.REPAIRABLE,) * 2 + (Outcome.END_OF_LIFE,)
OWNERS = (("Martine", "martine.d@example.org"), ("Jean-Pierre", ""), ("Nadia", "nadia@example.org"), ("", ""))
EVENTS_AGO = (63, 35, 14)  # days before today
TICKETS_PER_EVENT = 7


def register(app: Flask) -> None:
    """Run after the inventory, people and lending seeders (the labs, staff, talents and parts exist)."""
    demo_seeders.register("repairs", seed_repairs, order=50)


def seed_repairs(ctx: DemoContext) -> None:
    """Past repair events with their tickets in every lab, then a few tickets open today."""
    categories = {c.name: c for c in db.session.scalars(sa.select(RepairCategory))}
    for lab in db.session.scalars(sa.select(Lab).where(Lab.active).order_by(Lab.id)):
        manager = db.session.scalar(
            sa.select(User)
            .where(User.role == Role.LAB_MANAGER, User.territory_id == lab.territory_id, User.active)
            .order_by(User.id)
            .limit(1)
        )
        talents = list(
            db.session.scalars(
                sa.select(User)
                .where(User.role == Role.PARTICIPANT, User.territory_id == lab.territory_id, User.active)
                .order_by(User.id)
            )
        )
        if manager is None or len(talents) < 3:
            continue
        _seed_lab(lab, manager, talents, categories)


def _seed_lab(lab: Lab, manager: User, talents: list[User], categories) -> None:
    # A generator of its own: the shared one's sequence, which later seeders draw from, stays as it was.
    rng = random.Random(f"repairs-{lab.id}")
    outcomes: list[Outcome] = []
    while len(outcomes) < len(EVENTS_AGO) * TICKETS_PER_EVENT:
        batch = list(OUTCOMES)
        rng.shuffle(batch)
        outcomes += batch
    today = clock.today()
    n = 0
    for ago in EVENTS_AGO:
        day = today - timedelta(days=ago)
        on_duty = rng.sample(talents, 3)
        event = events.create_event(
            manager,
            lab,
            events.EventFields(
                title=f"Repair Café de {_MONTHS[day.month - 1]}",
                day=day,
                starts_at=time(14),
                ends_at=time(18),
                notes="Apportez vos objets en panne : on les répare ensemble.",
                staff=[(t.id, DutyRole.TALENT) for t in on_duty],
            ),
        )
        for slot in range(TICKETS_PER_EVENT):
            obj = OBJECTS[(n + lab.id) % len(OBJECTS)]
            start = clock.start_of_day(day) + timedelta(hours=14, minutes=20 * slot)
            ticket = _take_in(manager, lab, obj, categories, event=event, owner=OWNERS[n % len(OWNERS)])
            who = on_duty[slot % 3 :][:2] if slot % 4 else on_duty[:1]
            _repair(manager, ticket, obj, who=who, outcome=outcomes[n], rng=rng)
            _close(manager, ticket)
            _date(ticket, start)
            n += 1
    _open_today(manager, lab, talents, categories)


def _take_in(manager: User, lab: Lab, obj: DemoObject, categories, *, event=None, owner=("", "")) -> RepairTicket:
    first_name, email = owner
    return tickets.take_in(
        manager,
        lab,
        tickets.IntakeFields(
            category_id=categories[obj.category].id,
            problem=obj.problem,
            lab_category=obj.lab_category,
            brand=obj.brand,
            model=obj.model,
            estimated_weight_kg=Decimal(obj.estimate) if obj.estimate else None,
            owner_first_name=first_name,
            owner_email=email,
            owner_consent=bool(first_name or email),
        ),
        event=event,
    )


def _repair(manager: User, ticket: RepairTicket, obj: DemoObject, *, who: list[User], outcome: Outcome, rng) -> None:
    """Diagnose, repair (the talents' minutes, a spare part for some fixed objects) and set the outcome."""
    tickets.change_status(manager, ticket, TicketStatus.DIAGNOSED)
    tickets.change_status(manager, ticket, TicketStatus.IN_REPAIR)
    fixed = outcome == Outcome.FIXED
    tickets.record_notes(manager, ticket, obj.diagnosis, obj.work_done if fixed else "")
    for talent in who:
        tickets.record_work(manager, ticket, talent, rng.choice((15, 20, 30, 45, 60)))
    if fixed and obj.part:
        part = db.session.scalar(
            sa.select(Item)
            .where(
                Item.lab_id == ticket.lab_id,
                Item.kind == ItemKind.PART,
                Item.name.startswith(obj.part),
                Item.quantity > 0,
            )
            .limit(1)
        )
        if part is not None:
            tickets.take_part(manager, ticket, part, 1)
    if outcome == Outcome.REPAIRABLE:
        tickets.set_outcome(manager, ticket, outcome, need=rng.choice(list(RepairableNeed)))
    elif outcome == Outcome.END_OF_LIFE:
        tickets.set_outcome(manager, ticket, outcome, barrier=rng.choice(list(Barrier)))
    else:
        tickets.set_outcome(manager, ticket, outcome)


def _close(manager: User, ticket: RepairTicket) -> None:
    tickets.change_status(manager, ticket, TicketStatus.READY)
    tickets.change_status(manager, ticket, TicketStatus.RETURNED)


def _date(ticket: RepairTicket, start: datetime) -> None:
    """Move the ticket's instants back to its event's afternoon, a few minutes apart, in order."""
    instants = [start + timedelta(minutes=5 * k) for k in range(len(ticket.changes) + 1)]
    ticket.received_at = ticket.created_at = start
    for change, at in zip(ticket.changes, instants, strict=False):
        change.changed_at = at
    for work in ticket.work:
        work.recorded_at = instants[-2]
    for use in ticket.parts:
        use.taken_at = instants[-2]
    ticket.status_changed_at = instants[len(ticket.changes) - 1]
    if ticket.closed_at is not None:
        ticket.closed_at = ticket.status_changed_at
    db.session.flush()


def _open_today(manager: User, lab: Lab, talents: list[User], categories) -> None:
    """Three tickets still in the lab: one just taken in, one in repair for three weeks, one ready to collect."""
    now = clock.utcnow()
    _take_in(manager, lab, OBJECTS[(lab.id + 2) % len(OBJECTS)], categories, owner=OWNERS[0])
    stale = _take_in(manager, lab, OBJECTS[(lab.id + 5) % len(OBJECTS)], categories, owner=OWNERS[2])
    tickets.change_status(manager, stale, TicketStatus.DIAGNOSED)
    tickets.change_status(manager, stale, TicketStatus.IN_REPAIR)
    tickets.record_work(manager, stale, talents[0], 30)
    ready = _take_in(manager, lab, OBJECTS[(lab.id + 7) % len(OBJECTS)], categories, owner=OWNERS[1])
    tickets.change_status(manager, ready, TicketStatus.IN_REPAIR)
    tickets.record_work(manager, ready, talents[1], 40)
    tickets.set_outcome(manager, ready, Outcome.FIXED)
    tickets.change_status(manager, ready, TicketStatus.READY)
    _date(stale, now - timedelta(days=21))
    stale.event_date = clock.today() - timedelta(days=21)
    _date(ready, now - timedelta(days=3))
    ready.event_date = clock.today() - timedelta(days=3)
    db.session.flush()
