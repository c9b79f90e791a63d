"""Browser journey on a phone: a lab manager counts a shelf, two codes move into "found", then confirms."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from repairlab.extensions import db as _db
from repairlab.inventory import services as inventory
from repairlab.inventory.models import LocationKind, ProblemReport
from repairlab.people.models import Role, User
from repairlab.stocktake import services as stocktake
from repairlab.stocktake.models import StockTake, StockTakeStatus
from tests.conftest import TEST_PASSWORD
from tests.inventory.conftest import lab, make_item  # noqa: F401  (fixtures)

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


def test_a_lab_manager_counts_a_shelf_on_a_phone(new_page, make_user, make_item, lab):  # noqa: F811
    make_user(Role.LAB_MANAGER, email="lina@example.org")
    shelf = inventory.create_location(None, lab, "Étagère A", LocationKind.SHELF)
    _db.session.commit()
    first, second, third = (make_item(name, location_id=shelf.id) for name in ("Multimètre", "Fer à souder", "Pince"))
    shelf_id, codes = shelf.id, (first.code, second.code)
    page = new_page("phone")
    page.goto("/login")
    page.locator("#email").fill("lina@example.org")
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.goto(f"/lending/stocktake/new?location={shelf_id}")
    page.locator("form[action='/lending/stocktake/start'] button[type=submit]").click()
    page.wait_for_url("**/lending/stocktake/*")
    expect(page.locator('[data-count="missing"]')).to_have_text("3")
    expect(page.locator("[data-camera-start]")).to_be_visible()  # the script is running

    field = page.locator("input[name=code]")
    for n, code in enumerate(codes, start=1):
        field.fill(code.lower())
        field.press("Enter")
        expect(page.locator('[data-list="found"]')).to_contain_text(code)
        expect(page.locator('[data-count="found"]')).to_have_text(str(n))
        expect(page.locator("[data-message]")).to_contain_text(code)
    expect(page.locator('[data-list="missing"]')).not_to_contain_text(first.code)
    expect(page.locator('[data-list="missing"]')).to_contain_text(third.code)
    expect(page.locator('[data-count="missing"]')).to_have_text("1")
    expect(field).to_have_value("")  # ready for the next code
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

    page.locator("form[action$='/confirm'] button[type=submit]").click()
    summary = page.locator(".stocktake-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("li strong")).to_have_text(["2", "1", "0"])
    _db.session.expire_all()
    take = _db.session.scalar(sa.select(StockTake))
    assert take.status == StockTakeStatus.CONFIRMED and (take.found_count, take.missing_count) == (2, 1)
    assert _db.session.scalar(sa.select(ProblemReport.item_id)) == third.id


def test_the_camera_adds_a_label_to_found_once_in_continuous_mode(
    playwright_api,
    chromium_path,
    live_server,
    tmp_path,
    make_user,
    make_item,  # noqa: F811
    lab,  # noqa: F811
):
    from tests.browser import test_scan as scan_journeys  # module access: its tests are not collected twice

    make_user(Role.LAB_MANAGER, email="lina@example.org")
    shelf = inventory.create_location(None, lab, "Étagère B", LocationKind.SHELF)
    _db.session.commit()
    tool = make_item("Multimètre", location_id=shelf.id)
    take = _start(shelf)
    video = scan_journeys.write_y4m(tmp_path / "camera.y4m", f"https://whatever.example/q/{tool.code}")
    args = [*scan_journeys.CAMERA_ARGS, f"--use-file-for-fake-video-capture={video}"]
    browser = playwright_api.chromium.launch(executable_path=chromium_path, headless=True, args=args)
    try:
        context = browser.new_context(base_url=live_server, locale="fr-FR", **scan_journeys.PHONE)
        context.grant_permissions(["camera"], origin=live_server)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto("/login")
        page.locator("#email").fill("lina@example.org")
        page.locator("#password").fill(TEST_PASSWORD)
        page.locator("main form").get_by_role("button", name="Se connecter").click()
        page.wait_for_url("**/")
        page.goto(f"/lending/stocktake/{take}")
        page.locator("[data-camera-start]").click()
        expect(page.locator('[data-list="found"]')).to_contain_text(tool.code)
        expect(page.locator('[data-count="found"]')).to_have_text("1")
        page.wait_for_timeout(2500)  # the same label in view again: "already scanned", still one row
        expect(page.locator('[data-list="found"] li')).to_have_count(1)
        page.locator("[data-camera-stop]").click()
        expect(page.locator("[data-camera-viewport]")).to_be_hidden()
    finally:
        browser.close()


def _start(shelf) -> int:
    manager = _db.session.scalar(sa.select(User).where(User.role == Role.LAB_MANAGER))
    take = stocktake.start_stocktake(manager, shelf)
    _db.session.commit()
    return take.id
