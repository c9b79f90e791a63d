"""The indicators page's repairs section: counts, repair rate, kg and CO2e of hand-made tickets, by territory or
lab and by category, checked by hand from the ORDS table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from repairlab.people.models import Role
from repairlab.repairs.models import Outcome
from repairlab.reporting.repair_indicators import repair_section
from repairlab.reporting.selection import Selection
from tests.repairs import stats_data as data


def _tickets(db, make_lab, make_territory):
    roubaix = make_lab("Atelier Roubaix")
    paris = make_lab("Atelier Montreuil", make_territory("PAR", "Paris-Montreuil"))
    # Roubaix: two toasters fixed (1.47 kg, 8.13 x 0.5 = 4.065 kg CO2e each), a kettle at its end of life, a lamp
    # still repairable, a radio of unknown outcome, one object still open.
    data.ticket(roubaix, "Toaster", Outcome.FIXED, day=date(2026, 10, 3))
    data.ticket(roubaix, "Toaster", Outcome.FIXED, day=date(2026, 11, 14))
    data.ticket(roubaix, "Kettle", Outcome.END_OF_LIFE, day=date(2026, 11, 14))
    data.ticket(roubaix, "Lamp", Outcome.REPAIRABLE, day=date(2026, 11, 14))
    data.ticket(roubaix, "Portable radio", Outcome.UNKNOWN, day=date(2026, 11, 14))
    data.ticket(roubaix, "Fan", day=date(2026, 11, 14))
    # Montreuil: a laptop fixed (1.83 kg, 265.32 x 0.5 = 132.66 kg CO2e).
    data.ticket(paris, "Laptop", Outcome.FIXED, day=date(2026, 11, 20))
    db.session.commit()
    return roubaix, paris


def test_the_section_counts_the_territory_by_hand(db, make_lab, make_territory):
    roubaix, _paris = _tickets(db, make_lab, make_territory)
    section = repair_section(Selection(territory_id=roubaix.territory_id))
    # Objects taken in, fixed, the repair rate = fixed / (fixed + repairable + end of life), kg, CO2e.
    assert [f.value for f in section.figures] == [6, 2, 2 / 4, Decimal("2.940"), Decimal("8.130")]
    by_lab = section.table("by_place")
    assert by_lab.rows == [("Atelier Roubaix", 6, 2, 0.5, Decimal("2.940"), Decimal("8.130"))]


def test_all_territories_by_territory_and_a_window_of_dates(db, make_lab, make_territory):
    _tickets(db, make_lab, make_territory)
    section = repair_section(Selection())
    assert {row[0]: row[1:3] for row in section.table("by_place").rows} == {
        "Roubaix-Lille": (6, 2),
        "Paris-Montreuil": (1, 1),
    }
    november = repair_section(Selection(date_from=date(2026, 11, 1), date_to=date(2026, 11, 30)))
    # The October toaster is out of the window: six objects, two fixed (a toaster and the laptop) of four decided.
    assert [f.value for f in november.figures] == [
        6,
        2,
        2 / 4,
        Decimal("1.470") + Decimal("1.830"),
        Decimal("4.065") + Decimal("132.660"),
    ]


def test_the_page_shows_the_section_in_french(db, make_lab, make_territory, make_user, client, login):
    _tickets(db, make_lab, make_territory)
    login(make_user(Role.ADMIN))
    page = client.get("/reporting/").get_data(as_text=True)
    assert "Réparations et leur impact" in page
    assert "Taux de réparation" in page
    assert "Grille-pain" in page  # the ORDS category in French
    csv = client.get("/reporting/repairs/by_category.csv")
    assert csv.status_code == 200
    assert "Grille-pain" in csv.get_data(as_text=True)


def test_the_research_export_holds_the_repairs_and_never_their_owners(
    db, make_lab, make_territory, make_user, live_client, tmp_path
):
    from repairlab.repairs.models import RepairTicket, RepairWork
    from tests.reporting.test_export import assert_valid_package, download, table

    roubaix, _paris = _tickets(db, make_lab, make_territory)
    talent = make_user(Role.PARTICIPANT, name="Zoé Talent", territory_=roubaix.territory)
    toaster = db.session.scalars(sa.select(RepairTicket).order_by(RepairTicket.id)).first()
    toaster.owner_first_name, toaster.owner_email, toaster.problem = "Nadia", "nadia@example.org", "Ne chauffe plus"
    db.session.add(RepairWork(ticket_id=toaster.id, talent_id=talent.id, minutes=45))
    db.session.commit()
    files = download(live_client, make_user(Role.RESEARCHER))
    repairs = table(files, "repairs")
    assert len(repairs) == 7
    first = repairs[0]
    assert (first["ords_category"], first["outcome"], first["waste_prevented_kg"]) == ("Toaster", "fixed", "1.470")
    assert [(row["repair_id"], row["minutes"]) for row in table(files, "repair_work")] == [(str(toaster.id), "45")]
    text = "\n".join(files.values())
    for secret in ("Nadia", "nadia@example.org", "Ne chauffe plus", "Zoé"):
        assert secret not in text
    assert_valid_package(files, tmp_path)
