"""The reference data of repairs: the ORDS product categories with their average weight and manufacturing
footprint, the unpowered categories, and the constants of the Fixometer method, each with its source.

The migration that creates the tables inserts the same rows; `ensure_reference_data()` fills a database made
with `create_all()` (tests, a first `seed-demo`) and adds nothing that is already there.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from repairlab.extensions import db
from repairlab.repairs.models import ImpactConstant, RepairCategory

LCA_SOURCE = "Open Repair Alliance, ORDS v0.3 category LCA reference (ords_category_lca_reference.csv, 2025-07)"
UNPOWERED_SOURCE = "ORDS unpowered category: no reference weight; the impact needs a weight estimate"
FIXOMETER_SOURCE = "The Restart Project, Fixometer methodology (Open Repair Alliance, ORDS data README)"

# (ORDS product_category_id, name, average weight in kg, manufacturing footprint in kg CO2e)
ORDS_CATEGORIES: tuple[tuple[int, str, str, str], ...] = (
    (1, "Aircon/dehumidifier", "7.6", "99.41"),
    (2, "Battery/charger/adapter", "1.65", "26.65"),
    (3, "Decorative or safety lights", "0.46", "14.72"),
    (4, "Desktop computer", "6.69", "414.17"),
    (5, "Digital compact camera", "0.48", "29.73"),
    (6, "DSLR/video camera", "0.59", "16.03"),
    (7, "Fan", "3.9", "15.6"),
    (8, "Flat screen", "8.268", "308.952"),
    (9, "Hair & beauty item", "0.67", "10.28"),
    (10, "Handheld entertainment device", "0.14", "22.71"),
    (11, "Headphones", "0.4", "3"),
    (12, "Hi-Fi integrated", "8.95", "186.5"),
    (13, "Hi-Fi separates", "8.72", "123.86"),
    (14, "Kettle", "1.25", "44.32"),
    (15, "Lamp", "2.68", "14.96"),
    (16, "Laptop", "1.83", "265.32"),
    (17, "Large home electrical", "10", "26.65"),
    (18, "Misc", "0", "0"),
    (19, "Mobile", "0.15", "50.51"),
    (20, "Musical instrument", "17.7", "109.5"),
    (21, "Paper shredder", "3.8", "59.5"),
    (22, "PC accessory", "0.44", "15.94"),
    (23, "Portable radio", "2.06", "54.65"),
    (24, "Power tool", "1.65", "26.65"),
    (25, "Printer/scanner", "12.47", "100.69"),
    (26, "Projector", "2.68", "57.58"),
    (27, "Sewing machine", "8.6", "35"),
    (28, "Small home electrical", "2.95", "30.9"),
    (29, "Small kitchen item", "2.95", "30.9"),
    (30, "Tablet", "0.77", "114.49"),
    (31, "Toaster", "1.47", "8.13"),
    (32, "Toy", "0.93", "10.4"),
    (33, "TV and gaming-related accessories", "1.99", "51.33"),
    (34, "Vacuum", "6.8", "36.01"),
    (35, "Watch/clock", "1.3", "28.29"),
    (36, "Coffee maker", "1.28", "17.5"),
    (37, "Food processor", "2.95", "30.9"),
    (38, "Games console", "3.22", "140.67"),
    (39, "Hair dryer", "0.67", "10.28"),
    (40, "Iron", "1.17", "11"),
)

# Unpowered objects brought to repair cafés; ORDS v0.3 lists powered categories only.
UNPOWERED_CATEGORIES: tuple[str, ...] = ("Bicycle", "Furniture", "Household", "Jewellery", "Textile", "Other")

DISPLACEMENT = "displacement"
MISC_POWERED_CO2E_PER_KG = "misc_powered_co2e_per_kg"
MISC_UNPOWERED_CO2E_PER_KG = "misc_unpowered_co2e_per_kg"

# key -> (value, source)
IMPACT_CONSTANTS: dict[str, tuple[str, str]] = {
    DISPLACEMENT: ("0.5", FIXOMETER_SOURCE + ": a repair displaces half of a new purchase"),
    MISC_POWERED_CO2E_PER_KG: ("32.06679233", FIXOMETER_SOURCE + ": kg CO2e per kg of a powered Misc object"),
    MISC_UNPOWERED_CO2E_PER_KG: ("17.70147059", FIXOMETER_SOURCE + ": kg CO2e per kg of an unpowered object"),
}


def category_rows() -> list[dict]:
    """The rows of repair_categories, powered (with their ORDS id) then unpowered."""
    rows = [
        {
            "ords_id": ords_id,
            "name": name,
            "powered": True,
            "weight_kg": Decimal(weight),
            "footprint_kg": Decimal(footprint),
            "source": LCA_SOURCE,
            "active": True,
        }
        for ords_id, name, weight, footprint in ORDS_CATEGORIES
    ]
    rows += [
        {
            "ords_id": None,
            "name": name,
            "powered": False,
            "weight_kg": None,
            "footprint_kg": None,
            "source": UNPOWERED_SOURCE,
            "active": True,
        }
        for name in UNPOWERED_CATEGORIES
    ]
    return rows


def constant_rows() -> list[dict]:
    """The rows of repair_impact_constants."""
    return [
        {"key": key, "value": Decimal(value), "source": source} for key, (value, source) in IMPACT_CONSTANTS.items()
    ]


def ensure_reference_data() -> None:
    """Insert the categories and constants that are missing (by name and key); change none that exists."""
    names = set(db.session.scalars(sa.select(RepairCategory.name)))
    missing = [row for row in category_rows() if row["name"] not in names]
    if missing:
        db.session.execute(sa.insert(RepairCategory), missing)
    keys = set(db.session.scalars(sa.select(ImpactConstant.key)))
    constants = [row for row in constant_rows() if row["key"] not in keys]
    if constants:
        db.session.execute(sa.insert(ImpactConstant), constants)
    db.session.flush()
