"""Waste and CO2e a repair prevented, counted the Fixometer way (the Restart Project's method, used by ORDS).

- Only a `Fixed` repair counts.
- Waste prevented (kg) = the category's average weight.
- CO2e prevented (kg) = the category's manufacturing footprint x the displacement factor 0.5 (a repair is assumed to
  displace half of a new purchase).
- `Misc` (weight 0, footprint 0) and the unpowered categories have no average: they count only where the desk
  estimated the object's weight, then waste = the estimate and CO2e = estimate x the emission ratio (kg CO2e per kg:
  32.06679233 for powered objects, 17.70147059 for unpowered ones) x 0.5.

Decimal arithmetic throughout: the figures are exact and the same on every database. The defaults below are the
reference values of `reference.py` (ords_category_lca_reference.csv and the Fixometer constants, with their sources);
the app keeps its working copy in the database, where an admin sees them, and stores on each ticket the figures it
used: callers pass those.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from repairlab.repairs import reference
from repairlab.repairs.reference import IMPACT_CONSTANTS, ORDS_CATEGORIES

DISPLACEMENT = Decimal(IMPACT_CONSTANTS[reference.DISPLACEMENT][0])  # 0.5
POWERED_RATIO = Decimal(IMPACT_CONSTANTS[reference.MISC_POWERED_CO2E_PER_KG][0])  # 32.06679233 kg CO2e per kg
UNPOWERED_RATIO = Decimal(IMPACT_CONSTANTS[reference.MISC_UNPOWERED_CO2E_PER_KG][0])  # 17.70147059 kg CO2e per kg

# ORDS category id -> (average weight kg, manufacturing footprint kg CO2e), from the reference table.
LCA: dict[int, tuple[Decimal, Decimal]] = {
    ords_id: (Decimal(weight), Decimal(footprint)) for ords_id, _name, weight, footprint in ORDS_CATEGORIES
}

ZERO = Decimal(0)
KG = Decimal("0.001")  # figures are kept to the gram


@dataclass(frozen=True)
class Impact:
    """What one repair prevented, and the figures used to say so (stored on the ticket, so that a later change of
    the table does not silently rewrite history)."""

    waste_kg: Decimal
    co2e_kg: Decimal
    counted: bool  # False: not Fixed, or no weight to count from (Misc or unpowered without an estimate)
    weight_kg: Decimal  # the weight used: the category's, or the estimate
    footprint_kg: Decimal | None  # the category's footprint (None when the emission ratio was used)
    ratio: Decimal | None  # the emission ratio used for an estimate (None when the footprint was)
    displacement: Decimal

    def rounded(self) -> Impact:
        """The same impact with waste and CO2e to the gram (half up), as stored and shown."""
        return Impact(
            self.waste_kg.quantize(KG, ROUND_HALF_UP),
            self.co2e_kg.quantize(KG, ROUND_HALF_UP),
            self.counted,
            self.weight_kg,
            self.footprint_kg,
            self.ratio,
            self.displacement,
        )


def impact(
    *,
    fixed: bool,
    powered: bool,
    weight_kg: Decimal | None,
    footprint_kg: Decimal | None,
    estimate_kg: Decimal | None = None,
    displacement: Decimal = DISPLACEMENT,
    powered_ratio: Decimal = POWERED_RATIO,
    unpowered_ratio: Decimal = UNPOWERED_RATIO,
) -> Impact:
    """The Fixometer impact of one repair.

    `weight_kg`/`footprint_kg`: the category's averages (None or 0 for Misc and the unpowered categories);
    `estimate_kg`: the object's weight estimated at the desk, used only where the category has no average weight."""
    if estimate_kg is not None and estimate_kg < 0:
        raise ValueError("a weight estimate cannot be negative")
    has_average = bool(weight_kg) and powered
    none = Impact(ZERO, ZERO, False, ZERO, None, None, displacement)
    if not fixed:
        return none
    if has_average:
        footprint = footprint_kg or ZERO
        return Impact(weight_kg, footprint * displacement, True, weight_kg, footprint, None, displacement)
    if not estimate_kg:
        return none
    ratio = powered_ratio if powered else unpowered_ratio
    return Impact(estimate_kg, estimate_kg * ratio * displacement, True, estimate_kg, None, ratio, displacement)


def for_category(category_id: int | None, *, fixed: bool, estimate_kg: Decimal | None = None) -> Impact:
    """The impact with the reference table: an ORDS category id (1 to 40), or None for an unpowered object."""
    if category_id is None:
        return impact(fixed=fixed, powered=False, weight_kg=None, footprint_kg=None, estimate_kg=estimate_kg)
    weight, footprint = LCA[category_id]
    return impact(fixed=fixed, powered=True, weight_kg=weight, footprint_kg=footprint, estimate_kg=estimate_kg)


def repair_rate(fixed: int, repairable: int, end_of_life: int) -> Decimal | None:
    """The share of repairs fixed, as the Fixometer counts it: Fixed / (Fixed + Repairable + End of life).

    `Unknown` outcomes are left out (nothing is known of them); None when there is nothing to count."""
    total = fixed + repairable + end_of_life
    if total == 0:
        return None
    return Decimal(fixed) / Decimal(total)
