"""The indicators page's repairs section: objects repaired, the repair rate, and the waste and CO2e prevented, from
the figures each ticket stores (`repairs.queries`, aggregates in the database)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from repairlab.repairs import queries as repairs
from repairlab.reporting.rates import rate
from repairlab.reporting.registry import ChartSpec, Column, Figure, Section, SectionData, Table, sections
from repairlab.reporting.selection import Selection

TOP_CATEGORIES = 10


def _scope(sel: Selection) -> repairs.Scope:
    """The tickets of the selection: its territory and its dates (cohort and track choose talents, not objects)."""
    return repairs.Scope(territory_id=sel.territory_id, start=sel.date_from, end=sel.date_to)


def _row(label: str, f: repairs.Figures) -> tuple:
    return (label, f.tickets, f.fixed, rate(f.fixed, f.decided), f.waste_kg, f.co2e_kg)


def _columns(first) -> list[Column]:
    return [
        first,
        Column("objects", _l("Objects"), "int"),
        Column("fixed", _l("Fixed"), "int"),
        Column("repair_rate", _l("Repair rate"), "percent"),
        Column("waste_kg", _l("Waste prevented (kg)"), "number"),
        Column("co2e_kg", _l("CO2e prevented (kg)"), "number"),
    ]


def repair_section(sel: Selection) -> SectionData:
    """Totals, then by territory or lab, then by category: three queries."""
    scope = _scope(sel)
    total = repairs.figures(scope)
    if sel.territory_id is None:
        places = repairs.impact_by_territory(scope)
        place_column = Column("territory", _l("Territory"))
        place_title = _l("Repairs by territory")
    else:
        places = repairs.impact_by_lab(scope)
        place_column = Column("lab", _l("Lab"))
        place_title = _l("Repairs by lab")
    categories = repairs.impact_by_category(scope)[:TOP_CATEGORIES]
    chart = ChartSpec(label_columns=(0,), series_columns=(1, 2))
    return SectionData(
        figures=[
            Figure(_l("Objects taken in"), total.tickets, _l("Repair tickets of the labs, by the day of the repair.")),
            Figure(_l("Objects fixed"), total.fixed, _l("Tickets whose ORDS outcome is Fixed.")),
            Figure(
                _l("Repair rate"),
                rate(total.fixed, total.decided),
                _l("Fixed ÷ (Fixed + Repairable + End of life); objects of unknown outcome are left out."),
                "percent",
            ),
            Figure(
                _l("Waste prevented (kg)"),
                total.waste_kg,
                _l("The Fixometer way: the category's average weight for each fixed object, or the desk's estimate."),
                "number",
            ),
            Figure(
                _l("CO2e prevented (kg)"),
                total.co2e_kg,
                _l("The category's manufacturing footprint × 0.5 (a repair displaces half of a new purchase)."),
                "number",
            ),
        ],
        tables=[
            Table(
                "by_place",
                place_title,
                _l("Objects taken in and fixed, with the waste and CO2e their repair prevented."),
                _columns(place_column),
                [_row(r.label, r.figures) for r in places],
                chart,
            ),
            Table(
                "by_category",
                _l("Repairs by kind of object"),
                _l("The ten ORDS categories with the most objects."),
                _columns(Column("category", _l("Category"))),
                [_row(repairs.category_label(r.label), r.figures) for r in categories],
                chart,
            ),
        ],
        note=_l("Repairs count the objects of the selected territory and dates; cohort and track do not apply."),
    )


def register_sections() -> None:
    """The repairs section, after the loans."""
    sections.register(
        "repairs",
        Section(
            _l("Repairs and their impact"),
            _l("Objects brought to the labs, how many were fixed, and the waste and CO2e it prevented."),
            repair_section,
            clock="day",
        ),
        order=55,
    )
