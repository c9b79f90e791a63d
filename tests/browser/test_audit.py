"""The audit log as an administrator reads it, on a laptop (1366 px) and on a phone (390 px)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from repairlab.inventory import services as inventory
from repairlab.inventory.models import ItemKind
from repairlab.lending import services as lending
from repairlab.people import services as people
from repairlab.people.models import Role
from tests.browser.test_auth_journeys import assert_no_sideways_scroll, log_in
from tests.conftest import TEST_PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def logged_changes(db, make_user, make_lab):
    """An admin, and a loan recorded in the log on 2026-03-01 at 10:00 UTC."""
    admin = make_user(Role.ADMIN, email="ada.admin@example.org", name="Ada Admin", password=TEST_PASSWORD)
    lab = make_lab("Atelier Roubaix")
    with time_machine.travel(datetime(2026, 3, 1, 10, tzinfo=UTC), tick=False):
        drill = inventory.create_item(admin, lab, inventory.ItemFields(name="Perceuse", kind=ItemKind.TOOL))
        talent = make_user(Role.PARTICIPANT, name="Awa Diallo")
        lending.check_out_item(admin, drill, talent, kind="take_home", due_at=date(2026, 3, 8))
        inventory.create_category(admin, "Électronique", None)
        people.update_territory(admin, lab.territory, name="Roubaix Métropole", active=True)
        db.session.commit()
    return drill


@pytest.mark.parametrize("size", list(SIZES))
def test_the_audit_log_reads_as_words(new_page, logged_changes, screenshot_dir, size):
    page = new_page("phone" if size == "phone" else "desktop")
    page.set_viewport_size(SIZES[size])
    page.goto("/login")
    log_in(page, email="ada.admin@example.org")
    page.goto("/admin/audit")
    loan = page.locator("table.audit tbody tr", has_text="prêté")
    expect(loan).to_contain_text(f"{logged_changes.code} Perceuse")
    expect(loan).to_contain_text("Emprunteur")
    expect(loan).to_contain_text("Awa Diallo")
    expect(loan).to_contain_text("1 mars 2026, 11\u00a0h\u00a000")
    expect(loan.locator("dl.changes")).to_contain_text("emporté à la maison")
    expect(loan.locator("dl.changes")).not_to_contain_text("take_home")
    # The recorded codes are behind a disclosure, closed at first.
    raw = loan.locator("details.raw")
    expect(raw.locator("code").first).to_be_hidden()
    raw.locator("summary").click()
    expect(raw.locator("code").first).to_have_text("lend")
    shared = page.locator("table.audit tbody tr", has_text="Électronique")
    expect(shared).to_contain_text("Tous les territoires")
    page.screenshot(path=str(screenshot_dir / f"audit-{size}.png"), full_page=True)
    if size == "phone":
        assert_no_sideways_scroll(page)
    # Filter by territory: the shared category is not Roubaix's own change.
    page.select_option("#territory", label="Roubaix Métropole")
    page.locator("form.filters button").click()
    expect(page.locator("table.audit tbody")).to_contain_text("Perceuse")
    expect(page.locator("table.audit tbody")).not_to_contain_text("Électronique")
