"""Browser journey on a phone: a lab manager imports a partner's ORDS file (a refused file first, then the fixed
one), confirms, and finds the records counted on the export page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from repairlab.extensions import db as _db
from repairlab.people.models import Role
from repairlab.repairs import ords
from repairlab.repairs.models import RepairTicket
from tests.browser.conftest import log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser

HEADER = ",".join(ords.COLUMNS)
GOOD = "lille_1,Repair Café Lille,FRA,Grille-pain,Toaster,31,Moulinex,2015,9,Fixed,,Lille,2026-03-14,Ne chauffe plus"
SECOND = "lille_2,Repair Café Lille,FRA,Lampe,Lamp,15,,,,End of life,No way to open the product,Lille,2026-03-14,"


def test_a_lab_manager_imports_an_ords_file_on_a_phone(new_page, make_user, make_lab, tmp_path):
    make_lab("Atelier de Roubaix")
    make_user(Role.LAB_MANAGER, email="lina@example.org")
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(f"{HEADER}\n{GOOD}\n{SECOND.replace('Lamp,15', 'Spaceship,')}\n", encoding="utf-8")
    good.write_text(f"{HEADER}\n{GOOD}\n{SECOND}\n", encoding="utf-8")
    page = new_page("phone")
    log_in(page, "lina@example.org")

    page.goto("/repairs/ords")
    page.get_by_role("button", name="Importer un fichier ORDS").click()
    page.wait_for_url("**/repairs/ords/import")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Vérifier le fichier").click()
    errors = page.locator(".import-errors")
    expect(errors).to_contain_text("1 ligne refusée")
    expect(errors).to_contain_text("Ligne 3")
    expect(errors).to_contain_text("Spaceship")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0

    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.get_by_role("button", name="Importer ces 2 fiches").click()
    page.wait_for_url("**/repairs/ords")
    expect(page.locator("main")).to_contain_text("2 fiches de réparation importées.")
    expect(page.locator("main h2")).to_contain_text("2 réparations dans le fichier ORDS")
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(RepairTicket)) == 2
