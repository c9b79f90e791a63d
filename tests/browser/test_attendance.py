"""Browser journey on a phone (390 px): a lab manager records who came to a workshop, by ticking the list and by
typing a member card's code, as a card reader would."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.extensions import db as _db
from repairlab.lending import cards
from repairlab.people.models import Role
from repairlab.programme import attendance
from repairlab.programme.models import ActivityKind, AttendanceMethod, SessionAttendance
from tests.browser.conftest import log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


def test_a_lab_manager_records_attendance_on_a_phone(page_at, make_user, territory, screenshot_dir):
    manager = make_user(Role.LAB_MANAGER, email="lina@example.org")
    awa = make_user(Role.PARTICIPANT, name="Awa Diop")
    bilal = make_user(Role.PARTICIPANT, name="Bilal Martin")
    chloe = make_user(Role.PARTICIPANT, name="Chloé Roux")
    session = attendance.create_session(
        manager, territory, kind=ActivityKind.WORKSHOP, title="Atelier vélo", held_on=clock.today()
    )
    token = cards.card_for(chloe).token
    _db.session.commit()
    session_id = session.id

    page = page_at(390)
    log_in(page, "lina@example.org")
    page.goto("/programme/sessions")
    page.get_by_role("link", name="Atelier vélo").click()
    page.wait_for_url(f"**/programme/sessions/{session_id}")

    expect(page.locator("[data-camera-start]")).to_be_visible()  # the camera scanner is ready
    page.get_by_label("Awa Diop").check()
    page.get_by_label("Bilal Martin").check()
    page.get_by_role("button", name="Noter présents les talents cochés").click()
    expect(page.locator(".flash-success")).to_contain_text("2 talents notés présents.")
    expect(page.get_by_label("Awa Diop")).to_be_checked()
    expect(page.get_by_label("Awa Diop")).to_be_disabled()

    field = page.get_by_label("Code de la carte de membre")
    field.fill(token.lower())
    page.get_by_role("button", name="Noter présent·e", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Chloé Roux est noté·e présent·e.")
    expect(page.get_by_label("Code de la carte de membre")).to_have_value("")
    expect(page.locator("[data-present-count]")).to_have_text("3 présent·e·s")

    field = page.get_by_label("Code de la carte de membre")
    field.fill("M-PASUNECARTE")
    page.get_by_role("button", name="Noter présent·e", exact=True).click()
    expect(page.locator("#card-error, .field-error").first).to_contain_text("Aucune carte")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.screenshot(path=str(screenshot_dir / "programme-attendance-390.png"), full_page=True)

    rows = _db.session.execute(sa.select(SessionAttendance.talent_id, SessionAttendance.method)).all()
    assert sorted(rows) == sorted(
        [(awa.id, AttendanceMethod.LIST), (bilal.id, AttendanceMethod.LIST), (chloe.id, AttendanceMethod.CARD)]
    )
