"""Browser checks of the item page, the page a scan opens, at the sizes of real screens: on a 360x640 phone the
code, the name, the status and the main action (borrow, give back, or what stops you) show without scrolling; no
page a talent visits scrolls sideways at 320 px; the return form's fields are named; borrowing says what matters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.extensions import db as _db
from repairlab.inventory.models import ItemStatus
from repairlab.lending import services
from repairlab.lending.models import Loan, LoanKind
from repairlab.people.models import Role
from tests.browser.conftest import TIMEOUT_MS
from tests.conftest import TEST_PASSWORD
from tests.inventory.conftest import lab, make_category, make_item, make_place  # noqa: F401  (fixtures)

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser

# Cheap phones (320 and 360 px wide), a common phone (390) and a laptop; 640 px high is a small phone's screen.
SCREENS = {
    "320": {"width": 320, "height": 640},
    "360": {"width": 360, "height": 640},
    "390": {"width": 390, "height": 740},
    "1366": {"width": 1366, "height": 768},
}
TALENT = "zoe@example.org"


@pytest.fixture(params=list(SCREENS), ids=[f"{w}px" for w in SCREENS])
def screen(request) -> str:
    return request.param


@pytest.fixture
def open_as(browser, live_server):
    """open_as(email, screen): a page of that size (a touch phone below 1000 px), logged in as that user."""
    contexts = []

    def open_page(email: str | None, screen: str):
        size = SCREENS[screen]
        phone = size["width"] < 1000
        context = browser.new_context(
            base_url=live_server, locale="fr-FR", viewport=size, is_mobile=phone, has_touch=phone
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        if email:
            page.goto("/login")
            page.locator("#email").fill(email)
            page.locator("#password").fill(TEST_PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url("**/")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def sander(make_item, make_place, make_category):  # noqa: F811
    """A tool as the demo labs have them: a long place path, a long category path, safety notes."""
    zone = make_place("Zone mécanique et électroportatif")
    cupboard = make_place("Armoire des ponceuses", parent=zone)
    category = make_category("Ponçage", make_category("Outillage électroportatif"))
    return make_item(
        "Ponceuse orbitale excentrique",
        location_id=cupboard.id,
        category_id=category.id,
        brand="Festool",
        model="ETS 125 REQ-Plus",
        safety_notes="Masque anti-poussière et aspiration branchée avant de commencer.",
    )


def _in_view(page, locator, what: str) -> None:
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None, what
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"], f"{what} is at {box} in {size}"
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], f"{what} is at {box} in {size}"


def _no_sideways_scroll(page, where: str) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{where} scrolls sideways: {widths[0]} px of content in {widths[1]} px"


def _header_in_view(page, item) -> None:
    card = page.locator("main .item-card header")
    _in_view(page, card.get_by_text(item.code, exact=True), "the code")
    _in_view(page, card.get_by_role("heading", level=1, name=item.name), "the name")
    _in_view(page, card.locator(".status-line"), "the status")


# --- Item 9: the main action on the first screen --------------------------------------------------------------


def test_a_talent_sees_the_tool_and_borrow_it_without_scrolling(open_as, screen, make_user, sander, screenshot_dir):
    make_user(Role.PARTICIPANT, email=TALENT)
    page = open_as(TALENT, screen)
    page.goto(f"/inventory/items/{sander.id}")
    page.screenshot(path=screenshot_dir / f"item-borrow-{screen}.png", full_page=True)
    _header_in_view(page, sander)
    _in_view(page, page.get_by_role("button", name="L’emprunter"), "the borrow button")
    _no_sideways_scroll(page, "the item page")


def test_a_talent_holding_the_tool_sees_how_to_give_it_back_without_scrolling(
    open_as, screen, make_user, sander, screenshot_dir
):
    talent = make_user(Role.PARTICIPANT, email=TALENT)
    services.check_out_item(talent, sander, talent, kind=LoanKind.TAKE_HOME)
    _db.session.commit()
    page = open_as(TALENT, screen)
    page.goto(f"/inventory/items/{sander.id}")
    page.screenshot(path=screenshot_dir / f"item-give-back-{screen}.png", full_page=True)
    _header_in_view(page, sander)
    _in_view(page, page.get_by_role("button", name="Le rendre"), "the give-back button")
    _no_sideways_scroll(page, "the item page")


def test_a_talent_missing_a_skill_sees_what_stops_them_without_scrolling(
    open_as, screen, make_user, sander, admin, screenshot_dir
):
    make_user(Role.PARTICIPANT, email=TALENT)
    _require_a_skill(admin, sander)
    page = open_as(TALENT, screen)
    page.goto(f"/inventory/items/{sander.id}")
    page.screenshot(path=screenshot_dir / f"item-skill-missing-{screen}.png", full_page=True)
    _header_in_view(page, sander)
    _in_view(page, page.locator("#verdict").get_by_text("Ponceuse orbitale", exact=False).first, "what stops them")
    _no_sideways_scroll(page, "the item page")


@pytest.mark.parametrize("screen", ["320", "360", "390"])
def test_on_a_phone_the_facts_stack_label_over_value(open_as, screen, make_user, sander):
    make_user(Role.PARTICIPANT, email=TALENT)
    page = open_as(TALENT, screen)
    page.goto(f"/inventory/items/{sander.id}")
    facts = page.locator("main .item-card dl.facts")
    where, place = facts.locator("dt").first.bounding_box(), facts.locator("dd").first.bounding_box()
    assert place["y"] >= where["y"] + where["height"] - 1, "the place should start under its label"
    assert place["width"] >= facts.bounding_box()["width"] - 2, "the place should use the whole width"


def test_on_a_laptop_the_facts_stay_side_by_side(open_as, make_user, sander):
    make_user(Role.PARTICIPANT, email=TALENT)
    page = open_as(TALENT, "1366")
    page.goto(f"/inventory/items/{sander.id}")
    facts = page.locator("main .item-card dl.facts")
    where, place = facts.locator("dt").first.bounding_box(), facts.locator("dd").first.bounding_box()
    assert place["x"] > where["x"] + where["width"] - 1 and abs(place["y"] - where["y"]) < 2


@pytest.mark.parametrize("screen", ["320", "360"])
def test_no_page_a_talent_visits_scrolls_sideways(open_as, screen, make_user, sander, admin, screenshot_dir):
    talent = make_user(Role.PARTICIPANT, email=TALENT)
    _require_a_skill(admin, sander)
    other = _late_loan(talent, sander.lab)
    page = open_as(TALENT, screen)
    pages = {
        "item": f"/inventory/items/{sander.id}",
        "item-on-loan": f"/inventory/items/{other.id}",
        "home": "/",
        "my-loans": "/lending/my-loans",
        "my-reservations": "/lending/my-reservations",
        "passport": "/passport",
        "scan": "/scan",
    }
    for name, path in pages.items():
        assert page.goto(path).ok, path
        page.screenshot(path=screenshot_dir / f"talent-{name}-{screen}.png", full_page=True)
        _no_sideways_scroll(page, path)


# --- Item 10: the return form's fields are named -------------------------------------------------------------


@pytest.mark.parametrize("screen", ["390", "1366"])
def test_the_return_form_fields_have_their_labels(open_as, screen, make_user, sander):
    talent = make_user(Role.PARTICIPANT, email=TALENT)
    services.check_out_item(talent, sander, talent, kind=LoanKind.IN_LAB)
    _db.session.commit()
    page = open_as(TALENT, screen)
    page.goto(f"/inventory/items/{sander.id}")
    form = page.locator("form.return-form")
    expect(form.get_by_label("État au retour")).to_have_count(1)
    note = form.get_by_label("Remarque (ce qui ne va pas, s’il y a lieu)")
    expect(note).to_have_count(1)
    form.locator("label", has_text="Remarque").click()  # tapping the label puts the cursor in the field
    expect(note).to_be_focused()
    form.get_by_label("État au retour").select_option("poor")
    note.fill("Le plateau frotte.")
    form.get_by_role("button", name="Le rendre").click()
    page.wait_for_url(f"**/inventory/items/{sander.id}")
    _db.session.expire_all()
    loan = _db.session.scalar(sa.select(Loan))
    assert loan.returned_at is not None and loan.return_note == "Le plateau frotte."


def test_the_desk_return_form_fields_have_their_labels(open_as, make_user, sander):
    make_user(Role.LAB_MANAGER, email="lina@example.org")
    talent = make_user(Role.PARTICIPANT)
    services.check_out_item(talent, sander, talent, kind=LoanKind.IN_LAB)
    _db.session.commit()
    page = open_as("lina@example.org", "1366")
    page.goto(f"/inventory/items/{sander.id}")
    form = page.locator("form.return-form")
    for label in ("État au retour", "Remarque (ce qui ne va pas, s’il y a lieu)", "Mettre hors service"):
        expect(form.get_by_label(label)).to_have_count(1)
    form.get_by_label("Mettre hors service").check()
    form.get_by_role("button", name="Enregistrer le retour").click()
    page.wait_for_url(f"**/inventory/items/{sander.id}")
    _db.session.expire_all()
    assert _db.session.get(type(sander), sander.id).status == ItemStatus.OUT_OF_SERVICE


# --- Item 12: borrowing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("screen", ["360", "1366"])
def test_the_due_date_shows_only_to_take_the_tool_home(open_as, screen, make_user, sander):
    talent = make_user(Role.PARTICIPANT, email=TALENT)
    page = open_as(TALENT, screen)
    page.goto(f"/inventory/items/{sander.id}")
    borrow = page.locator(f"form[action='/lending/items/{sander.id}/borrow']")
    due = borrow.get_by_label("À rendre au plus tard le")
    expect(borrow.get_by_label("L’utiliser à l’atelier aujourd’hui")).to_be_checked()
    expect(due).to_be_hidden()
    borrow.get_by_label("L’emporter chez moi").check()
    expect(due).to_be_visible()
    when = clock.today() + timedelta(days=3)
    due.fill(when.isoformat())
    borrow.get_by_role("button", name="L’emprunter").click()
    page.wait_for_url(f"**/inventory/items/{sander.id}")
    _db.session.expire_all()
    loan = _db.session.scalar(sa.select(Loan))
    assert loan.borrower_id == talent.id and loan.kind == LoanKind.TAKE_HOME
    assert loan.due_at.astimezone(clock.LAB_TZ).date() == when


def test_a_talent_late_with_another_tool_is_warned_before_borrowing(open_as, make_user, sander):
    talent = make_user(Role.PARTICIPANT, email=TALENT)
    other = _late_loan(talent, sander.lab)
    page = open_as(TALENT, "360")
    page.goto(f"/inventory/items/{sander.id}")
    warning = page.locator(".lending-action .late-warning")
    expect(warning).to_contain_text(other.code)
    expect(warning).to_contain_text(other.name)
    _in_view(page, warning, "the warning")
    # A warning, not a refusal: the borrow button is still there, after it.
    button = page.get_by_role("button", name="L’emprunter")
    expect(button).to_be_visible()
    assert button.bounding_box()["y"] > warning.bounding_box()["y"]


def test_a_talent_not_late_is_not_warned(open_as, make_user, sander):
    talent = make_user(Role.PARTICIPANT, email=TALENT)
    other = _late_loan(talent, sander.lab, days_late=0)
    page = open_as(TALENT, "360")
    page.goto(f"/inventory/items/{sander.id}")
    expect(page.get_by_role("button", name="L’emprunter")).to_be_visible()
    expect(page.locator(".late-warning")).to_have_count(0)
    assert other.status == ItemStatus.ON_LOAN


def test_a_missing_skill_says_who_can_validate_it_and_offers_no_reservation(
    open_as, make_user, make_territory, sander, admin
):
    make_user(Role.PARTICIPANT, email=TALENT)
    make_user(Role.LAB_MANAGER, name="Lina Gestionnaire")
    make_user(Role.MENTOR, name="Marc Mentor")
    make_user(Role.MENTOR, name="Ancien Mentor", active=False)
    make_user(Role.MENTOR, name="Mentor Ailleurs", territory_=make_territory("PAR", "Paris-Montreuil"))
    make_user(Role.PARTICIPANT, name="Autre Talent")
    _require_a_skill(admin, sander)
    page = open_as(TALENT, "360")
    page.goto(f"/inventory/items/{sander.id}")
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("Lina Gestionnaire")
    expect(verdict).to_contain_text("Marc Mentor")
    for name in ("Ancien Mentor", "Mentor Ailleurs", "Autre Talent", "Ada Admin"):
        expect(verdict).not_to_contain_text(name)
    expect(page.get_by_role("button", name="L’emprunter")).to_have_count(0)
    expect(page.locator(f"form[action='/lending/items/{sander.id}/reserve']")).to_have_count(0)
    expect(page.get_by_text("Le réserver", exact=True)).to_have_count(0)


# --- Helpers ---------------------------------------------------------------------------------------------------


def _require_a_skill(admin, item) -> None:
    from repairlab.inventory import requirements
    from repairlab.skills import catalogue

    domain = catalogue.create_domain(admin, name="Sécurité")
    skill = catalogue.create_skill(admin, domain=domain, name="Ponceuse orbitale", is_safety=True)
    requirements.add_requirement(admin, item=item, skill=skill, min_level=2)
    _db.session.commit()


def _late_loan(talent, home_lab, days_late: int = 3):
    """Another tool of the lab, which the talent took home and should have brought back days_late days ago."""
    from repairlab.inventory import services as inventory
    from repairlab.inventory.models import ItemKind

    other = inventory.create_item(
        None, home_lab, inventory.ItemFields(name="Scie sauteuse pendulaire", kind=ItemKind.TOOL)
    )
    _db.session.commit()
    services.check_out_item(talent, other, talent, kind=LoanKind.TAKE_HOME)
    loan = _db.session.scalar(sa.select(Loan).where(Loan.item_id == other.id))
    loan.due_at = clock.end_of_day(clock.today() - timedelta(days=days_late))
    loan.started_at = min(loan.started_at, datetime.now(UTC) - timedelta(days=days_late + 1))
    _db.session.commit()
    return other
