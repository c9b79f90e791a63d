"""Demo guides, in French: adjusting a bicycle's brakes (written by a talent, reviewed and published), a kettle that
does not heat (two versions), and a first soldering workshop (a workshop plan run at a demo session); linked to the
demo's tool categories, skills, a repair ticket and a session. Their photos are drawn here (Pillow)."""

from __future__ import annotations

import io

import sqlalchemy as sa
from PIL import Image, ImageDraw

from repairlab.demo import DemoContext
from repairlab.extensions import db
from repairlab.guides import services
from repairlab.guides.models import CreditChoice, GuideKind, Helped
from repairlab.inventory.models import Category
from repairlab.people.models import Role, Territory, User
from repairlab.programme.models import ActivitySession
from repairlab.repairs.models import RepairCategory, RepairTicket
from repairlab.skills.models import Skill

DEMO_TERRITORY = "RBX"


def _photo(colour: str, shapes: list[tuple]) -> io.BytesIO:
    """A small drawing standing for a workshop photo (the demo ships no pictures)."""
    image = Image.new("RGB", (640, 480), "#f1ede4")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 380, 640, 480), fill="#c9b79c")
    for kind, box in shapes:
        if kind == "circle":
            draw.ellipse(box, outline=colour, width=14)
        elif kind == "rect":
            draw.rectangle(box, fill=colour)
        else:
            draw.line(box, fill=colour, width=10)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    out.seek(0)
    return out


def _first(role: Role, territory: Territory) -> User | None:
    return db.session.scalar(
        sa.select(User)
        .where(User.role == role, User.territory_id == territory.id, User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    )


def seed_guides(ctx: DemoContext) -> None:
    """Three guides in the first territory, their photos, a use on a ticket and a plan at a session."""
    territory = ctx.territories.get(DEMO_TERRITORY) or db.session.scalar(sa.select(Territory).order_by(Territory.id))
    if territory is None:
        return
    manager, mentor, talent = (_first(role, territory) for role in (Role.LAB_MANAGER, Role.MENTOR, Role.PARTICIPANT))
    if manager is None or mentor is None or talent is None:
        return
    ords = {c.name: c.id for c in db.session.scalars(sa.select(RepairCategory))}
    tools = {c.path: c.id for c in db.session.scalars(sa.select(Category))}
    skills = {s.name: s.id for s in db.session.scalars(sa.select(Skill))}

    def tool_ids(*paths: str) -> list[int]:
        return [tools[p] for p in paths if p in tools]

    def skill_lines(*pairs: tuple[str, int]) -> list[tuple[int, int]]:
        return [(skills[name], level) for name, level in pairs if name in skills]

    brakes = services.create_guide(
        talent,
        territory,
        services.GuideFields(GuideKind.REPAIR, "fr", repair_category_id=ords.get("Bicycle")),
        services.VersionInput(
            title="Régler les freins d’un vélo",
            summary="Le levier de frein va jusqu’au guidon, ou le patin frotte sur la jante.",
            safety="Essayez toujours les freins **à l’arrêt** puis à faible vitesse avant de rendre le vélo.",
            steps=[
                services.StepInput(
                    "Vérifier les patins",
                    "Les patins doivent toucher **la jante**, jamais le pneu. Usés au-delà du repère : changez-les.",
                    new_photos=[_photo("#333", [("circle", (170, 90, 470, 390)), ("rect", (300, 60, 340, 130))])],
                ),
                services.StepInput(
                    "Retendre le câble",
                    "1. Desserrez l’écrou de serrage du câble (clé de 10).\n"
                    "2. Tirez le câble à la pince.\n"
                    "3. Resserrez, puis réglez finement avec la molette du levier.",
                    new_photos=[_photo("#8a1c1c", [("line", (80, 100, 560, 300)), ("circle", (400, 200, 520, 320))])],
                ),
                services.StepInput(
                    "Centrer l’étrier",
                    "Tournez les vis de rappel pour que les deux patins soient à **1 à 2 mm** de la jante.",
                ),
            ],
            tool_category_ids=tool_ids("Cycles > Outils vélo", "Outillage à main > Tournevis et clés"),
            parts=[("Paire de patins de frein", 1), ("Câble de frein inox", 1)],
            skills=skill_lines(("Mécanique vélo : freins et transmission", 2)),
            change_note="Premier jet après l’atelier vélo",
        ),
        services.SaveAction.PROPOSE,
    )
    services.set_credit(talent, brakes, CreditChoice.FIRST_NAME)
    services.publish(mentor, brakes)

    kettle = services.create_guide(
        manager,
        territory,
        services.GuideFields(GuideKind.REPAIR, "fr", repair_category_id=ords.get("Kettle")),
        services.VersionInput(
            title="Bouilloire qui ne chauffe plus",
            summary="La bouilloire s’allume (voyant) mais l’eau ne chauffe pas, ou elle ne s’allume plus du tout.",
            safety="**Débranchez** la bouilloire et videz-la avant d’ouvrir. Aucun essai sous tension "
            "sans une personne formée à la sécurité électrique.",
            steps=[
                services.StepInput(
                    "Ouvrir le socle",
                    "Retournez la bouilloire. Les vis sont souvent **à tête triangle** : prenez l’embout adapté.",
                    new_photos=[_photo("#2f4f6f", [("circle", (150, 80, 490, 420)), ("rect", (300, 230, 340, 270))])],
                ),
                services.StepInput(
                    "Tester le thermostat",
                    "Au multimètre, en continuité : le thermostat doit conduire à froid. Sinon, c’est lui.",
                    new_photos=[_photo("#b8860b", [("rect", (220, 160, 420, 320)), ("line", (420, 240, 600, 120))])],
                ),
            ],
            tool_category_ids=tool_ids("Électronique > Mesure", "Outillage à main > Tournevis et clés"),
            parts=[("Thermostat de bouilloire (type Strix)", 1)],
            skills=skill_lines(("Utilisation du multimètre", 2), ("Sécurité électrique", 2)),
        ),
        services.SaveAction.PUBLISH,
    )
    first = kettle.latest
    services.save_version(
        manager,
        kettle,
        services.GuideFields(GuideKind.REPAIR, "fr", repair_category_id=ords.get("Kettle")),
        services.VersionInput(
            title=first.title,
            summary=first.summary,
            safety=first.safety,
            steps=[
                *(services.StepInput(s.title, s.text, keep_photo_ids=[p.id for p in s.photos]) for s in first.steps),
                services.StepInput(
                    "Vérifier la résistance",
                    "Mesurez la résistance de l’élément chauffant : **20 à 40 Ω** pour 2 000 W. "
                    "Infinie : l’élément est coupé, la bouilloire est en fin de vie.",
                ),
            ],
            tool_category_ids=[t.category_id for t in first.tool_categories],
            parts=[(p.name, p.quantity) for p in first.parts],
            skills=[(s.skill_id, s.level) for s in first.skills],
            change_note="Étape de mesure de la résistance ajoutée",
        ),
        services.SaveAction.PUBLISH,
    )

    soldering = services.create_guide(
        manager,
        territory,
        services.GuideFields(GuideKind.WORKSHOP, "fr"),
        services.VersionInput(
            title="Premier atelier de soudure",
            summary="- Souder proprement un composant traversant\n- Dessouder sans abîmer le circuit\n"
            "- Connaître les règles de sécurité du poste de soudure",
            safety="Fer à **350 °C** : toujours sur son support. Aspiration des fumées allumée, lunettes portées.",
            duration_minutes=120,
            group_size=6,
            learning_check="Chaque talent soude cinq résistances sur la plaque d’essai : joints brillants, en cône, "
            "sans pont entre pastilles.",
            steps=[
                services.StepInput("Accueil et sécurité", "Tour du poste : fer, support, éponge, aspiration.", 15),
                services.StepInput(
                    "Démonstration",
                    "Chauffer la pastille **et** la patte, apporter l’étain, retirer l’étain puis le fer.",
                    20,
                    new_photos=[_photo("#555", [("line", (100, 380, 400, 120)), ("rect", (380, 300, 560, 380))])],
                ),
                services.StepInput("Pratique guidée", "Cinq résistances chacun sur la plaque d’essai.", 50),
                services.StepInput("Dessoudage", "Tresse à dessouder et pompe : chacun retire deux composants.", 25),
                services.StepInput("Bilan", "Chacun montre ses joints ; on range le poste ensemble.", 10),
            ],
            tool_category_ids=tool_ids("Électronique > Soudure"),
            parts=[("Plaque d’essai", 6), ("Résistances assorties", 60), ("Bobine d’étain sans plomb", 1)],
            skills=skill_lines(("Soudure à l'étain", 1), ("Sécurité électrique", 1)),
        ),
        services.SaveAction.PUBLISH,
    )

    # The kettle guide was followed on a kettle brought in at the lab, and it helped.
    ticket = db.session.scalar(
        sa.select(RepairTicket)
        .where(RepairTicket.territory_id == territory.id, RepairTicket.category_id == ords.get("Kettle"))
        .order_by(RepairTicket.event_date.desc(), RepairTicket.id.desc())
        .limit(1)
    )
    if ticket is not None:
        services.record_use(manager, ticket, kettle, Helped.YES)
    session = db.session.scalar(
        sa.select(ActivitySession)
        .where(ActivitySession.territory_id == territory.id, ActivitySession.title.like("%soudure%"))
        .order_by(ActivitySession.held_on.desc())
        .limit(1)
    )
    if session is not None:
        services.attach_plan(manager, session, soldering)
