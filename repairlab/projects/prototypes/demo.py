"""Demo prototypes: for the demo projects at the prototyping stage or later, versions, tools used and skills."""

from __future__ import annotations

import io
import textwrap
import unicodedata
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy.orm import selectinload

from repairlab.clock import utcnow
from repairlab.demo import DemoContext
from repairlab.extensions import db
from repairlab.inventory.models import Item
from repairlab.projects.models import MemberRole, Project, ProjectStage, Sector
from repairlab.projects.prototypes import services
from repairlab.projects.prototypes.models import PrototypeStatus
from repairlab.skills.models import Skill

S = PrototypeStatus

# (name, description, [(what changed, status, feedback, cost)], [tools used], [(skill, level)])
BIKES = [
    (
        "Remorque cargo en vélos récupérés",
        "Une remorque pour livrer les vélos réparés, soudée à partir de cadres donnés à la déchetterie.",
        [
            ("Croquis et liste des pièces à partir de deux cadres de VTT.", S.DESIGN, "", "0"),
            (
                "Premier châssis boulonné, roues de 20 pouces.",
                S.TESTING,
                "Tient 40 kg sur le parking, mais l'attelage prend du jeu dans les virages.",
                "62.40",
            ),
        ],
        ["Pied d'atelier vélo", "Clé dynamométrique", "Perceuse-visseuse sans fil"],
        [("Mécanique vélo : freins et transmission", 3), ("Meuleuse d'angle", 2), ("Calculer un prix de revient", 2)],
    ),
    (
        "Kit d'entretien vélo pour les résidences",
        "Une caisse d'outils et un atelier d'une heure pour que les habitants entretiennent leur vélo.",
        [("Contenu de la caisse et fiche illustrée.", S.BUILDING, "", "35.00")],
        ["Dérive-chaîne", "Jeu de clés plates"],
        [("Mécanique vélo : freins et transmission", 2), ("Animer un Repair Café", 3)],
    ),
]
ELECTRONICS = [
    (
        "Lampe de bureau en pièces de récupération",
        "Une lampe LED vendue sur les marchés, faite avec des bras d'anciennes lampes d'architecte.",
        [
            ("Maquette avec une LED 5 V et une alimentation de téléphone.", S.DESIGN, "", "8.50"),
            (
                "Boîtier imprimé en 3D, interrupteur tactile.",
                S.TESTING,
                "Cinq personnes l'ont essayée : la lumière est appréciée, le pied est trop léger.",
                "21.90",
            ),
            (
                "Pied lesté avec des chutes de bois, câble gainé tissu.",
                S.VALIDATED,
                "Vendue 45 € à la braderie : dix lampes parties en une matinée.",
                "18.30",
            ),
        ],
        ["Station de soudage", "Multimètre numérique", "Imprimante 3D"],
        [("Soudure à l'étain", 3), ("Sécurité électrique", 3), ("Impression 3D", 2)],
    ),
    (
        "Banc de test pour petits appareils",
        "Un banc pour tester grille-pain et bouilloires avant de les revendre, avec une fiche de contrôle.",
        [("Plan du banc et liste des mesures à faire.", S.BUILDING, "", "54.00")],
        ["Alimentation de laboratoire", "Multimètre numérique"],
        [
            ("Diagnostic d'un petit électroménager", 3),
            ("Utilisation du multimètre", 3),
            ("Programmer un microcontrôleur", 2),
        ],
    ),
]
COMPUTERS = [
    (
        "Ordinateur portable reconditionné pour étudiants",
        "Des portables donnés par les entreprises, nettoyés, avec un système libre et une garantie de six mois.",
        [
            ("Procédure d'effacement et d'installation, fiche de contrôle en 20 points.", S.BUILDING, "", "0"),
            (
                "Premier lot de huit portables testé par des lycéens.",
                S.TESTING,
                "Les batteries tiennent mal sur trois machines ; l'installation prend trop de temps.",
                "96.00",
            ),
        ],
        ["Coffret de tournevis de précision", "Multimètre numérique"],
        [("Démontage et remontage d'un mécanisme", 2), ("Batteries au lithium", 3), ("Vendre en ligne", 2)],
    ),
]
APPLIANCES = [
    (
        "Grille-pain et bouilloires reconditionnés",
        "Des petits appareils réparés, contrôlés et vendus avec une garantie, en dépôt dans les épiceries solidaires.",
        [
            ("Tri des appareils donnés et liste des pannes les plus fréquentes.", S.BUILDING, "", "12.00"),
            (
                "Dépôt de quinze appareils à l'épicerie solidaire.",
                S.TESTING,
                "Douze vendus en trois semaines ; les clients veulent une étiquette qui explique la garantie.",
                "38.50",
            ),
        ],
        ["Multimètre numérique", "Coffret de tournevis de précision"],
        [("Diagnostic d'un petit électroménager", 3), ("Sécurité électrique", 3), ("Calculer un prix de revient", 2)],
    ),
]
PHONES = [
    (
        "Stand de réparation de téléphones au marché",
        "Un stand pliant pour changer écrans et batteries en moins d'une heure, devant le client.",
        [
            ("Valise d'outils et tapis antistatique.", S.BUILDING, "", "120.00"),
            (
                "Essai au marché de Wazemmes, deux samedis.",
                S.TESTING,
                "Onze réparations, surtout des batteries. Il faut un devis écrit plus clair.",
                "45.00",
            ),
        ],
        ["Coffret de tournevis de précision", "Station de soudage"],
        [
            ("Réparation de téléphone", 3),
            ("Batteries au lithium", 3),
            ("Faire un devis et expliquer une réparation", 2),
        ],
    ),
]
FURNITURE = [
    (
        "Tabouret en chutes de palette",
        "Un tabouret empilable fait de bois de palette, poncé et huilé, vendu aux cafés du quartier.",
        [
            ("Gabarit en carton et premier assemblage vissé.", S.BUILDING, "", "6.00"),
            (
                "Assemblage à tenons, huile de lin.",
                S.TESTING,
                "Solide, mais l'assise est trop haute pour les tables basses.",
                "11.50",
            ),
        ],
        ["Ponceuse orbitale", "Scie sauteuse", "Perceuse à colonne"],
        [("Assemblages du bois", 3), ("Ponçage et finition", 2), ("Perceuse à colonne", 2)],
    ),
    (
        "Étagère murale modulable",
        "Des modules de 40 cm qui s'accrochent entre eux, faits de portes de placard récupérées.",
        [("Plan et découpe de trois modules.", S.DESIGN, "", "15.00")],
        ["Scie sauteuse", "Perceuse-visseuse sans fil"],
        [("Scie circulaire et scie sur table", 3), ("Restauration de meubles", 2)],
    ),
]
TEXTILE = [
    (
        "Trousses en chambres à air",
        "Des trousses et pochettes cousues dans des chambres à air de vélo récupérées chez les réparateurs.",
        [
            ("Nettoyage des chambres à air et premier modèle à fermeture éclair.", S.BUILDING, "", "3.50"),
        ],
        ["Machine à coudre"],
        [("Couture à la machine", 2), ("Changer une fermeture éclair", 3)],
    ),
    (
        "Sacs cabas en bâches publicitaires",
        "Des sacs solides cousus dans des bâches données par les commerces et les festivals.",
        [
            ("Patron et premier sac cousu main.", S.BUILDING, "", "4.00"),
            (
                "Série de dix sacs à la machine, anses renforcées.",
                S.VALIDATED,
                "Les clientes demandent une poche intérieure ; le prix de 18 € convient.",
                "27.00",
            ),
        ],
        ["Machine à coudre", "Surjeteuse"],
        [("Couture à la machine", 3), ("Vendre en ligne", 2), ("Calculer un prix de revient", 2)],
    ),
]
OTHER = [
    (
        "Atelier mobile de réparation",
        "Un triporteur équipé pour tenir un Repair Café au pied des immeubles.",
        [("Liste du matériel et plan d'aménagement.", S.DESIGN, "", "0")],
        ["Coffret de tournevis de précision", "Multimètre numérique", "Pied d'atelier vélo"],
        [("Animer un Repair Café", 3), ("Accueillir un client", 2), ("Présenter son projet", 2)],
    ),
]
BY_SECTOR = {
    Sector.BIKES: BIKES,
    Sector.ELECTRONICS: COMPUTERS + ELECTRONICS,
    Sector.APPLIANCES: APPLIANCES + ELECTRONICS,
    Sector.PHONES: PHONES + COMPUTERS,
    Sector.FURNITURE: FURNITURE,
    Sector.TEXTILE: TEXTILE,
    Sector.RECYCLING: FURNITURE,
    Sector.OTHER: OTHER,
}
COLOURS = ("#1d6b4a", "#0b5cad", "#8a5300", "#6a3d9a")


def _font() -> tuple[ImageFont.ImageFont | ImageFont.FreeTypeFont, bool]:
    """A font for the demo photos, and whether it draws French accents (DejaVu does; Pillow's own font does not)."""
    try:
        return ImageFont.truetype("DejaVuSans.ttf", 28), True
    except OSError:
        try:
            return ImageFont.load_default(size=28), False
        except TypeError:  # Pillow < 10.1: a small bitmap font
            return ImageFont.load_default(), False


def _photo(label: str, n: int) -> io.BytesIO:
    """A simple demo picture: a coloured card with the version's name."""
    image = Image.new("RGB", (640, 480), COLOURS[n % len(COLOURS)])
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 600, 440), outline="white", width=6)
    font, accents = _font()
    if not accents:  # "vélos récupérés" would be drawn with holes: "velos recuperes" reads better
        label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    text = "\n".join(textwrap.fill(part, 30) for part in label.split(" - "))  # long names stay inside the frame
    draw.multiline_text((70, 160), text, fill="white", font=font, spacing=12)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    out.seek(0)
    return out


def _threshold() -> int | None:
    """The position of the prototyping stage (else the third stage), or None without stages."""
    stages = db.session.scalars(sa.select(ProjectStage).order_by(ProjectStage.position, ProjectStage.id)).all()
    if not stages:
        return None
    found = next((s for s in stages if "prototyp" in s.name.casefold()), None)
    return (found or stages[min(2, len(stages) - 1)]).position


def seed_prototypes(ctx: DemoContext) -> None:
    """Add 1-3 prototypes to each demo project at the prototyping stage or later (nothing without projects)."""
    threshold = _threshold()
    if threshold is None:
        return
    projects = db.session.scalars(
        sa.select(Project)
        .join(ProjectStage, ProjectStage.id == Project.stage_id)
        .where(ProjectStage.position >= threshold)
        .options(selectinload(Project.members))
        .order_by(Project.id)
    ).all()
    if not projects:
        return
    skills = {s.name: s for s in db.session.scalars(sa.select(Skill).where(Skill.active.is_(True)))}
    tools: dict[tuple[int, str], Item] = {}
    for item in db.session.scalars(sa.select(Item).order_by(Item.id)):
        tools.setdefault((item.territory_id, item.name), item)
    for index, project in enumerate(projects):
        actor = next((m.user for m in project.members if m.role == MemberRole.MENTOR), None) or ctx.admin
        if actor is None:
            continue
        templates = BY_SECTOR.get(project.sector, OTHER)
        count = 1 + (index % min(3, len(templates)))
        chosen = [templates[(index + k) % len(templates)] for k in range(count)]
        for t_index, (name, description, versions, tool_names, needs) in enumerate(chosen):
            prototype = services.create_prototype(actor, project, name=name, description=description)
            for number, (text, status, feedback, cost) in enumerate(versions, start=1):
                photo = (
                    _photo(f"{name[:40]} - v{number}", index + t_index + number) if number == len(versions) else None
                )
                version = services.add_version(
                    actor,
                    prototype,
                    services.VersionFields(
                        description=text, status=status, feedback=feedback, materials_cost=Decimal(cost)
                    ),
                    photo,
                )
                # Versions a few weeks apart, the latest a few days ago.
                version.created_at = utcnow() - timedelta(days=21 * (len(versions) - number) + 2 + index % 5)
            for tool_name in tool_names:
                tool = tools.get((project.territory_id, tool_name))
                if tool is not None:
                    services.link_item(actor, prototype, tool)
            for skill_name, level in needs:
                skill = skills.get(skill_name)
                if skill is not None:
                    services.add_skill(actor, prototype, skill, level)
    db.session.flush()
