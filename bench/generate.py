"""Generate programme-scale data straight into a fresh database (bulk inserts, not the services: speed)."""

from __future__ import annotations

import math
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from decimal import Decimal

import sqlalchemy as sa

from repairlab import clock
from repairlab.extensions import db
from repairlab.inventory.codes import format_code
from repairlab.inventory.models import SEARCH_INDEX as ITEMS_SEARCH
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
from repairlab.lending.maintenance.models import MaintenancePlan
from repairlab.lending.models import Loan, LoanKind
from repairlab.people.models import SEARCH_INDEX as PEOPLE_SEARCH
from repairlab.people.models import Cohort, Lab, Role, Territory, Track, User
from repairlab.people.services import hash_password
from repairlab.programme.models import (
    EXIT_SUBTYPES,
    ActivityKind,
    ActivitySession,
    AgeBand,
    AttendanceMethod,
    CohortPeriod,
    DiplomaLevel,
    Evidence,
    ExitCategory,
    ExitFollowUp,
    PathEvent,
    PathEventKind,
    PeriodTerritoryTarget,
    ProgrammePeriod,
    ResidenceArea,
    SessionAttendance,
    TalentExit,
    TalentIntake,
)
from repairlab.projects.models import (
    ActionItem,
    FigureEntry,
    MemberRole,
    MentorSession,
    Metric,
    Milestone,
    Project,
    ProjectMember,
    ProjectStage,
    ProjectStatus,
    Sector,
    StageChange,
)
from repairlab.projects.prototypes.models import (
    Prototype,
    PrototypeItem,
    PrototypeSkill,
    PrototypeStatus,
    PrototypeVersion,
)
from repairlab.repairs import impact as fixometer
from repairlab.repairs.models import SEARCH_INDEX as TICKETS_SEARCH
from repairlab.repairs.models import (
    Barrier,
    Outcome,
    RepairCategory,
    RepairEvent,
    RepairStatusChange,
    RepairTicket,
    RepairWork,
    TicketStatus,
)
from repairlab.repairs.reference import ensure_reference_data
from repairlab.repairs.tickets import TICKET_TARGET
from repairlab.skills.catalogue import normalise_name
from repairlab.skills.models import Skill, SkillDomain, SkillValidation, ValidationKind, ValidationStatus

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
STAGES = ["Idée", "Exploration", "Prototypage", "Test avec des utilisateurs", "Préparation du lancement", "Lancé"]
# Share of projects at each stage (idea first): most projects are early, some launched.
STAGE_WEIGHTS = [22, 20, 20, 16, 12, 10]
SKILLS = {
    "Électronique": [
        "Souder des composants traversants",
        "Mesurer au multimètre",
        "Diagnostiquer une alimentation",
        "Remplacer un écran de téléphone",
    ],
    "Cycles et mobilité": ["Régler des freins de vélo", "Changer une chambre à air", "Dévoiler une roue"],
    "Textile et couture": ["Coudre à la machine", "Poser une fermeture éclair", "Retoucher un vêtement"],
    "Bois et ameublement": ["Poncer et vernir un meuble", "Utiliser une scie sauteuse", "Assembler un meuble"],
    "Entrepreneuriat": ["Calculer un prix de revient", "Présenter son projet en trois minutes", "Tenir une caisse"],
}
# (sector, name, offer, customers, pricing, prototypes)
IDEAS = [
    (
        Sector.BIKES,
        "Vélo Solidaire",
        "Vélos reconditionnés et entretien à domicile",
        "Salariés qui vont au travail à vélo, étudiants",
        "Révision 35 €, vélo reconditionné dès 120 €",
        ["Remorque de livraison", "Kit d'entretien nomade"],
    ),
    (
        Sector.PHONES,
        "Répar'Phone",
        "Réparation de téléphones et d'ordinateurs sur les marchés",
        "Habitants du quartier, associations",
        "Écran 49 €, batterie 29 €",
        ["Stand pliant de réparation", "Banc de test de batteries"],
    ),
    (
        Sector.TEXTILE,
        "Fil à Fil",
        "Retouches et vêtements upcyclés",
        "Particuliers, boutiques de seconde main",
        "Ourlet 8 €, pièce unique dès 25 €",
        ["Sac en chutes de jean", "Veste réversible"],
    ),
    (
        Sector.FURNITURE,
        "Bois Joli",
        "Meubles restaurés et mobilier en bois de récupération",
        "Jeunes ménages, tiers-lieux",
        "Table basse 90 €, chaise restaurée 40 €",
        ["Étagère modulable", "Tabouret empilable"],
    ),
    (
        Sector.APPLIANCES,
        "Second Souffle",
        "Petit électroménager réparé avec garantie six mois",
        "Familles, bailleurs sociaux",
        "Diagnostic 15 €, appareil reconditionné dès 30 €",
        ["Banc de diagnostic", "Atelier mobile"],
    ),
    (
        Sector.ELECTRONICS,
        "Lumière Retrouvée",
        "Lampes et enceintes réparées ou recréées",
        "Cafés, particuliers",
        "Lampe 45 €, enceinte 70 €",
        ["Lampe en matériaux de réemploi", "Enceinte bluetooth en bois"],
    ),
    (
        Sector.RECYCLING,
        "Pièces Détachées Solidaires",
        "Récupération et vente de pièces détachées testées",
        "Repair cafés, réparateurs indépendants",
        "Pièce testée de 2 à 20 €",
        ["Bac de tri étiqueté", "Catalogue en ligne"],
    ),
]
FIRST_NAMES = ["Amina", "Karim", "Sofia", "Yanis", "Léa", "Moussa", "Inès", "Thomas", "Fatou", "Hugo", "Nadia", "Omar"]
LAST_NAMES = ["Benali", "Martin", "Diallo", "Lefebvre", "Nguyen", "Moreau", "Traoré", "Garcia", "Petit", "Haddad"]


def _chunks(rows, size=5000):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class World:
    """What the generators of each part share: the random source, the clock, the territories and the people."""

    rng: random.Random
    now: datetime
    today: date
    territories: list[Territory]
    cohorts: list[Cohort]
    people: dict[tuple[int | None, str], list[int]]
    tools_by_territory: dict[int, list[int]]
    next_code: Callable[[Territory, str, int], str]

    def staff(self, territory_id: int, role: Role) -> list[int]:
        """Ids of the territory's users of a role (the admin when there is none, with tiny user counts)."""
        return self.people.get((territory_id, role.value)) or [1]


def _insert(model, rows: list[dict]) -> None:
    for batch in _chunks(rows):
        db.session.execute(sa.insert(model), batch)


def generate(
    items: int,
    users: int,
    *,
    loans: int = 200_000,
    open_loans: int = 3000,
    projects: int = 1000,
    repairs: int = 0,
    seed: int = 42,
) -> dict:
    """Fill an empty schema at programme scale (territories, labs, places, users, items, skills, loans, projects,
    repair tickets).

    Return the ids and accounts the load test uses, the counts, and the generation time of each part.
    """
    rng = random.Random(seed)
    started = time.perf_counter()
    phases: dict[str, float] = {}
    mark = [started]

    def phase(name: str) -> None:
        now_ = time.perf_counter()
        phases[name] = round(now_ - mark[0], 2)
        mark[0] = now_

    now = datetime.now(UTC)
    today = clock.today(now)
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
    territory_by_id = {t.id: t for t in territories}

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
        territory = territory_by_id[lab.territory_id]
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
                "id": n + 1,
                "email": f"user{n}@bench.example",
                "full_name": f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[n // 7 % len(LAST_NAMES)]} {n}",
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
    _insert(User, user_rows)
    people: dict[tuple[int, str], list[int]] = {}
    for r in user_rows:
        people.setdefault((r["territory_id"], r["role"]), []).append(r["id"])

    phase("users")

    item_rows = []
    for n in range(1, items + 1):
        lab = labs[n % len(labs)]
        territory = territory_by_id[lab.territory_id]
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
    tools = [r for r in item_rows if r["kind"] == ItemKind.TOOL.value]
    tools_by_territory: dict[int, list[int]] = {}
    for r in tools:
        tools_by_territory.setdefault(r["territory_id"], []).append(r["id"])

    # Loans: the open ones first (they decide which tools are on loan), then the history.
    w = World(rng, now, today, territories, cohorts, people, tools_by_territory, next_code)
    loan_rows = _loans(w, tools, loans, open_loans)
    phase("items and loans built")
    _insert(Item, item_rows)
    phase("items inserted")
    _insert(Loan, loan_rows)
    phase("loans inserted")
    _insert(MaintenancePlan, _maintenance(w, tools))

    skill_ids = _skills(now)
    project_info = _projects(w, skill_ids, projects)
    phase("skills and projects")
    repair_info = _repairs(w, labs, repairs)
    phase("repairs")
    path_info = _paths(w, labs)
    phase("programme paths")

    _insert(Code, code_rows)
    db.session.execute(sa.insert(CodeCounter), [{"territory_id": k, "last_number": v} for k, v in counters.items()])
    db.session.commit()
    phase("codes and commit")
    if db.engine.dialect.name == "sqlite":
        # Bulk inserts leave each text index in many small segments; a database that has lived has them merged (FTS5
        # merges as rows come). Merge them once, as `optimize` does, so that searches are measured as in use.
        for index in (ITEMS_SEARCH, TICKETS_SEARCH, PEOPLE_SEARCH):
            db.session.execute(sa.text(f"INSERT INTO {index.name} ({index.name}) VALUES ('optimize')"))
        db.session.commit()
        phase("text indexes merged")
    # The load test scans items of the talent's own territory, as a talent in a lab would.
    home = [(r["code"], r["id"]) for r in item_rows if r["territory_id"] == territories[0].id]
    rng.shuffle(home)
    open_rows = [r for r in loan_rows if r["returned_at"] is None]
    home_open = [r for r in open_rows if r["territory_id"] == territories[0].id]
    overdue_before = clock.end_of_day(today - timedelta(days=1))
    return {
        "seconds": time.perf_counter() - started,
        "phases": phases,
        "counts": {
            "items": items,
            "users": users,
            "loans": len(loan_rows),
            "open_loans": len(open_rows),
            "overdue_loans": sum(1 for r in open_rows if r["due_at"] <= overdue_before),
            "desk_open_loans": len(home_open),
            "desk_overdue_loans": sum(1 for r in home_open if r["due_at"] <= overdue_before),
            **project_info["counts"],
            "repairs": repair_info["repairs"],
            "open_repairs": repair_info["open_repairs"],
            "repair_events": repair_info["repair_events"],
            "territory_repairs": repair_info.get("territory_repairs", 0),
            **path_info,
        },
        "repair_targets": repair_info["repair_targets"],
        "repair_territory": repair_info.get("repair_territory"),
        "scan_targets": home[:2000],
        "admin_email": user_rows[0]["email"],
        "talent_email": user_rows[w.staff(territories[0].id, Role.PARTICIPANT)[0] - 1]["email"],
        "manager_email": user_rows[w.staff(territories[0].id, Role.LAB_MANAGER)[0] - 1]["email"],
        "mentor_email": user_rows[project_info["board_mentor"] - 1]["email"],
        "mentor_id": project_info["board_mentor"],
        "board_projects": project_info["board_projects"],
    }


def _loans(w: World, tools: list[dict], total: int, open_wanted: int) -> list[dict]:
    """`total` loans: a few thousand open (some overdue, some due today), the rest returned, spread over the tools
    and talents of each territory; at most one open loan per item, and an item's loans never overlap in time."""
    rng, now, today = w.rng, w.now, w.today
    rows: list[dict] = []
    if not tools or total <= 0:
        return rows
    available = [r for r in tools if r["status"] == ItemStatus.AVAILABLE.value]
    n_open = min(open_wanted, total, len(available) // 5)
    for item in rng.sample(available, n_open):
        draw = rng.random()
        if draw < 0.12:  # overdue by 1 to 20 days
            due = clock.end_of_day(today - timedelta(days=rng.randint(1, 20)))
            kind = LoanKind.TAKE_HOME
            started_at = due - timedelta(days=rng.randint(3, 14))
        elif draw < 0.22:  # due today: in the lab, or brought back tonight
            due = clock.end_of_day(today)
            kind = LoanKind.IN_LAB if draw < 0.18 else LoanKind.TAKE_HOME
            started_at = now - timedelta(hours=rng.randint(1, 6)) if kind == LoanKind.IN_LAB else now - timedelta(7)
        else:
            due = clock.end_of_day(today + timedelta(days=rng.randint(1, 21)))
            kind = LoanKind.TAKE_HOME
            started_at = now - timedelta(days=rng.randint(0, 10), hours=rng.randint(0, 8))
        rows.append(_loan_row(w, item, kind, started_at=started_at, due_at=due, returned_at=None))
        item["status"] = ItemStatus.ON_LOAN.value
    # The history: loan k of a tool falls in its k-th time slot, all before the open loans (which started at most
    # 34 days ago): a year ending 40 days ago.
    history = total - n_open
    slots = math.ceil(history / len(tools))
    window_start = now - timedelta(days=404)
    slot = timedelta(days=364) / slots
    for n in range(history):
        item = tools[n % len(tools)]
        start = window_start + slot * (n // len(tools)) + slot * rng.random() * 0.2
        if rng.random() < 0.6:
            kind, planned = LoanKind.IN_LAB, timedelta(hours=rng.randint(1, 6))
            due = start + planned
        else:
            kind, planned = LoanKind.TAKE_HOME, min(slot * 0.6, timedelta(days=rng.randint(2, 14)))
            due = start + planned
        # One loan in ten comes back late (still inside the slot).
        returned = start + (planned * rng.uniform(1.0, 1.3) if rng.random() < 0.1 else planned * rng.uniform(0.3, 1))
        rows.append(_loan_row(w, item, kind, started_at=start, due_at=due, returned_at=returned))
    return rows


def _loan_row(w: World, item: dict, kind: LoanKind, *, started_at, due_at, returned_at) -> dict:
    territory_id = item["territory_id"]
    manager = w.rng.choice(w.staff(territory_id, Role.LAB_MANAGER))
    borrowers = w.people.get((territory_id, Role.PARTICIPANT.value)) or [manager]
    late = returned_at is not None and returned_at > due_at
    return {
        "item_id": item["id"],
        "territory_id": territory_id,
        "borrower_id": w.rng.choice(borrowers),
        "lent_by_id": manager,
        "kind": kind.value,
        "started_at": started_at,
        "due_at": due_at,
        "returned_at": returned_at,
        "returned_to_id": manager if returned_at is not None else None,
        "return_condition": None if returned_at is None else Condition.GOOD.value,
        "return_note": "Rendu avec du retard, pile usée." if late else "",
        "override_reason": "",
        "created_at": started_at,
    }


def _maintenance(w: World, tools: list[dict]) -> list[dict]:
    """Maintenance plans on one tool in a hundred, a third of them due."""
    rng, now, today = w.rng, w.now, w.today
    rows = []
    for item in tools[::100]:
        rows.append(
            {
                "item_id": item["id"],
                "territory_id": item["territory_id"],
                "what": rng.choice(["Révision annuelle", "Contrôle électrique", "Affûtage", "Graissage"]),
                "due_on": today + timedelta(days=rng.randint(-30, 60)),
                "every_days": rng.choice([90, 180, 365]),
                "last_done_on": None,
                "created_by_id": w.staff(item["territory_id"], Role.LAB_MANAGER)[0],
                "created_at": now,
            }
        )
    return rows


def _skills(now) -> list[int]:
    """The skills catalogue; return the skill ids."""
    ids = []
    for position, (domain_name, names) in enumerate(SKILLS.items()):
        domain = SkillDomain(name=domain_name, name_key=normalise_name(domain_name), position=position)
        db.session.add(domain)
        db.session.flush()
        for name in names:
            skill = Skill(domain_id=domain.id, name=name, name_key=normalise_name(name))
            db.session.add(skill)
            db.session.flush()
            ids.append(skill.id)
    return ids


def _projects(w: World, skill_ids: list[int], count: int) -> dict:
    """`count` projects over the territories, at the six stages, with teams, mentors, milestones, sessions with
    action items, stage history, figures, and prototypes with versions, skills and tools; validated skills for
    the teams."""
    rng, now, today, territories, cohorts, people = w.rng, w.now, w.today, w.territories, w.cohorts, w.people
    staff, tools_by_territory, next_code = w.staff, w.tools_by_territory, w.next_code
    stage_ids = []
    for position, name in enumerate(STAGES, start=1):
        stage = ProjectStage(name=name, description="", position=position, active=True, created_at=now)
        db.session.add(stage)
        db.session.flush()
        stage_ids.append(stage.id)
    rows: dict[str, list[dict]] = {
        k: []
        for k in (
            "projects",
            "members",
            "changes",
            "milestones",
            "sessions",
            "actions",
            "figures",
            "prototypes",
            "versions",
            "proto_skills",
            "proto_items",
            "validations",
        )
    }
    ids = dict.fromkeys(rows, 0)

    def new_id(kind: str) -> int:
        ids[kind] += 1
        return ids[kind]

    # Talents join one project at most (while there are enough); entrepreneurship-track talents first.
    pools = {}
    for t in territories:
        talents = list(people.get((t.id, Role.PARTICIPANT.value), []))
        rng.shuffle(talents)
        pools[t.id] = talents
    board_territory = territories[0]
    board_mentor = staff(board_territory.id, Role.MENTOR)[0]
    board_projects = 0
    validated: set[tuple[int, int]] = set()
    for n in range(count):
        territory = territories[n % len(territories)]
        cohort = cohorts[n % len(territories)]
        pid = new_id("projects")
        stage_index = rng.choices(range(len(STAGES)), weights=STAGE_WEIGHTS)[0]
        sector, base, offer, customers, pricing, prototype_names = IDEAS[n % len(IDEAS)]
        start = date(2026, 1, 12) + timedelta(days=rng.randint(0, 120))
        status = ProjectStatus.LAUNCHED if stage_index == len(STAGES) - 1 else ProjectStatus.ACTIVE
        if status == ProjectStatus.ACTIVE:
            draw = rng.random()
            status = ProjectStatus.PAUSED if draw < 0.08 else ProjectStatus.STOPPED if draw < 0.12 else status
        changed = now - timedelta(days=rng.randint(1, 60))
        rows["projects"].append(
            {
                "id": pid,
                "code": next_code(territory, "project", pid),
                "territory_id": territory.id,
                "cohort_id": cohort.id,
                "name": f"{base} {n + 1}",
                "pitch": f"{offer}, à {territory.name.split('-')[0]}.",
                "sector": sector.value,
                "offer": offer,
                "customers": customers,
                "pricing": pricing,
                "stage_id": stage_ids[stage_index],
                "stage_changed_at": changed,
                "status": status.value,
                "stop_reason": "L'équipe a trouvé un emploi salarié." if status == ProjectStatus.STOPPED else "",
                "start_date": start,
                "board_position": n // len(territories),
                "created_at": datetime.combine(start, datetime.min.time(), tzinfo=UTC),
                "updated_at": changed,
            }
        )
        pool = pools[territory.id]
        team = [pool.pop() for _ in range(min(rng.randint(1, 3), len(pool)))] or [
            rng.choice(people.get((territory.id, Role.PARTICIPANT.value)) or [1])
        ]
        mentor_pool = staff(territory.id, Role.MENTOR)
        mentors = rng.sample(mentor_pool, min(rng.randint(1, 2), len(mentor_pool)))
        board_projects += board_mentor in mentors
        for user_id, role in [(u, MemberRole.TEAM) for u in team] + [(m, MemberRole.MENTOR) for m in mentors]:
            rows["members"].append(
                {
                    "id": new_id("members"),
                    "project_id": pid,
                    "user_id": user_id,
                    "role": role.value,
                    "joined_on": start,
                    "created_at": now,
                }
            )
        # Stage history: created at the first stage, then one move per stage reached.
        for s in range(stage_index + 1):
            rows["changes"].append(
                {
                    "id": new_id("changes"),
                    "project_id": pid,
                    "from_stage_id": stage_ids[s - 1] if s else None,
                    "to_stage_id": stage_ids[s],
                    "note": "Projet créé." if s == 0 else f"Passage à l'étape « {STAGES[s]} » validé en session.",
                    "changed_by_id": mentors[0],
                    "changed_at": changed - timedelta(days=20 * (stage_index - s)),
                }
            )
        # Milestones before the project's stage are done; the next ones are ahead, and one project in five is
        # late on its next milestone.
        late = rng.random() < 0.2
        for m in range(rng.randint(2, 4)):
            ahead = m - stage_index
            if ahead < 0:
                due = today + timedelta(days=30 * ahead - rng.randint(0, 10))
                done = due - timedelta(days=rng.randint(0, 5))
            else:
                due = today + timedelta(days=30 * ahead + rng.randint(5, 25))
                if ahead == 0 and late:
                    due = today - timedelta(days=rng.randint(1, 20))
                done = None
            rows["milestones"].append(
                {
                    "id": new_id("milestones"),
                    "project_id": pid,
                    "title": ["Étude de marché", "Premier prototype", "Dix clients test", "Statut juridique"][m],
                    "description": "",
                    "due_on": due,
                    "done_on": done,
                    "created_by_id": mentors[0],
                    "created_at": now,
                }
            )
        sessions = rng.randint(2, 5)
        for s in range(sessions):
            sid = new_id("sessions")
            held = today - timedelta(days=14 * (sessions - s) + rng.randint(0, 4))
            rows["sessions"].append(
                {
                    "id": sid,
                    "project_id": pid,
                    "mentor_id": rng.choice(mentors),
                    "held_on": held,
                    "duration_minutes": rng.choice([30, 45, 60, 90]),
                    "notes": "Point sur les ventes et le prototype. L'équipe a rencontré deux clients.",
                    "decisions": "Fixer le prix de la prestation avant la prochaine session.",
                    "private": rng.random() < 0.2,
                    "created_at": now,
                }
            )
            for a in range(rng.randint(1, 2)):
                done = s < sessions - 1 and rng.random() < 0.7
                rows["actions"].append(
                    {
                        "id": new_id("actions"),
                        "project_id": pid,
                        "session_id": sid,
                        "text": ["Appeler trois clients potentiels", "Chiffrer le coût des matériaux"][a],
                        "owner_id": rng.choice(team),
                        "due_on": held + timedelta(days=14),
                        "done_at": now - timedelta(days=rng.randint(1, 10)) if done else None,
                        "closed_in_session_id": None,
                        "created_at": now,
                    }
                )
        if stage_index >= 4:
            for month in range(1, rng.randint(2, 4)):
                rows["figures"].append(
                    {
                        "id": new_id("figures"),
                        "project_id": pid,
                        "metric": Metric.REVENUE.value,
                        "recorded_on": date(2026, month, 28),
                        "value": Decimal(rng.randint(200, 3000)),
                        "note": "",
                        "recorded_by_id": mentors[0],
                        "created_at": now,
                    }
                )
        # No prototype at the idea stage, one for two projects in three when exploring, one while prototyping,
        # two from user tests on.
        n_prototypes = [0, 1 if n % 3 else 0, 1, 2, 2, 2][stage_index]
        for p in range(n_prototypes):
            proto_id = new_id("prototypes")
            rows["prototypes"].append(
                {
                    "id": proto_id,
                    "project_id": pid,
                    "name": prototype_names[p],
                    "description": "Réalisé à l'atelier avec des matériaux de réemploi.",
                    "created_by_id": team[0],
                    "created_at": now,
                }
            )
            versions = rng.randint(1, 3)
            for v in range(1, versions + 1):
                last = v == versions
                status = (
                    rng.choice([PrototypeStatus.BUILDING, PrototypeStatus.TESTING, PrototypeStatus.VALIDATED])
                    if last
                    else PrototypeStatus.TESTING
                )
                rows["versions"].append(
                    {
                        "id": new_id("versions"),
                        "prototype_id": proto_id,
                        "number": v,
                        "description": f"Version {v}",
                        "status": status.value,
                        "feedback": "" if last else "Trop lourd, à simplifier.",
                        "materials_cost": Decimal(rng.randint(10, 150)),
                        "created_by_id": team[0],
                        "created_at": now,
                    }
                )
            for skill_id in rng.sample(skill_ids, min(rng.randint(1, 3), len(skill_ids))):
                rows["proto_skills"].append(
                    {
                        "id": new_id("proto_skills"),
                        "prototype_id": proto_id,
                        "skill_id": skill_id,
                        "min_level": rng.randint(1, 3),
                    }
                )
            territory_tools = tools_by_territory.get(territory.id, [])
            for item_id in rng.sample(territory_tools, min(rng.randint(1, 2), len(territory_tools))):
                rows["proto_items"].append(
                    {
                        "id": new_id("proto_items"),
                        "prototype_id": proto_id,
                        "item_id": item_id,
                        "note": "",
                        "created_at": now,
                    }
                )
        # The team's validated skills, so the board can compare them with what the prototypes need.
        for talent in team:
            for skill_id in rng.sample(skill_ids, min(rng.randint(2, 4), len(skill_ids))):
                if (talent, skill_id) in validated:
                    continue
                validated.add((talent, skill_id))
                rows["validations"].append(
                    {
                        "id": new_id("validations"),
                        "talent_id": talent,
                        "skill_id": skill_id,
                        "territory_id": territory.id,
                        "level": rng.randint(1, 4),
                        "kind": ValidationKind.VALIDATED.value,
                        "status": ValidationStatus.ACTIVE.value,
                        "validated_on": today - timedelta(days=rng.randint(1, 200)),
                        "validator_id": mentors[0],
                        "note": "",
                        "evidence_url": "",
                        "token": secrets.token_urlsafe(24),
                        "withdraw_reason": "",
                        "created_at": now,
                    }
                )
    for model, key in (
        (Project, "projects"),
        (ProjectMember, "members"),
        (StageChange, "changes"),
        (Milestone, "milestones"),
        (MentorSession, "sessions"),
        (ActionItem, "actions"),
        (FigureEntry, "figures"),
        (Prototype, "prototypes"),
        (PrototypeVersion, "versions"),
        (PrototypeSkill, "proto_skills"),
        (PrototypeItem, "proto_items"),
        (SkillValidation, "validations"),
    ):
        _insert(model, rows[key])
    return {
        "board_mentor": board_mentor,
        "board_projects": sum(1 for r in rows["projects"] if r["territory_id"] == board_territory.id),
        "counts": {
            "projects": len(rows["projects"]),
            "project_members": len(rows["members"]),
            "milestones": len(rows["milestones"]),
            "mentor_sessions": len(rows["sessions"]),
            "action_items": len(rows["actions"]),
            "prototypes": len(rows["prototypes"]),
            "prototype_skills": len(rows["proto_skills"]),
            "skill_validations": len(rows["validations"]),
            "board_mentor_follows": board_projects,
        },
    }


# --- Repairs ---------------------------------------------------------------------------------------------------

# (lab's own name, ORDS category) of the objects brought in, drawn in turn.
REPAIR_OBJECTS = [
    ("Grille-pain", "Toaster"),
    ("Cafetière", "Coffee maker"),
    ("Lampe de chevet", "Lamp"),
    ("Vélo", "Bicycle"),
    ("Aspirateur", "Vacuum"),
    ("Sèche-cheveux", "Hair dryer"),
    ("Bouilloire", "Kettle"),
    ("Ordinateur portable", "Laptop"),
    ("Téléphone", "Mobile"),
    ("Radio", "Portable radio"),
    ("Pantalon", "Textile"),
    ("Fer à repasser", "Iron"),
]
REPAIR_OPEN = 300  # tickets still in the labs, whatever the history


def _paths(w: World, labs: list[Lab]) -> dict:
    """Every talent's path: intake (four in five consented to the evaluation), enrolment and track, some suspensions,
    two sessions a week in every lab over the year with a fifth of the lab's talents present, exits for four in ten
    (in every category) and their follow-ups at +6 and +12 months where due."""
    rng, today = w.rng, w.today
    period = ProgrammePeriod(
        number=1, name="Remobilisation", start_date=date(2025, 9, 1), end_date=date(2027, 8, 31), target_talents=1500
    )
    db.session.add(period)
    db.session.flush()
    _insert(
        PeriodTerritoryTarget,
        [
            {
                "period_id": period.id,
                "territory_id": t.id,
                "start_date": period.start_date,
                "end_date": period.end_date,
                "target_talents": 500,
            }
            for t in w.territories
        ],
    )
    _insert(CohortPeriod, [{"cohort_id": c.id, "period_id": period.id} for c in w.cohorts])
    cohort_of = {c.territory_id: c.id for c in w.cohorts}
    intakes, events, exits, follow_ups = [], [], [], []
    exit_id = 0
    talents_by_territory: dict[int, list[int]] = {}
    categories = list(ExitCategory)
    for t in w.territories:
        talents = w.people.get((t.id, Role.PARTICIPANT.value)) or []
        talents_by_territory[t.id] = talents
        for talent_id in talents:
            joined = today - timedelta(days=rng.randint(30, 360))
            consent = rng.random() < 0.8
            intakes.append(
                {
                    "talent_id": talent_id,
                    "territory_id": t.id,
                    "intake_date": joined,
                    "evaluation_consent": consent,
                    "consent_date": joined if consent else None,
                    "consent_notice_version": "2026-01" if consent else None,
                    "age_band": rng.choice(list(AgeBand)).value if consent else None,
                    "residence_area": rng.choice(list(ResidenceArea)).value if consent else None,
                    "diploma_level": rng.choice(list(DiplomaLevel)).value if consent else None,
                    "is_neet": rng.random() < 0.3 if consent else None,
                    "created_at": w.now,
                    "updated_at": w.now,
                }
            )
            track = (Track.EMPLOYMENT if talent_id % 3 else Track.ENTREPRENEURSHIP).value
            base = {"talent_id": talent_id, "territory_id": t.id, "note": "", "created_at": w.now}
            events.append(
                {
                    **base,
                    "kind": PathEventKind.ENROLMENT.value,
                    "occurred_on": joined,
                    "cohort_id": cohort_of[t.id],
                    "track": None,
                }
            )
            events.append(
                {
                    **base,
                    "kind": PathEventKind.TRACK_CHOSEN.value,
                    "occurred_on": joined + timedelta(days=14),
                    "cohort_id": None,
                    "track": track,
                }
            )
            if rng.random() < 0.1:
                events.append(
                    {
                        **base,
                        "kind": PathEventKind.SUSPENSION.value,
                        "occurred_on": joined + timedelta(days=40),
                        "cohort_id": None,
                        "track": None,
                    }
                )
            if rng.random() < 0.4 and (today - joined).days > 60:
                exit_id += 1
                category = rng.choice(categories)
                exit_date = joined + timedelta(days=rng.randint(30, (today - joined).days))
                exits.append(
                    {
                        "id": exit_id,
                        "talent_id": talent_id,
                        "territory_id": t.id,
                        "exit_date": exit_date,
                        "category": category.value,
                        "subtype": rng.choice(EXIT_SUBTYPES[category]).value,
                        "evidence": rng.choice(list(Evidence)).value,
                        "created_at": w.now,
                        "updated_at": w.now,
                    }
                )
                for months in (6, 12):
                    due = exit_date + timedelta(days=30 * months)
                    if due <= today:
                        reached = rng.random() < 0.7
                        follow = rng.choice(categories)
                        follow_ups.append(
                            {
                                "talent_exit_id": exit_id,
                                "talent_id": talent_id,
                                "territory_id": t.id,
                                "months_after_exit": months,
                                "contacted_on": due,
                                "reached": reached,
                                "category": follow.value if reached else None,
                                "subtype": rng.choice(EXIT_SUBTYPES[follow]).value if reached else None,
                                "evidence": Evidence.DECLARED.value if reached else None,
                                "created_at": w.now,
                            }
                        )
    _insert(TalentIntake, intakes)
    _insert(PathEvent, events)
    _insert(TalentExit, exits)
    _insert(ExitFollowUp, follow_ups)
    sessions, attendance = [], []
    session_id = 0
    kinds = [ActivityKind.WORKSHOP, ActivityKind.REPAIR_CAFE, ActivityKind.TRAINING]
    for lab in labs:
        pool = talents_by_territory.get(lab.territory_id) or []
        for week in range(52):
            for day in (1, 3):
                session_id += 1
                held_on = today - timedelta(days=7 * week + day)
                sessions.append(
                    {
                        "id": session_id,
                        "territory_id": lab.territory_id,
                        "lab_id": lab.id,
                        "kind": rng.choice(kinds).value,
                        "title": f"Atelier {session_id}",
                        "held_on": held_on,
                        "duration_minutes": 180,
                        "created_at": w.now,
                    }
                )
                for talent_id in rng.sample(pool, min(len(pool), max(1, len(pool) // 10))):
                    attendance.append(
                        {
                            "session_id": session_id,
                            "talent_id": talent_id,
                            "method": AttendanceMethod.LIST.value,
                            "created_at": w.now,
                        }
                    )
    _insert(ActivitySession, sessions)
    _insert(SessionAttendance, attendance)
    return {
        "talent_paths": len(intakes),
        "path_events": len(events),
        "exits": len(exits),
        "follow_ups": len(follow_ups),
        "sessions": len(sessions),
        "attendances": len(attendance),
    }


def _repairs(w: World, labs: list[Lab], total: int) -> dict:
    """`total` repair tickets over three years in every lab (four in five at a weekly Repair Café), about 70 % fixed
    with their Fixometer figures stored, one or two talents' work and two status changes each; a few hundred open."""
    info = {"repairs": total, "open_repairs": 0, "repair_targets": [], "repair_events": 0}
    ensure_reference_data()
    if total <= 0:
        return info
    rng, now, today = w.rng, w.now, w.today
    categories = {c.name: c for c in db.session.scalars(sa.select(RepairCategory))}
    figures = {}
    for _, name in REPAIR_OBJECTS:
        c = categories[name]
        estimate = None if c.powered else Decimal(2)
        figures[name] = fixometer.for_category(c.ords_id, fixed=True, estimate_kg=estimate).rounded()
    territory_by_id = {t.id: t for t in w.territories}
    days = 3 * 365
    event_rows, events_by_lab = [], {}
    for lab in labs:
        events_by_lab[lab.id] = []
        for week in range(days // 7):
            day = today - timedelta(days=days - 7 * week - 5)
            event_rows.append(
                {
                    "id": len(event_rows) + 1,
                    "territory_id": lab.territory_id,
                    "lab_id": lab.id,
                    "title": f"Repair Café {week + 1}",
                    "day": day,
                    "starts_at": dt_time(14),
                    "ends_at": dt_time(18),
                    "notes": "",
                    "created_at": now,
                }
            )
            events_by_lab[lab.id].append((len(event_rows), day))
    _insert(RepairEvent, event_rows)
    outcomes = [Outcome.FIXED] * 70 + [Outcome.REPAIRABLE] * 15 + [Outcome.END_OF_LIFE] * 10 + [Outcome.UNKNOWN] * 5
    open_statuses = [TicketStatus.RECEIVED, TicketStatus.DIAGNOSED, TicketStatus.IN_REPAIR, TicketStatus.READY]
    ticket_rows, work_rows, change_rows = [], [], []
    for n in range(1, total + 1):
        lab = labs[n % len(labs)]
        territory = territory_by_id[lab.territory_id]
        lab_category, category = REPAIR_OBJECTS[n % len(REPAIR_OBJECTS)]
        cat = categories[category]
        is_open = n > total - REPAIR_OPEN
        event_id = None
        if is_open:
            status = open_statuses[n % 4]
            day = today - timedelta(days=n % 30)
            outcome = Outcome.FIXED if status == TicketStatus.READY else None
        else:
            status = TicketStatus.RETURNED
            outcome = rng.choice(outcomes)
            if n % 5:
                event_id, day = rng.choice(events_by_lab[lab.id])
            else:
                day = today - timedelta(days=rng.randint(35, days))
        at = datetime.combine(day, dt_time(13), tzinfo=UTC)
        fixed = figures[category] if outcome == Outcome.FIXED else None
        ticket_rows.append(
            {
                "id": n,
                "code": w.next_code(territory, TICKET_TARGET, n),
                "territory_id": territory.id,
                "lab_id": lab.id,
                "event_id": event_id,
                "source": "desk",
                "status": status.value,
                "event_date": day,
                "owner_first_name": "",
                "owner_email": "",
                "owner_phone": "",
                "owner_locale": "fr",
                "category_id": cat.id,
                "lab_category": lab_category,
                "brand": rng.choice(("Seb", "Moulinex", "Philips", "Bosch", "Rowenta", "Decathlon")),
                "model": f"M{n % 89}",
                "estimated_weight_kg": None if cat.powered else Decimal(2),
                "problem": "Ne marche plus.",
                "diagnosis": "",
                "work_done": "",
                "outcome": outcome.value if outcome else None,
                "barrier": rng.choice(list(Barrier)).value if outcome == Outcome.END_OF_LIFE else None,
                "repairable_need": None,
                "impact_weight_kg": fixed.weight_kg if fixed else None,
                "impact_footprint_kg": fixed.footprint_kg if fixed else None,
                "impact_displacement": fixed.displacement if fixed else None,
                "waste_prevented_kg": fixed.waste_kg if fixed else None,
                "co2e_prevented_kg": fixed.co2e_kg if fixed else None,
                "data_provider": "",
                "group_identifier": "",
                "country": "FRA",
                "received_at": at,
                "status_changed_at": at + timedelta(hours=2) if not is_open else at,
                "closed_at": at + timedelta(hours=2) if not is_open else None,
                "created_at": at,
                "updated_at": at,
            }
        )
        talents = w.staff(territory.id, Role.PARTICIPANT)
        for k in range(1 + n % 2):
            work_rows.append(
                {
                    "ticket_id": n,
                    "talent_id": talents[(n + k * 7) % len(talents)],
                    "minutes": 15 + n % 60,
                    "recorded_at": at,
                }
            )
        change_rows.append({"ticket_id": n, "from_status": None, "to_status": "received", "changed_at": at})
        if status != TicketStatus.RECEIVED:
            change_rows.append(
                {
                    "ticket_id": n,
                    "from_status": "received",
                    "to_status": status.value,
                    "changed_at": at + timedelta(hours=2),
                }
            )
    _insert(RepairTicket, ticket_rows)
    _insert(RepairWork, work_rows)
    _insert(RepairStatusChange, change_rows)
    home = w.territories[0].id
    targets = [(r["code"], r["id"]) for r in ticket_rows if r["territory_id"] == home]
    rng.shuffle(targets)
    info.update(
        open_repairs=min(total, REPAIR_OPEN),
        repair_targets=targets[:2000],
        repair_events=len(event_rows),
        repair_territory=home,
        territory_repairs=len([r for r in ticket_rows if r["territory_id"] == home]),
    )
    return info
