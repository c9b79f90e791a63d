"""The repair categories as people read them: the 46 ORDS and unpowered names, translated (the database and ORDS
files keep the English names)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from repairlab.extensions import db
from repairlab.repairs.models import RepairCategory

CATEGORY_LABELS = {
    "Aircon/dehumidifier": _l("Air conditioner or dehumidifier"),
    "Battery/charger/adapter": _l("Battery, charger or adapter"),
    "Decorative or safety lights": _l("Decorative or safety lights"),
    "Desktop computer": _l("Desktop computer"),
    "Digital compact camera": _l("Digital compact camera"),
    "DSLR/video camera": _l("DSLR or video camera"),
    "Fan": _l("Fan"),
    "Flat screen": _l("Flat screen"),
    "Hair & beauty item": _l("Hair and beauty item"),
    "Handheld entertainment device": _l("Handheld entertainment device"),
    "Headphones": _l("Headphones"),
    "Hi-Fi integrated": _l("Integrated hi-fi system"),
    "Hi-Fi separates": _l("Hi-fi separates"),
    "Kettle": _l("Kettle"),
    "Lamp": _l("Lamp"),
    "Laptop": _l("Laptop"),
    "Large home electrical": _l("Large home appliance"),
    "Misc": _l("Miscellaneous (powered)"),
    "Mobile": _l("Mobile phone"),
    "Musical instrument": _l("Musical instrument"),
    "Paper shredder": _l("Paper shredder"),
    "PC accessory": _l("Computer accessory"),
    "Portable radio": _l("Portable radio"),
    "Power tool": _l("Power tool"),
    "Printer/scanner": _l("Printer or scanner"),
    "Projector": _l("Projector"),
    "Sewing machine": _l("Sewing machine"),
    "Small home electrical": _l("Small home appliance"),
    "Small kitchen item": _l("Small kitchen appliance"),
    "Tablet": _l("Tablet"),
    "Toaster": _l("Toaster"),
    "Toy": _l("Toy"),
    "TV and gaming-related accessories": _l("TV and gaming accessories"),
    "Vacuum": _l("Vacuum cleaner"),
    "Watch/clock": _l("Watch or clock"),
    "Coffee maker": _l("Coffee maker"),
    "Food processor": _l("Food processor"),
    "Games console": _l("Games console"),
    "Hair dryer": _l("Hair dryer"),
    "Iron": _l("Iron"),
    "Bicycle": _l("Bicycle"),
    "Furniture": _l("Furniture"),
    "Household": _l("Household object"),
    "Jewellery": _l("Jewellery"),
    "Textile": _l("Textile and clothing"),
    "Other": _l("Other (unpowered)"),
}


def category_label(category: RepairCategory | str) -> str:
    """The category's name in the reader's language."""
    name = category if isinstance(category, str) else category.name
    label = CATEGORY_LABELS.get(name)
    return str(label) if label is not None else name


def needs_estimate(category: RepairCategory) -> bool:
    """Whether the impact needs the user's weight estimate: no reference weight (unpowered) or Misc's zero."""
    return category.weight_kg is None or category.weight_kg == 0


def active_categories() -> list[RepairCategory]:
    """The categories offered at intake, in the reader's alphabetical order."""
    found = db.session.scalars(sa.select(RepairCategory).where(RepairCategory.active.is_(True))).all()
    return sorted(found, key=lambda c: (not c.powered, category_label(c).casefold()))
