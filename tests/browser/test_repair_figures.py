"""Browser journey on a phone: a lab manager goes from the home's repair queue to the filtered ticket list, searches
it, then reads the territory's impact page (figures, chart, tables that scroll inside their frame)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from repairlab.clock import today, utcnow
from repairlab.extensions import db as _db
from repairlab.people.models import Role
from repairlab.repairs.models import Outcome, TicketStatus
from tests.conftest import TEST_PASSWORD
from tests.repairs import stats_data as data

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


def test_queues_list_and_impact_on_a_phone(new_page, page_at, make_user, make_lab, territory, screenshot_dir):
    lab = make_lab("Atelier Nord")
    make_user(Role.LAB_MANAGER, email="lina@example.org")
    cafe = data.event(lab, today() - timedelta(days=10), "Repair Café d’automne")
    data.ticket(lab, "Toaster", Outcome.FIXED, event_=cafe, lab_category="Grille-pain", brand="Moulinex")
    data.ticket(lab, "Vacuum", Outcome.END_OF_LIFE, event_=cafe, lab_category="Aspirateur")
    ready = data.ticket(lab, "Coffee maker", Outcome.FIXED, status=TicketStatus.READY, lab_category="Cafetière")
    data.ticket(lab, "Kettle", status=TicketStatus.IN_REPAIR, changed_at=utcnow() - timedelta(days=30))
    _db.session.commit()

    for width in (390, 1366):
        page = page_at(width)
        page.goto("/login")
        page.locator("#email").fill("lina@example.org")
        page.locator("#password").fill(TEST_PASSWORD)
        page.locator("main form").get_by_role("button", name="Se connecter").click()
        page.wait_for_url("**/")
        queues = page.locator(".repair-queues")
        expect(queues).to_contain_text("prêt à récupérer")
        queues.get_by_role("link", name="prêt à récupérer").click()
        page.wait_for_url("**/repairs/tickets?status=ready")
        expect(page.locator(".ticket-row")).to_have_count(1)
        expect(page.locator(".ticket-row")).to_contain_text(ready.code)
        page.screenshot(path=str(screenshot_dir / f"repair-list-{width}.png"), full_page=True)

        page.goto("/repairs/tickets")
        page.locator("#q").fill("GRILLE")
        page.locator("#q").press("Enter")
        expect(page.locator(".ticket-row")).to_have_count(1)
        expect(page.locator(".ticket-row")).to_contain_text("Moulinex")

        page.goto(f"/repairs/impact/territories/{territory.id}")
        expect(page.locator("h1")).to_contain_text("Impact des réparations")
        expect(page.locator(".impact-stats").first).to_contain_text("67")  # 2 fixed of 3 decided: 67 %
        expect(page.locator("svg[role=img] title").first).to_contain_text("Déchets évités")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0  # wide tables scroll inside their frame, not the page
        page.screenshot(path=str(screenshot_dir / f"repair-impact-{width}.png"), full_page=True)
