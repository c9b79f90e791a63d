"""A repair event on a phone: the lab manager plans it and takes three objects in, prints their labels; two talents
repair one (a part leaves the stock), another ends as end of life with its barrier; the owner's anonymous scan
shows "Prêt à récupérer". Then the pages at 390 px and 1366 px, in French, without horizontal scrolling."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.extensions import db as _db
from repairlab.inventory.models import Item, ItemKind
from repairlab.people.models import Role
from repairlab.repairs.models import Barrier, Outcome, RepairEvent, RepairTicket, RepairWork, TicketStatus
from tests.browser.conftest import LAPTOP_WIDTH, log_in
from tests.inventory.conftest import lab, make_item  # noqa: F401  (fixtures)

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser

PHONE = 390


@pytest.fixture
def repair_lab(db, make_user, make_item, lab):  # noqa: F811
    """Lina runs the lab (opening hours given); Zoé and Yanis are talents; fuses are in stock."""
    lab.opening_hours = "Mardi et jeudi, 14 h – 18 h"
    db.session.commit()
    make_user(Role.LAB_MANAGER, email="lina@example.org", name="Lina Gestionnaire")
    make_user(Role.PARTICIPANT, email="zoe@example.org", name="Zoé Martin")
    make_user(Role.PARTICIPANT, email="yanis@example.org", name="Yanis Benali")
    return make_item("Fusible 10 A", kind=ItemKind.PART, quantity=4)


def _no_sideways_scroll(page) -> None:
    # Measured once the page has loaded whole (its style sheet applied): before that, an unstyled page is wider.
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def _take_in(page, event_id: int, category: str, problem: str, brand: str = "", weight: str = "") -> str:
    page.goto(f"/repairs/intake?event={event_id}")
    page.get_by_label("Type d’objet").select_option(label=category)
    page.get_by_label("La panne, avec les mots du propriétaire").fill(problem)
    if brand:
        page.get_by_label("Marque").fill(brand)
    if weight:
        page.get_by_label("Poids estimé (kg)").fill(weight)
    page.get_by_role("button", name="Recevoir l’objet").click()
    flash = page.locator(".flash-success")
    expect(flash).to_contain_text("reçu. Collez son étiquette sur l’objet.")
    return re.search(r"RBX-\d{4}", flash.inner_text()).group(0)


def test_a_repair_event_on_a_phone(new_page, page_at, repair_lab, screenshot_dir, tmp_path):
    fuse = repair_lab
    lina = page_at(PHONE)
    log_in(lina, "lina@example.org")

    # Plan the event with the two talents on duty.
    lina.goto("/repairs/events/new")
    day = clock.today() + timedelta(days=0)
    lina.get_by_label("Jour").fill(day.isoformat())
    lina.get_by_label("Ouverture").fill("14:00")
    lina.get_by_label("Fermeture").fill("18:00")
    talents = lina.locator("fieldset", has_text="Talents de permanence")
    talents.get_by_label("Zoé Martin").check()
    talents.get_by_label("Yanis Benali").check()
    _no_sideways_scroll(lina)
    lina.screenshot(path=str(screenshot_dir / "repairs-event-form-390.png"), full_page=True)
    lina.get_by_role("button", name="Planifier l’événement").click()
    expect(lina.locator(".flash-success")).to_contain_text("est planifié")
    event_id = _db.session.scalar(sa.select(RepairEvent.id))

    # Three objects taken in.
    toaster = _take_in(lina, event_id, "Grille-pain", "Ne chauffe plus", brand="Moulinex")
    _no_sideways_scroll(lina)
    lina.screenshot(path=str(screenshot_dir / "repairs-intake-390.png"), full_page=True)
    radio = _take_in(lina, event_id, "Radio portable", "Plus de son", brand="Philips")
    bike = _take_in(lina, event_id, "Vélo (poids à estimer)", "Frein arrière mou", weight="12,5")
    assert len({toaster, radio, bike}) == 3  # the territory's next codes (the fuse has the first)

    # Their labels: the event's page prints them; the PDF has the three codes.
    lina.goto(f"/repairs/events/{event_id}")
    _no_sideways_scroll(lina)
    lina.screenshot(path=str(screenshot_dir / "repairs-event-390.png"), full_page=True)
    lina.get_by_role("button", name="Imprimer les étiquettes").click()
    lina.wait_for_url("**/labels/print**")
    query = lina.evaluate(
        "new URLSearchParams(new FormData(document.querySelector('form[action$=\"sheet.pdf\"]'))).toString()"
    )
    pdf = lina.request.get(f"/labels/sheet.pdf?{query}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "labels.pdf"
    path.write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert all(code in text for code in (toaster, radio, bike))
    assert "Moulinex" in text and "Philips" in text

    # Two talents repair the toaster: Zoé diagnoses and takes a fuse, Yanis finishes and says it is fixed.
    zoe = page_at(PHONE)
    log_in(zoe, "zoe@example.org")
    zoe.goto(f"/q/{toaster}")
    expect(zoe.get_by_role("heading", level=1)).to_have_text("Grille-pain Moulinex")
    zoe.get_by_label("Passer à l’étape").select_option(label="En réparation")
    zoe.get_by_role("button", name="Changer d’étape").click()
    expect(zoe.locator(".flash-success")).to_contain_text("En réparation")
    zoe.get_by_role("spinbutton", name="Minutes").fill("30")
    zoe.get_by_role("button", name="Noter le temps").click()
    expect(zoe.locator("#work")).to_contain_text("Zoé Martin · 30 minutes")
    zoe.get_by_role("textbox", name="Diagnostic").fill("Fusible thermique grillé")
    zoe.get_by_role("button", name="Enregistrer les notes").click()
    zoe.get_by_label("Pièce détachée").select_option(label="Fusible 10 A (4)")
    zoe.get_by_role("button", name="Prendre dans le stock").click()
    expect(zoe.locator(".flash-success")).to_contain_text("1 × Fusible 10 A pris dans le stock.")

    yanis = page_at(PHONE)
    log_in(yanis, "yanis@example.org")
    yanis.goto(f"/q/{toaster}")
    yanis.get_by_role("spinbutton", name="Minutes").fill("20")
    yanis.get_by_role("button", name="Noter le temps").click()
    yanis.get_by_role("radio", name="Réparé").check()
    yanis.get_by_role("button", name="Enregistrer le résultat").click()
    expect(yanis.locator(".flash-success")).to_contain_text("Résultat\u00a0: Réparé.")
    yanis.get_by_label("Passer à l’étape").select_option(label="Prêt à récupérer")
    yanis.get_by_role("button", name="Changer d’étape").click()
    expect(yanis.locator(".status-line")).to_contain_text("Prêt à récupérer")
    _no_sideways_scroll(yanis)
    yanis.screenshot(path=str(screenshot_dir / "repairs-ticket-390.png"), full_page=True)

    # The radio is at the end of its life: no spare part to be found.
    lina.goto(f"/q/{radio}")
    lina.get_by_role("radio", name="Fin de vie").check()
    lina.get_by_label("Si fin de vie : ce qui empêche la réparation".replace(" :", "\u00a0:")).select_option(
        label="Pièces détachées introuvables"
    )
    lina.get_by_role("button", name="Enregistrer le résultat").click()
    expect(lina.locator(".flash-success")).to_contain_text("Fin de vie")

    # The owner scans the label with their own phone, logged in nowhere.
    owner = new_page("phone")
    owner.goto(f"/q/{toaster}")
    expect(owner.locator(".status-line")).to_have_text("Prêt à récupérer")
    expect(owner.locator("main")).to_contain_text("Mardi et jeudi, 14 h – 18 h")
    for name in ("Zoé", "Yanis", "Lina"):
        expect(owner.locator("main")).not_to_contain_text(name)
    owner.screenshot(path=str(screenshot_dir / "repairs-public-390.png"), full_page=True)

    _db.session.expire_all()
    tickets = {t.code: t for t in _db.session.scalars(sa.select(RepairTicket))}
    fixed, ended = tickets[toaster], tickets[radio]
    assert fixed.status == TicketStatus.READY and fixed.outcome == Outcome.FIXED
    assert sorted(_db.session.scalars(sa.select(RepairWork.minutes).where(RepairWork.ticket_id == fixed.id))) == [
        20,
        30,
    ]
    assert fixed.waste_prevented_kg is not None and fixed.co2e_prevented_kg is not None
    assert _db.session.get(Item, fuse.id).quantity == 3
    assert ended.outcome == Outcome.END_OF_LIFE and ended.barrier == Barrier.SPARE_PARTS_NOT_AVAILABLE
    assert tickets[bike].estimated_weight_kg == 12.5

    # The same pages on a laptop.
    laptop = page_at(LAPTOP_WIDTH)
    log_in(laptop, "lina@example.org")
    for name, url in (
        ("event", f"/repairs/events/{event_id}"),
        ("intake", f"/repairs/intake?event={event_id}"),
        ("ticket", f"/repairs/tickets/{fixed.id}"),
        ("events", "/repairs/events"),
    ):
        laptop.goto(url)
        _no_sideways_scroll(laptop)
        laptop.screenshot(path=str(screenshot_dir / f"repairs-{name}-1366.png"), full_page=True)
