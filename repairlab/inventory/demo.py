"""Demo inventory: a French category tree, places, tools, objects, parts, a few problem reports per lab, and the
skills that some tools and categories require."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from repairlab import clock
from repairlab.demo import DemoContext
from repairlab.extensions import db
from repairlab.inventory import requirements, services
from repairlab.inventory.models import Category, Condition, Item, ItemKind, LocationKind, Source
from repairlab.people.models import Lab
from repairlab.skills.models import Skill

CATEGORIES = {
    "Électronique": ["Soudure", "Mesure", "Alimentation"],
    "Outillage à main": ["Tournevis et clés", "Pinces", "Scies"],
    "Outillage électroportatif": ["Perçage", "Ponçage", "Découpe"],
    "Textile": ["Machines à coudre", "Mercerie"],
    "Fabrication numérique": ["Impression 3D", "Découpe laser"],
    "Cycles": ["Outils vélo", "Pièces vélo"],
    "Électroménager": ["Petit électroménager", "Gros électroménager"],
    "Informatique et téléphonie": ["Ordinateurs", "Téléphones"],
}

# (name, category, brand, model, value, safety notes, manual)
TOOLS = [
    (
        "Station de soudage",
        "Électronique > Soudure",
        "Weller",
        "WE 1010",
        "129.00",
        "Panne à 350 °C : reposez toujours le fer sur son support. Aspiration des fumées obligatoire.",
        "",
    ),
    (
        "Multimètre numérique",
        "Électronique > Mesure",
        "Fluke",
        "115",
        "189.00",
        "Ne mesurez jamais une tension secteur sans formation.",
        "",
    ),
    ("Alimentation de laboratoire", "Électronique > Alimentation", "Velleman", "LABPS3005D", "79.90", "", ""),
    (
        "Perceuse-visseuse sans fil",
        "Outillage électroportatif > Perçage",
        "Makita",
        "DDF485",
        "159.00",
        "Lunettes de protection obligatoires.",
        "",
    ),
    (
        "Perceuse à colonne",
        "Outillage électroportatif > Perçage",
        "Bosch",
        "PBD 40",
        "329.00",
        "Formation obligatoire. Cheveux attachés, pas de gants, pièce bridée dans l'étau.",
        "",
    ),
    (
        "Ponceuse orbitale",
        "Outillage électroportatif > Ponçage",
        "Festool",
        "ETS 125",
        "245.00",
        "Masque anti-poussière et aspiration.",
        "",
    ),
    (
        "Scie sauteuse",
        "Outillage électroportatif > Découpe",
        "Bosch",
        "PST 900",
        "99.00",
        "Lunettes et protection auditive. Débranchez avant de changer la lame.",
        "",
    ),
    (
        "Coffret de tournevis de précision",
        "Outillage à main > Tournevis et clés",
        "iFixit",
        "Mako",
        "39.99",
        "",
        "https://www.ifixit.com/fr",
    ),
    ("Jeu de clés plates", "Outillage à main > Tournevis et clés", "Facom", "440.JP14", "89.00", "", ""),
    ("Pince à dénuder", "Outillage à main > Pinces", "Knipex", "12 62 180", "34.50", "", ""),
    ("Scie à métaux", "Outillage à main > Scies", "Stanley", "FatMax", "24.90", "", ""),
    (
        "Machine à coudre",
        "Textile > Machines à coudre",
        "Singer",
        "Heavy Duty 4423",
        "219.00",
        "Gardez les doigts loin de l'aiguille.",
        "",
    ),
    ("Surjeteuse", "Textile > Machines à coudre", "Brother", "M343D", "299.00", "Formation conseillée.", ""),
    (
        "Imprimante 3D",
        "Fabrication numérique > Impression 3D",
        "Prusa",
        "MK4",
        "1099.00",
        "Buse à 215 °C et plateau chauffant : ne touchez pas pendant l'impression.",
        "https://help.prusa3d.com/fr",
    ),
    (
        "Découpeuse laser",
        "Fabrication numérique > Découpe laser",
        "xTool",
        "S1",
        "1599.00",
        "Formation obligatoire. Ne jamais laisser sans surveillance. Pas de PVC.",
        "",
    ),
    ("Pied d'atelier vélo", "Cycles > Outils vélo", "Park Tool", "PCS-10.3", "249.00", "", ""),
    ("Dérive-chaîne", "Cycles > Outils vélo", "Park Tool", "CT-3.3", "42.00", "", ""),
    ("Clé dynamométrique", "Outillage à main > Tournevis et clés", "Wera", "Click-Torque", "119.00", "", ""),
]

OBJECTS = [
    (
        "Grille-pain qui ne chauffe plus",
        "Électroménager > Petit électroménager",
        "Moulinex",
        "Subito",
        Condition.BROKEN,
    ),
    ("Aspirateur sans aspiration", "Électroménager > Petit électroménager", "Rowenta", "X-Trem", Condition.POOR),
    ("Lampe de chevet", "Électroménager > Petit électroménager", "Ikea", "Lauters", Condition.FAIR),
    (
        "Ordinateur portable à reconditionner",
        "Informatique et téléphonie > Ordinateurs",
        "Lenovo",
        "ThinkPad T470",
        Condition.FAIR,
    ),
    ("Smartphone écran cassé", "Informatique et téléphonie > Téléphones", "Samsung", "Galaxy A52", Condition.BROKEN),
    ("Vélo de ville à remettre en état", "Cycles > Pièces vélo", "Peugeot", "LR01", Condition.POOR),
    ("Machine à café expresso", "Électroménager > Petit électroménager", "DeLonghi", "EC685", Condition.BROKEN),
    ("Veste à recoudre", "Textile > Mercerie", "", "", Condition.FAIR),
]

PARTS = [
    ("Fil d'étain sans plomb 0,8 mm", "Électronique > Soudure", 12, 3),
    ("Fusibles temporisés 5x20", "Électronique > Alimentation", 40, 10),
    ("Chambres à air 700x35", "Cycles > Pièces vélo", 2, 5),
    ("Patins de frein V-brake", "Cycles > Pièces vélo", 16, 6),
    ("Filament PLA 1 kg", "Fabrication numérique > Impression 3D", 3, 2),
    ("Bobines de fil à coudre", "Textile > Mercerie", 25, 8),
]

# Skills that tools (by name, in every lab) and whole categories require: (tool or category, skill, level).
TOOL_REQUIREMENTS = [
    ("Perceuse à colonne", "Perceuse à colonne", 3),
    ("Station de soudage", "Soudure à l'étain", 2),
    ("Multimètre numérique", "Utilisation du multimètre", 2),
]
CATEGORY_REQUIREMENTS = [
    ("Fabrication numérique > Découpe laser", "Découpeuse laser", 2),
    ("Électronique", "Sécurité électrique", 2),
]

PLACES = [
    ("Zone électronique", ["Étagère A", "Étagère B"]),
    ("Zone mécanique", ["Établi 1", "Armoire"]),
    ("Zone textile", ["Étagère C"]),
    ("Réserve", ["Bac pièces 1", "Bac pièces 2"]),
]


def _seed_categories(ctx: DemoContext) -> dict[str, Category]:
    out = {}
    for main, subs in CATEGORIES.items():
        parent = services.create_category(ctx.admin, main)
        out[main] = parent
        for sub in subs:
            out[f"{main} > {sub}"] = services.create_category(ctx.admin, sub, parent)
    return out


def seed_inventory(ctx: DemoContext) -> None:
    """Load the demo inventory."""
    categories = _seed_categories(ctx)
    labs = db.session.scalars(sa.select(Lab).order_by(Lab.territory_id, Lab.id)).all()
    today = clock.today()
    for lab_index, lab in enumerate(labs):
        manager = next(
            u for u in ctx.users.values() if u.role.value == "lab_manager" and u.territory_id == lab.territory_id
        )
        places = {}
        for zone_name, shelves in PLACES:
            zone = services.create_location(manager, lab, zone_name, LocationKind.ZONE)
            places[zone_name] = zone
            for shelf in shelves:
                kind = LocationKind.BIN if shelf.startswith("Bac") else LocationKind.SHELF
                places[shelf] = services.create_location(manager, lab, shelf, kind, zone)
        shelves_for = {
            "Électronique": "Étagère A",
            "Fabrication numérique": "Étagère B",
            "Textile": "Étagère C",
            "Cycles": "Établi 1",
        }
        tools = TOOLS if lab_index % 2 == 0 else TOOLS[::2]
        for n, (name, cat, brand, model, value, safety, manual) in enumerate(tools):
            shelf = places[shelves_for.get(cat.split(" > ")[0], "Armoire")]
            services.create_item(
                manager,
                lab,
                services.ItemFields(
                    name=name,
                    kind=ItemKind.TOOL,
                    category_id=categories[cat].id,
                    location_id=shelf.id,
                    condition=Condition.GOOD if n % 5 else Condition.FAIR,
                    brand=brand,
                    model=model,
                    serial_number=f"SN{lab.id:02d}{n:04d}",
                    value=Decimal(value),
                    acquired_on=today - timedelta(days=30 * (n + 3)),
                    source=Source.BOUGHT if n % 3 else Source.DONATED,
                    manual_url=manual,
                    safety_notes=safety,
                ),
            )
        for name, cat, brand, model, condition in OBJECTS[: 5 + lab_index % 4]:
            services.create_item(
                manager,
                lab,
                services.ItemFields(
                    name=name,
                    kind=ItemKind.OBJECT,
                    category_id=categories[cat].id,
                    location_id=places["Réserve"].id,
                    condition=condition,
                    brand=brand,
                    model=model,
                    source=Source.DONATED,
                    acquired_on=today - timedelta(days=ctx.rng.randint(1, 40)),
                    description="Apporté par un habitant du quartier lors du dernier Repair Café.",
                ),
            )
        for n, (name, cat, quantity, threshold) in enumerate(PARTS):
            services.create_item(
                manager,
                lab,
                services.ItemFields(
                    name=name,
                    kind=ItemKind.PART,
                    category_id=categories[cat].id,
                    location_id=places["Bac pièces 1" if n % 2 else "Bac pièces 2"].id,
                    condition=Condition.NEW,
                    quantity=quantity,
                    low_stock_threshold=threshold,
                    source=Source.BOUGHT,
                ),
            )
        db.session.flush()
        # A few problems reported by talents.
        talent = next(
            u for u in ctx.users.values() if u.role.value == "participant" and u.territory_id == lab.territory_id
        )
        items = db.session.scalars(
            sa.select(services.Item)
            .where(services.Item.lab_id == lab.id, services.Item.kind == ItemKind.TOOL)
            .order_by(services.Item.id)
        ).all()
        services.report_problem(talent, items[0], "La panne est usée, l'étain n'accroche plus.")
        if lab_index % 2 == 0:
            services.report_problem(talent, items[3], "La batterie ne tient plus la charge.")


def seed_requirements(ctx: DemoContext) -> None:
    """Skills that some demo tools and categories require (after the skills catalogue exists)."""
    skills = {s.name: s for s in db.session.scalars(sa.select(Skill))}
    categories = {c.path: c for c in db.session.scalars(sa.select(Category))}
    for path, skill, level in CATEGORY_REQUIREMENTS:
        requirements.add_requirement(ctx.admin, category=categories[path], skill=skills[skill], min_level=level)
    for name, skill, level in TOOL_REQUIREMENTS:
        tools = db.session.scalars(
            sa.select(Item).where(Item.name == name, Item.kind == ItemKind.TOOL).order_by(Item.id)
        )
        for tool in tools:
            requirements.add_requirement(ctx.admin, item=tool, skill=skills[skill], min_level=level)
