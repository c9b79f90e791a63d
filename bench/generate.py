"""Generate programme-scale data straight into a fresh database (bulk inserts, not the services: speed)."""

from __future__ import annotations

import random
import secrets
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from repairlab.extensions import db
from repairlab.inventory.codes import format_code
from repairlab.inventory.models import (
    Category,
    Code,
    CodeCounter,
    Condition,
    Item,
    ItemKind,
    ItemStatus,
    Location,
    LocationKind,
)
from repairlab.people.models import Cohort, Lab, Role, Territory, Track, User
from repairlab.people.services import hash_password

TERRITORIES = [("RBX", "Roubaix-Lille"), ("PAR", "Paris-Montreuil"), ("MRS", "Aix-Marseille")]
NAMES = [
    "Perceuse",
    "Multimètre",
    "Fer à souder",
    "Scie sauteuse",
    "Ponceuse",
    "Machine à coudre",
    "Grille-pain",
    "Aspirateur",
    "Lampe",
    "Vélo",
    "Ordinateur portable",
    "Téléphone",
    "Fusibles",
    "Chambre à air",
    "Filament",
]
BENCH_PASSWORD = "bench password 2026"


def _chunks(rows, size=5000):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def generate(items: int, users: int, seed: int = 42) -> dict:
    """Fill an empty schema with territories, labs, places, users and items; return ids the load test uses."""
    rng = random.Random(seed)
    started = time.perf_counter()
    now = datetime.now(UTC)
    territories = []
    for code, name in TERRITORIES:
        t = Territory(code=code, name=name)
        db.session.add(t)
        territories.append(t)
    db.session.flush()
    labs, cohorts = [], []
    for t in territories:
        for n in (1, 2):
            lab = Lab(territory_id=t.id, name=f"Atelier {t.code} {n}")
            db.session.add(lab)
            labs.append(lab)
        cohort = Cohort(
            territory_id=t.id,
            name="Promotion 2026",
            start_date=date(2026, 1, 5),
            end_date=date(2026, 12, 18),
            target_talents=500,
        )
        db.session.add(cohort)
        cohorts.append(cohort)
    parent = Category(name="Outillage", path="Outillage")
    db.session.add(parent)
    db.session.flush()
    categories = [parent]
    for name in ("Perçage", "Électronique", "Couture", "Cycles", "Électroménager"):
        c = Category(name=name, parent_id=parent.id, path=f"Outillage > {name}")
        db.session.add(c)
        categories.append(c)
    db.session.flush()

    counters = {t.id: 0 for t in territories}
    code_rows = []

    def next_code(territory: Territory, target_type: str, target_id: int) -> str:
        counters[territory.id] += 1
        text = format_code(territory.code, counters[territory.id])
        code_rows.append(
            {
                "code": text,
                "territory_id": territory.id,
                "number": counters[territory.id],
                "target_type": target_type,
                "target_id": target_id,
                "created_at": now,
                "assigned_at": now,
            }
        )
        return text

    places_by_lab: dict[int, list[int]] = {}
    next_location_id = 1
    location_rows = []
    for lab in labs:
        territory = next(t for t in territories if t.id == lab.territory_id)
        places_by_lab[lab.id] = []
        for z in range(4):
            zone_id = next_location_id
            next_location_id += 1
            location_rows.append(
                {
                    "id": zone_id,
                    "code": next_code(territory, "location", zone_id),
                    "territory_id": territory.id,
                    "lab_id": lab.id,
                    "parent_id": None,
                    "name": f"Zone {z + 1}",
                    "kind": LocationKind.ZONE.value,
                    "path": f"{lab.name} > Zone {z + 1}",
                    "created_at": now,
                }
            )
            for s in range(5):
                shelf_id = next_location_id
                next_location_id += 1
                location_rows.append(
                    {
                        "id": shelf_id,
                        "code": next_code(territory, "location", shelf_id),
                        "territory_id": territory.id,
                        "lab_id": lab.id,
                        "parent_id": zone_id,
                        "name": f"Étagère {s + 1}",
                        "kind": LocationKind.SHELF.value,
                        "path": f"{lab.name} > Zone {z + 1} > Étagère {s + 1}",
                        "created_at": now,
                    }
                )
                places_by_lab[lab.id].append(shelf_id)
    db.session.execute(sa.insert(Location), location_rows)

    password_hash = hash_password(BENCH_PASSWORD)
    user_rows = []
    for n in range(users):
        territory = territories[n % 3]
        role = Role.LAB_MANAGER if n < 6 else Role.MENTOR if n < 60 else Role.PARTICIPANT
        if n == 0:
            role, territory = Role.ADMIN, None
        user_rows.append(
            {
                "email": f"user{n}@bench.example",
                "full_name": f"Personne {n}",
                "password_hash": password_hash,
                "role": role.value,
                "territory_id": territory.id if territory else None,
                "cohort_id": cohorts[n % 3].id if role == Role.PARTICIPANT else None,
                "track": (Track.EMPLOYMENT if n % 3 else Track.ENTREPRENEURSHIP).value
                if role == Role.PARTICIPANT
                else None,
                "locale": "fr",
                "phone": "",
                "active": True,
                "created_at": now,
                "session_token": secrets.token_hex(16),
            }
        )
    for batch in _chunks(user_rows):
        db.session.execute(sa.insert(User), batch)

    item_rows = []
    for n in range(1, items + 1):
        lab = labs[n % len(labs)]
        territory = next(t for t in territories if t.id == lab.territory_id)
        kind = ItemKind.TOOL if n % 4 else (ItemKind.OBJECT if n % 8 else ItemKind.PART)
        item_rows.append(
            {
                "id": n,
                "code": next_code(territory, "item", n),
                "territory_id": territory.id,
                "lab_id": lab.id,
                "kind": kind.value,
                "name": f"{rng.choice(NAMES)} {n}",
                "category_id": rng.choice(categories).id,
                "location_id": rng.choice(places_by_lab[lab.id]),
                "status": ItemStatus.AVAILABLE.value if n % 10 else ItemStatus.UNDER_REPAIR.value,
                "condition": Condition.GOOD.value,
                "description": "",
                "brand": "Marque",
                "model": f"M{n % 97}",
                "serial_number": f"SN{n:08d}",
                "value": None,
                "acquired_on": date(2025, 1, 1) + timedelta(days=n % 300),
                "source": None,
                "manual_url": "",
                "safety_notes": "Lunettes obligatoires." if n % 5 == 0 else "",
                "notes": "",
                "quantity": 10 if kind == ItemKind.PART else None,
                "low_stock_threshold": 2 if kind == ItemKind.PART else None,
                "created_at": now,
                "updated_at": now,
            }
        )
    for batch in _chunks(item_rows):
        db.session.execute(sa.insert(Item), batch)
    for batch in _chunks(code_rows):
        db.session.execute(sa.insert(Code), batch)
    db.session.execute(sa.insert(CodeCounter), [{"territory_id": k, "last_number": v} for k, v in counters.items()])
    db.session.commit()
    # The load test scans items of the talent's own territory, as a talent in a lab would.
    home = [(r["code"], r["id"]) for r in item_rows if r["territory_id"] == territories[0].id]
    rng.shuffle(home)
    return {
        "seconds": time.perf_counter() - started,
        "scan_targets": home[:2000],
        "talent_email": next(
            r["email"]
            for r in user_rows
            if r["role"] == Role.PARTICIPANT.value and r["territory_id"] == territories[0].id
        ),
        "manager_email": next(
            r["email"]
            for r in user_rows
            if r["role"] == Role.LAB_MANAGER.value and r["territory_id"] == territories[0].id
        ),
    }
