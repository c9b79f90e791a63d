"""Browser journey on a phone: a talent reserves a tool for tomorrow and finds it in "my reservations"; another
talent who tries the same day is told why not."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.extensions import db as _db
from repairlab.lending.reservations.models import Reservation
from repairlab.people.models import Role
from tests.conftest import TEST_PASSWORD
from tests.inventory.conftest import lab, make_item  # noqa: F401  (fixtures)

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


def _log_in(page, email: str) -> None:
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def _tomorrow() -> str:
    return (clock.today() + timedelta(days=1)).isoformat()


def _reserve_tomorrow(page, tool_id: int) -> None:
    tomorrow = _tomorrow()
    page.goto(f"/inventory/items/{tool_id}")
    form = page.locator(f"form[action='/lending/items/{tool_id}/reserve']")
    if not form.is_visible():
        page.locator("#reservations details > summary").click()
    form.locator("input[name='starts_on']").fill(tomorrow)
    form.locator("input[name='ends_on']").fill(tomorrow)
    form.locator("input[name='purpose']").fill("Session projet")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/inventory/items/{tool_id}*")


def test_a_talent_reserves_a_tool_for_tomorrow_and_someone_else_is_told_why_not(
    new_page,
    make_user,
    make_item,  # noqa: F811
    screenshot_dir,
):
    make_user(Role.PARTICIPANT, email="zoe@example.org", name="Zoé Martin")
    make_user(Role.PARTICIPANT, email="karim@example.org", name="Karim Benali")
    tool_id = make_item("Scie sauteuse").id

    page = new_page("phone")
    _log_in(page, "zoe@example.org")
    _reserve_tomorrow(page, tool_id)
    expect(page.locator(".flash-success")).to_be_visible()
    page.goto("/lending/my-reservations")
    expect(page.locator("#coming-title + ul")).to_contain_text("Scie sauteuse")
    expect(page.locator("#coming-title + ul")).to_contain_text("Session projet")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.screenshot(path=str(screenshot_dir / "reservations-mine-phone.png"), full_page=True)

    other = new_page("phone")
    _log_in(other, "karim@example.org")
    _reserve_tomorrow(other, tool_id)
    error = other.locator(".flash-error")
    expect(error).to_contain_text(re.compile("Already reserved|Déjà réservé"))
    expect(error).not_to_contain_text("Zoé Martin")
    other.screenshot(path=str(screenshot_dir / "reservations-refused-phone.png"), full_page=True)

    # The week that holds tomorrow (on a Sunday, tomorrow is next week's Monday).
    other.goto(f"/lending/calendar?week={_tomorrow()}")
    expect(other.locator(".calendar-narrow")).to_contain_text("Scie sauteuse")
    expect(other.locator(".calendar-narrow")).to_be_visible()
    expect(other.locator(".calendar-wide")).to_be_hidden()
    _db.session.expire_all()
    assert _db.session.scalar(sa.select(sa.func.count(Reservation.id))) == 1
