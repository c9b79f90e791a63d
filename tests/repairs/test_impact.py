"""The Fixometer arithmetic, checked by hand from the ORDS weight/footprint table."""

from __future__ import annotations

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest

from repairlab.repairs import impact, ords

DATA = Path(__file__).parent / "data" / "ords"


def test_the_constant_tables_are_the_reference_files():
    with (DATA / "ords_category_lca_reference.csv").open(encoding="utf-8", newline="") as f:
        lca = {
            int(r["product_category_id"]): (r["product_category"], D(r["weight"]), D(r["footprint"]))
            for r in csv.DictReader(f)
        }
    with (DATA / "OpenRepairData_v0.3_Product_Categories.csv").open(encoding="utf-8", newline="") as f:
        names = {int(r["product_category_id"]): r["product_category"] for r in csv.DictReader(f)}
    assert names == ords.CATEGORIES
    assert {cid: (name, *impact.LCA[cid]) for cid, name in names.items()} == lca


@pytest.mark.parametrize(
    ("category_id", "waste", "co2e"),
    [
        (15, "2.68", "7.48"),  # Lamp: 2.68 kg; 14.96 x 0.5
        (16, "1.83", "132.66"),  # Laptop: 265.32 x 0.5
        (8, "8.268", "154.476"),  # Flat screen: 308.952 x 0.5
        (11, "0.4", "1.5"),  # Headphones: 3 x 0.5
        (17, "10", "13.325"),  # Large home electrical: 26.65 x 0.5
        (4, "6.69", "207.085"),  # Desktop computer: 414.17 x 0.5
    ],
)
def test_a_fixed_repair_counts_its_categorys_weight_and_half_its_footprint(category_id, waste, co2e):
    result = impact.for_category(category_id, fixed=True)
    assert (result.waste_kg, result.co2e_kg, result.counted) == (D(waste), D(co2e), True)
    assert (result.weight_kg, result.ratio, result.displacement) == (D(waste), None, D("0.5"))


@pytest.mark.parametrize("category_id", [15, 18, None])
def test_only_fixed_repairs_count(category_id):
    result = impact.for_category(category_id, fixed=False, estimate_kg=D(2))
    assert (result.waste_kg, result.co2e_kg, result.counted) == (0, 0, False)


def test_a_category_average_wins_over_an_estimate():
    assert impact.for_category(15, fixed=True, estimate_kg=D(5)).waste_kg == D("2.68")


def test_misc_counts_only_with_an_estimate_at_the_powered_ratio():
    assert impact.for_category(18, fixed=True).counted is False
    assert impact.for_category(18, fixed=True, estimate_kg=D(0)).counted is False
    two = impact.for_category(18, fixed=True, estimate_kg=D(2))
    # 2 x 32.06679233 x 0.5 = 32.06679233
    assert (two.waste_kg, two.co2e_kg, two.ratio) == (D(2), D("32.06679233"), D("32.06679233"))
    one_and_a_half = impact.for_category(18, fixed=True, estimate_kg=D("1.5"))
    # 1.5 x 32.06679233 = 48.100188495; x 0.5 = 24.0500942475; to the gram 24.050
    assert one_and_a_half.co2e_kg == D("24.0500942475")
    assert one_and_a_half.rounded().co2e_kg == D("24.050")


def test_unpowered_objects_count_only_with_an_estimate_at_the_unpowered_ratio():
    assert impact.for_category(None, fixed=True).counted is False
    bicycle = impact.for_category(None, fixed=True, estimate_kg=D(3))
    # 3 x 17.70147059 = 53.10441177; x 0.5 = 26.552205885; to the gram 26.552
    assert (bicycle.waste_kg, bicycle.co2e_kg) == (D(3), D("26.552205885"))
    assert bicycle.rounded().co2e_kg == D("26.552")
    assert bicycle.footprint_kg is None


def test_an_events_totals_by_hand():
    """A lamp and a laptop fixed, a 2 kg Misc object fixed, a 3 kg bicycle fixed, a kettle at end of life."""
    results = [
        impact.for_category(15, fixed=True),
        impact.for_category(16, fixed=True),
        impact.for_category(18, fixed=True, estimate_kg=D(2)),
        impact.for_category(None, fixed=True, estimate_kg=D(3)),
        impact.for_category(14, fixed=False),
    ]
    # waste: 2.68 + 1.83 + 2 + 3 = 9.51 kg
    assert sum(r.waste_kg for r in results) == D("9.51")
    # CO2e: 7.48 + 132.66 + 32.06679233 + 26.552205885 = 198.758998215 kg
    assert sum(r.co2e_kg for r in results) == D("198.758998215")
    assert sum(r.rounded().co2e_kg for r in results) == D("198.759")


def test_rounding_is_half_up_to_the_gram():
    result = impact.impact(fixed=True, powered=True, weight_kg=D("1.0005"), footprint_kg=D("0.001"))
    assert (result.rounded().waste_kg, result.rounded().co2e_kg) == (D("1.001"), D("0.001"))


def test_a_negative_estimate_is_refused():
    with pytest.raises(ValueError, match="negative"):
        impact.for_category(18, fixed=True, estimate_kg=D(-1))


def test_the_repair_rate_leaves_unknown_outcomes_out():
    assert impact.repair_rate(7, 2, 1) == D("0.7")
    assert impact.repair_rate(0, 0, 0) is None
    # Toronto's real file: 1132 fixed, 227 repairable, 469 end of life (3739 unknown left out)
    assert round(impact.repair_rate(1132, 227, 469), 4) == D("0.6193")
