"""Demo data of the people domain: the programme's territories, labs, cohorts and accounts, seeded first."""

from __future__ import annotations

from datetime import date

from repairlab.demo import DemoContext
from repairlab.people import services as people
from repairlab.people.models import Role, Track

TERRITORIES = [
    (
        "RBX",
        "Roubaix-Lille",
        [
            ("Atelier de la Condition Publique", "14 place Faidherbe, 59100 Roubaix"),
            ("Repair Café de Fives", "18 rue Pierre Legrand, 59800 Lille"),
        ],
    ),
    (
        "PAR",
        "Paris-Montreuil",
        [
            ("La Fabrique de Montreuil", "10 rue de Paris, 93100 Montreuil"),
            ("Atelier des Vignoles", "41 rue des Vignoles, 75020 Paris"),
        ],
    ),
    (
        "MRS",
        "Aix-Marseille",
        [
            ("Atelier de la Belle de Mai", "41 rue Jobin, 13003 Marseille"),
            ("Ressourcerie du Pays d'Aix", "5 avenue Jean Monnet, 13090 Aix-en-Provence"),
        ],
    ),
]

FIRST_NAMES = [
    "Amina",
    "Karim",
    "Sophie",
    "Mehdi",
    "Julie",
    "Moussa",
    "Léa",
    "Yanis",
    "Fatou",
    "Thomas",
    "Inès",
    "Rachid",
    "Camille",
    "Ibrahima",
    "Chloé",
    "Nadia",
    "Lucas",
    "Aïcha",
    "Hugo",
    "Samia",
]
LAST_NAMES = [
    "Benali",
    "Dubois",
    "Traoré",
    "Martin",
    "Haddad",
    "Lefebvre",
    "Diallo",
    "Moreau",
    "Cherif",
    "Petit",
    "Nguyen",
    "Bernard",
    "Mansouri",
    "Roux",
    "Camara",
    "Girard",
    "Ait-Ali",
    "Fontaine",
]


def _person(ctx: DemoContext) -> str:
    return f"{ctx.rng.choice(FIRST_NAMES)} {ctx.rng.choice(LAST_NAMES)}"


def seed_people(ctx: DemoContext) -> None:
    """The administrator, the researcher, and per territory its labs, cohorts, staff and twelve talents."""
    pw = ctx.password
    ctx.admin = people.create_user(
        None, email="admin@repairlab.demo", full_name="Claire Vasseur", password=pw, role=Role.ADMIN
    )
    ctx.accounts.append((Role.ADMIN.value, ctx.admin.email, "—"))
    researcher = people.create_user(
        ctx.admin, email="recherche@repairlab.demo", full_name="Paul Mercier", password=pw, role=Role.RESEARCHER
    )
    ctx.accounts.append((Role.RESEARCHER.value, researcher.email, "—"))
    for code, name, labs in TERRITORIES:
        territory = people.create_territory(ctx.admin, code=code, name=name)
        ctx.territories[code] = territory
        for lab_name, address in labs:
            people.create_lab(ctx.admin, territory=territory, name=lab_name, address=address)
        first = people.create_cohort(
            ctx.admin,
            territory=territory,
            name="Promotion 2026",
            start_date=date(2026, 1, 12),
            end_date=date(2026, 12, 18),
            target_talents=250,
        )
        people.create_cohort(
            ctx.admin,
            territory=territory,
            name="Promotion 2027",
            start_date=date(2027, 1, 11),
            end_date=date(2027, 12, 17),
            target_talents=250,
        )
        prefix = code.lower()
        staff = [
            (Role.LAB_MANAGER, f"atelier.{prefix}@repairlab.demo"),
            (Role.MENTOR, f"mentor.{prefix}@repairlab.demo"),
            (Role.MENTOR, f"mentor2.{prefix}@repairlab.demo"),
        ]
        for role, email in staff:
            user = people.create_user(
                ctx.admin,
                email=email,
                full_name=_person(ctx),
                password=pw,
                role=role,
                territory=territory,
                phone=f"06 {ctx.rng.randint(10, 99)} "
                f"{ctx.rng.randint(10, 99)} {ctx.rng.randint(10, 99)} {ctx.rng.randint(10, 99)}",
            )
            ctx.users[email] = user
            if not email.startswith("mentor2"):
                ctx.accounts.append((role.value, email, code))
        for n in range(1, 13):
            email = f"talent{n}.{prefix}@repairlab.demo"
            user = people.create_user(
                ctx.admin,
                email=email,
                full_name=_person(ctx),
                password=pw,
                role=Role.PARTICIPANT,
                territory=territory,
                cohort=first,
                track=Track.EMPLOYMENT if n % 3 else Track.ENTREPRENEURSHIP,
                locale="en" if n == 12 else "fr",
            )
            ctx.users[email] = user
            if n == 1:
                ctx.accounts.append((Role.PARTICIPANT.value, email, code))
