"""The read side of repairs: the repair rate and the waste and CO2e prevented, checked by hand from the ORDS table
(ords_category_lca_reference.csv: Toaster 1.47 kg / 8.13 kg CO2e, Coffee maker 1.28 / 17.5, Kettle 1.25 / 44.32,
Laptop 1.83 / 265.32; an unpowered object counts its estimate x 17.70147059; CO2e x 0.5), and the desk's queues."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from repairlab.clock import utcnow
from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.repairs import queries
from repairlab.repairs.models import Outcome, RepairTicket, TicketSource, TicketStatus
from tests.repairs import stats_data as data

F, R, E, U = Outcome.FIXED, Outcome.REPAIRABLE, Outcome.END_OF_LIFE, Outcome.UNKNOWN


@pytest.fixture
def repairs(make_lab, make_territory, make_user, territory):
    """Two labs in Roubaix (an event in one), a lab in another territory, and a partner's reference record."""
    lab_a, lab_b = make_lab("Atelier Nord"), make_lab("Atelier Sud")
    other_lab = make_lab("Atelier Paris", make_territory("PAR", "Paris"))
    zoe, yann = make_user(Role.PARTICIPANT, name="Zoé Martin"), make_user(Role.MENTOR, name="Yann Le Goff")
    cafe = data.event(lab_a, date(2026, 11, 14), "Repair Café de novembre")
    t = {
        "toaster": data.ticket(lab_a, "Toaster", F, event_=cafe, talents=((zoe, 30), (yann, 10), (zoe, 15))),
        "coffee": data.ticket(lab_a, "Coffee maker", F, event_=cafe, talents=((zoe, 40),)),
        "vacuum": data.ticket(lab_a, "Vacuum", E, event_=cafe, talents=((yann, 25),)),
        "lamp": data.ticket(lab_a, "Lamp", R, event_=cafe),
        "bike": data.ticket(lab_a, "Bicycle", F, event_=cafe, estimate="12"),
        "dryer": data.ticket(lab_a, "Hair dryer", U, event_=cafe),
        "kettle_open": data.ticket(lab_a, "Kettle", event_=cafe),
        "kettle": data.ticket(lab_b, "Kettle", F, day=date(2026, 10, 3)),
        "laptop": data.ticket(other_lab, "Laptop", F, day=date(2026, 11, 20)),
    }
    db.session.add(
        RepairTicket(
            source=TicketSource.REFERENCE,
            external_id="restart_1",
            data_provider="Restart",
            event_date=date(2026, 11, 1),
            category_id=data.category("Laptop").id,
            status=TicketStatus.RETURNED,
            outcome=F,
            closed_at=utcnow(),
            waste_prevented_kg=Decimal("1.83"),
            co2e_prevented_kg=Decimal("132.66"),
        )
    )
    db.session.commit()
    return {"a": lab_a, "b": lab_b, "other": other_lab, "cafe": cafe, "zoe": zoe, "yann": yann, **t}


def test_territory_figures_by_hand(repairs, territory):
    f = queries.figures(queries.Scope(territory_id=territory.id))
    assert (f.tickets, f.fixed, f.repairable, f.end_of_life, f.unknown, f.open) == (8, 4, 1, 1, 1, 1)
    # 4 fixed out of 6 decided (the unknown and the open one are left out): 66.7 %, 67 % rounded.
    assert f.rate == Decimal(4) / Decimal(6)
    assert f.percent == 67
    # Toaster 1.47 + coffee maker 1.28 + bicycle's estimate 12 + kettle 1.25.
    assert f.waste_kg == Decimal("16.000")
    # 8.13 / 2 + 17.5 / 2 + 12 x 17.70147059 / 2 (106.20882354 -> 106.209) + 44.32 / 2.
    assert f.co2e_kg == Decimal("4.065") + Decimal("8.750") + Decimal("106.209") + Decimal("22.160")
    assert f.co2e_kg == Decimal("141.184")


def test_programme_figures_leave_out_reference_data(repairs):
    f = queries.figures(queries.Scope())
    assert (f.tickets, f.fixed) == (9, 5)  # the partner's reference record (no lab) is not the programme's
    assert f.waste_kg == Decimal("17.830")  # + the Paris laptop's 1.83
    assert f.co2e_kg == Decimal("273.844")  # + 265.32 / 2


def test_figures_by_lab_territory_category_event(repairs, territory):
    scope = queries.Scope(territory_id=territory.id)
    by_lab = {row.label: row.figures for row in queries.impact_by_lab(scope)}
    assert list(by_lab) == ["Atelier Nord", "Atelier Sud"]
    assert (by_lab["Atelier Nord"].tickets, by_lab["Atelier Nord"].fixed, by_lab["Atelier Nord"].percent) == (7, 3, 60)
    assert by_lab["Atelier Sud"].waste_kg == Decimal("1.250")
    assert by_lab["Atelier Sud"].percent == 100

    by_territory = {row.label: row.figures.tickets for row in queries.impact_by_territory(queries.Scope())}
    assert by_territory == {"Paris": 1, "Roubaix-Lille": 8}

    by_category = {row.label: row.figures for row in queries.impact_by_category(scope)}
    assert by_category["Kettle"].tickets == 2
    assert by_category["Kettle"].co2e_kg == Decimal("22.160")
    assert by_category["Vacuum"].rate == 0
    assert by_category["Hair dryer"].rate is None  # only an unknown outcome: no rate
    assert next(iter(by_category)) == "Kettle"  # the most tickets first

    [cafe] = queries.impact_by_event(scope)
    assert cafe.label == "Repair Café de novembre"
    assert (cafe.figures.tickets, cafe.figures.fixed, cafe.figures.percent) == (7, 3, 60)
    assert queries.event_totals(repairs["cafe"].id) == cafe.figures


def test_figures_by_month(repairs, territory):
    months = queries.impact_by_month(queries.Scope(territory_id=territory.id))
    assert [(row.key, row.figures.tickets, row.figures.waste_kg) for row in months] == [
        (date(2026, 10, 1), 1, Decimal("1.250")),
        (date(2026, 11, 1), 7, Decimal("14.750")),
    ]
    start, end = queries.last_months(date(2026, 11, 30))
    assert start == date(2025, 12, 1)
    chart = queries.monthly_chart(months, start, end)
    assert len(chart.dots) == 12  # the months without a repair count zero
    assert chart.high == Decimal("14.750")
    assert chart.latest == Decimal("14.750")


def test_figures_by_talent_count_a_ticket_once(repairs, territory):
    rows = {row.label: row.figures for row in queries.impact_by_talent(queries.Scope(territory_id=territory.id))}
    # Zoé: the toaster (two entries: 30 + 15 minutes) and the coffee maker (40): two tickets, both fixed.
    assert (rows["Zoé Martin"].tickets, rows["Zoé Martin"].fixed, rows["Zoé Martin"].minutes) == (2, 2, 85)
    assert rows["Zoé Martin"].waste_kg == Decimal("2.750")
    # Yann: the toaster (10) and the vacuum (25, end of life): 50 %.
    assert (rows["Yann Le Goff"].tickets, rows["Yann Le Goff"].percent, rows["Yann Le Goff"].minutes) == (2, 50, 35)


def test_a_period_limits_the_figures(repairs, territory):
    f = queries.figures(queries.Scope(territory_id=territory.id, start=date(2026, 11, 1), end=date(2026, 11, 30)))
    assert (f.tickets, f.fixed) == (7, 3)


def test_no_ticket_gives_zeros_and_no_rate(territory):
    f = queries.figures(queries.Scope(territory_id=territory.id))
    assert (f.tickets, f.rate, f.percent, f.waste_kg) == (0, None, None, Decimal(0))
    assert queries.monthly_chart([], date(2026, 1, 1), date(2026, 12, 31)) is None


def test_desk_queues(make_lab, make_territory, territory):
    lab = make_lab("Atelier")
    other = make_lab("Ailleurs", make_territory("PAR", "Paris"))
    now = utcnow()
    data.ticket(lab, "Toaster", brand="Seb")  # received
    data.ticket(lab, "Lamp", status=TicketStatus.DIAGNOSED)  # diagnosed: in no queue
    data.ticket(lab, "Kettle", status=TicketStatus.IN_REPAIR, changed_at=now - timedelta(days=20))
    data.ticket(lab, "Fan", status=TicketStatus.IN_REPAIR, changed_at=now - timedelta(days=10))
    data.ticket(lab, "Iron", F, status=TicketStatus.READY)
    data.ticket(lab, "Iron", F)  # returned: closed
    data.ticket(other, "Toaster")
    db.session.commit()
    q = queries.desk_queues(territory.id, now, 14)
    assert (q.waiting, q.stale, q.ready, q.empty) == (1, 1, 1, False)
    assert [t.category.name for t in q.oldest["stale"]] == ["Kettle"]
    assert (queries.desk_queues(territory.id, now, 7).stale, queries.desk_queues(None, now, 14).waiting) == (2, 2)


def test_constants_table_lists_every_category_with_its_source():
    categories = queries.categories_table()
    assert len(categories) == 46
    assert (categories[0].ords_id, categories[0].name) == (1, "Aircon/dehumidifier")
    assert not categories[-1].powered
    assert all(c.source for c in categories)
    assert {c.key: c.value for c in queries.constants_table()}["displacement"] == Decimal("0.5")
