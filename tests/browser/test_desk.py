"""Browser journeys at the lending desk: find a talent by name or e-mail (never one of another territory) and lend
without a card, on phones and a laptop; the camera is offered on the desk's code fields."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from repairlab.extensions import db as _db
from repairlab.lending.models import Loan
from repairlab.people.models import Role
from tests.browser.conftest import LAPTOP_WIDTH, PHONE_WIDTHS, log_in
from tests.inventory.conftest import lab, make_item, other_territory  # noqa: F401  (fixtures)

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(make_user, make_item, other_territory):  # noqa: F811
    """A lab manager, Zoé of the same territory, another Zoé elsewhere, and a tool; returns (tool code, Zoé's id)."""
    make_user(Role.LAB_MANAGER, email="lina@example.org", name="Lina Gestionnaire")
    zoe = make_user(Role.PARTICIPANT, email="zoe.martin@example.org", name="Zoé Martin")
    make_user(Role.PARTICIPANT, email="zoe.lefevre@example.org", name="Zoé Lefèvre", territory_=other_territory)
    tool = make_item("Scie sauteuse")
    return tool.code, zoe.id


@pytest.mark.parametrize("width", [*PHONE_WIDTHS, LAPTOP_WIDTH])
def test_the_desk_finds_zoe_by_zoe_and_by_email_and_lends_to_her(page_at, desk, width, screenshot_dir):
    code, zoe_id = desk
    page = page_at(width)
    log_in(page, "lina@example.org")
    page.goto("/lending/desk")
    search = page.get_by_role("combobox", name="Pas de carte sous la main ? Cherchez la personne par nom ou e-mail")

    search.fill("zoe")
    options = page.get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Zoé Martin")
    expect(page.locator("#talent-results")).not_to_contain_text("Lefèvre")

    search.fill("martin@example")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("zoe.martin@example.org")
    search.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    search.press("Enter")
    chosen = page.locator("[data-talent-chosen]")
    expect(chosen).to_be_visible()
    expect(chosen).to_contain_text("Zoé Martin")
    expect(chosen.get_by_role("link", name="Imprimer la carte de membre")).to_have_attribute(
        "href", f"/lending/cards/{zoe_id}"
    )
    box = chosen.get_by_role("link", name="Imprimer la carte de membre").bounding_box()
    assert box["height"] >= 44
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.screenshot(path=str(screenshot_dir / f"desk-search-{width}.png"), full_page=False)

    page.locator("#item_code").fill(code)
    page.locator("#desk-lend button[type=submit]").click()
    page.wait_for_url("**/lending/desk")
    expect(page.locator(".flash-success")).to_contain_text("Zoé Martin")
    _db.session.expire_all()
    [loan] = _db.session.scalars(sa.select(Loan)).all()
    assert loan.borrower_id == zoe_id


def test_the_other_territorys_talent_is_never_offered(page_at, desk):
    page = page_at(390)
    log_in(page, "lina@example.org")
    page.goto("/lending/desk")
    page.locator("#talent-search").fill("lefevre")
    expect(page.locator("[data-desk-message]")).to_contain_text("Personne de cet atelier ne correspond.")
    expect(page.get_by_role("option")).to_have_count(0)


@pytest.mark.parametrize("width", [390, LAPTOP_WIDTH])
def test_the_desk_offers_the_camera_on_both_code_fields(page_at, desk, width):
    page = page_at(width)
    log_in(page, "lina@example.org")
    page.goto("/lending/desk")
    for name in ("Scanner l’étiquette avec la caméra", "Scanner la carte avec la caméra"):
        button = page.get_by_role("button", name=name)
        expect(button).to_be_visible()
        assert button.bounding_box()["height"] >= 44
