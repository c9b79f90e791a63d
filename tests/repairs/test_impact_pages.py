"""The impact pages (programme, territory, lab), the constants table, the event's totals and the home's queues:
what each role sees, in French, with the figures checked by hand from the ORDS table."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
import time_machine
from flask import render_template

from repairlab.clock import utcnow
from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.repairs import queries
from repairlab.repairs.models import Outcome, RepairTicket, TicketStatus
from tests.repairs import stats_data as data

FR = {"Accept-Language": "fr"}
F = Outcome.FIXED


@pytest.fixture
def repairs(make_lab, make_user, territory):
    """An event at a lab: a toaster and a coffee maker fixed by Zoé, a vacuum at its end of life; a kettle fixed at
    another lab of the territory."""
    lab, lab_b = make_lab("Atelier Nord"), make_lab("Atelier Sud")
    zoe = make_user(Role.PARTICIPANT, name="Zoé Martin")
    cafe = data.event(lab, date(2026, 11, 14), "Repair Café de novembre")
    data.ticket(lab, "Toaster", F, event_=cafe, talents=((zoe, 30),))
    data.ticket(lab, "Coffee maker", F, event_=cafe, talents=((zoe, 45),))
    data.ticket(lab, "Vacuum", Outcome.END_OF_LIFE, event_=cafe)
    data.ticket(lab_b, "Kettle", F, day=date(2026, 10, 3))
    db.session.commit()
    return {"lab": lab, "lab_b": lab_b, "cafe": cafe, "zoe": zoe}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u202f", " ").replace("\xa0", " ")


@time_machine.travel("2026-12-06 10:00:00Z", tick=False)
def test_the_territory_page_in_french(client, login, make_user, repairs, territory):
    login(make_user(Role.LAB_MANAGER))
    html = client.get(f"/repairs/impact/territories/{territory.id}", headers=FR).get_data(as_text=True)
    text = _text(html)
    assert "Impact des réparations à Roubaix-Lille" in text
    # 4 objects, 3 fixed of 4 decided: 75 %; 1.47 + 1.28 + 1.25 = 4.0 kg; 4.065 + 8.75 + 22.16 = 34.975 kg CO2e.
    assert "4 objets apportés" in text and "3 réparés" in text
    assert "75 % taux de réparation" in text
    assert "4,0 kg de déchets évités" in text
    assert "35,0 kg de CO2e évités" in text
    assert '<svg viewBox="0 0 320 140"' in html and "<title" in html  # the chart, with its words
    assert "Atelier Nord" in text and "Atelier Sud" in text  # per lab
    assert "Grille-pain" in text or "Toaster" in text  # categories (in French once the catalogue has them)
    assert "Repair Café de novembre" in text
    assert "Zoé Martin" in text and "75" in text  # the talent and her minutes
    assert "novembre 2026" in text  # month by month


@time_machine.travel("2026-12-06 10:00:00Z", tick=False)
def test_the_lab_page(client, login, make_user, repairs):
    login(make_user(Role.MENTOR))
    text = _text(client.get(f"/repairs/impact/labs/{repairs['lab'].id}", headers=FR).get_data(as_text=True))
    assert "Impact des réparations à Atelier Nord" in text
    assert "3 objets apportés" in text and "67 % taux de réparation" in text
    assert "2,8 kg de déchets évités" in text  # 1.47 + 1.28


def test_researchers_see_the_figures_without_names(client, login, make_user, repairs, territory):
    login(make_user(Role.RESEARCHER))
    home = client.get("/repairs/impact", headers=FR)
    assert home.status_code == 200
    assert "Roubaix-Lille" in _text(home.get_data(as_text=True))  # per territory
    page = client.get(f"/repairs/impact/territories/{territory.id}", headers=FR).get_data(as_text=True)
    assert "Zoé Martin" not in page
    assert "/repairs/tickets?" not in page  # no link to ticket pages they may not see


def test_a_territory_manager_is_sent_to_their_territory(client, login, make_user, territory):
    login(make_user(Role.LAB_MANAGER))
    response = client.get("/repairs/impact")
    assert response.status_code == 302
    assert response.location.endswith(f"/repairs/impact/territories/{territory.id}")


def test_an_empty_territory(client, login, make_user, territory):
    login(make_user(Role.LAB_MANAGER))
    text = _text(client.get(f"/repairs/impact/territories/{territory.id}", headers=FR).get_data(as_text=True))
    assert "0 objet apporté" in text and "Aucune réparation ces douze derniers mois." in text


def test_the_constants_table(client, login, make_user):
    login(make_user(Role.PARTICIPANT))
    text = _text(client.get("/repairs/constants", headers=FR).get_data(as_text=True))
    assert "Facteur de déplacement" in text and "0,5" in text
    assert "32,067" in text or "32,06679233" in text
    assert ("Grille-pain" in text or "Toaster" in text) and "1,47" in text and "8,13" in text
    assert "Open Repair Alliance" in text  # the source
    assert ("Vélo" in text or "Bicycle" in text) and "poids estimé à l’accueil" in text


def test_the_event_totals_include(app, repairs):
    with app.test_request_context(headers=FR):
        html = render_template("repairs/_event_totals.html", totals=queries.event_totals(repairs["cafe"].id))
    text = _text(html)
    assert "3 objets apportés" in text and "67 % taux de réparation" in text and "2,8 kg" in text


def test_the_home_queues(client, login, make_user, make_lab, territory):
    lab = make_lab("Atelier")
    waiting = data.ticket(lab, "Toaster", brand="Seb")
    data.ticket(lab, "Kettle", status=TicketStatus.IN_REPAIR, changed_at=utcnow() - timedelta(days=30))
    data.ticket(lab, "Iron", F, status=TicketStatus.READY)
    db.session.commit()
    login(make_user(Role.LAB_MANAGER))
    html = client.get("/", headers=FR).get_data(as_text=True)
    text = _text(html)
    assert "Accueil des réparations" in text
    assert "en réparation depuis plus de 14 jours" in text
    assert waiting.code in html and "/repairs/tickets?status=ready" in html
    login(make_user(Role.PARTICIPANT))
    assert "Accueil des réparations" not in _text(client.get("/", headers=FR).get_data(as_text=True))


def test_cached_figures_follow_every_change(
    still_clock, app, client, login, make_user, repairs, territory, monkeypatch, query_counter
):
    """The figures are computed once and checked in one query while nothing changed; the page shows the new figures
    as soon as a ticket changes or is added, or a lab is renamed."""
    login(make_user(Role.LAB_MANAGER))
    url = f"/repairs/impact/territories/{territory.id}"
    assert "3 réparés" in _text(client.get(url, headers=FR).get_data(as_text=True))
    with query_counter() as warm:
        client.get(url, headers=FR)
    vacuum = db.session.scalar(sa.select(RepairTicket).where(RepairTicket.outcome == Outcome.END_OF_LIFE))
    vacuum.outcome, vacuum.barrier = F, None
    vacuum.waste_prevented_kg, vacuum.co2e_prevented_kg = Decimal("6.800"), Decimal("18.005")
    db.session.commit()
    text = _text(client.get(url, headers=FR).get_data(as_text=True))
    assert "4 réparés" in text and "10,8 kg de déchets évités" in text  # 4.0 + 6.8
    data.ticket(repairs["lab"], "Toaster", F)
    db.session.commit()
    assert "5 réparés" in _text(client.get(url, headers=FR).get_data(as_text=True))
    repairs["lab"].name = "Atelier des Anges"
    db.session.commit()
    assert "Atelier des Anges" in _text(client.get(url, headers=FR).get_data(as_text=True))
    with query_counter() as cold:
        client.get(f"/repairs/impact/labs/{repairs['lab'].id}", headers=FR)
    assert warm.value < cold.value
