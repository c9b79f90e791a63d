"""Layout checks a user would notice: the main menu on one line at a laptop's width, tap targets of at least
44 px on phones, a readable skip link, the researcher's table reachable by keyboard, the scan button on a talent's
home, the focus and title after a refused form."""

from __future__ import annotations

import pytest

from repairlab.people.models import Role
from tests.browser.conftest import LAPTOP_WIDTH, PHONE_WIDTHS, log_in
from tests.inventory.conftest import lab, make_item  # noqa: F401  (fixtures)
from tests.projects.conftest import make_project, make_stage, stages  # noqa: F401  (fixtures)

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", [Role.LAB_MANAGER, Role.ADMIN, Role.MENTOR, Role.PARTICIPANT])
@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_the_main_menu_holds_on_one_line_at_1366_px(page_at, make_user, role, locale, screenshot_dir):
    make_user(role, email="nav@example.org", name="Camille Durand-Baptiste")
    page = page_at(LAPTOP_WIDTH, locale=locale)
    log_in(page, "nav@example.org")
    if locale == "en-GB":
        page.locator(".lang-switch button[value='en']").click()
        page.wait_for_load_state()
    nav = page.locator(".site-header nav")
    link = page.locator(".site-header .nav-wide > li").first
    expect(link).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"nav-{role.value}-{locale}-1366.png"))
    line = link.bounding_box()["height"]
    height = nav.bounding_box()["height"]
    assert height < 2 * line, f"the menu takes {height:.0f} px for {line:.0f} px links: it wraps"


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_a_talents_home_starts_with_a_big_scan_button(page_at, make_user, width, screenshot_dir):
    make_user(Role.PARTICIPANT, email="zoe@example.org", name="Zoé Martin")
    page = page_at(width)
    log_in(page, "zoe@example.org")
    button = page.locator("main").get_by_role("button", name="Scanner une étiquette")
    expect(button).to_be_in_viewport()
    assert button.bounding_box()["height"] >= 44
    page.screenshot(path=str(screenshot_dir / f"home-talent-{width}.png"))
    button.click()
    page.wait_for_url("**/scan")


def test_after_adding_an_item_the_flash_has_a_print_label_button(page_at, make_user, make_lab):
    make_lab("Atelier Roubaix")
    make_user(Role.LAB_MANAGER, email="lina@example.org")
    page = page_at(390)
    log_in(page, "lina@example.org")
    page.goto("/inventory/items/new")
    page.locator("#name").fill("Perceuse à colonne")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/inventory/items/*")
    button = page.locator(".flash-success").get_by_role("button", name="Imprimer son étiquette")
    expect(button).to_be_visible()
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_url("**/labels/print?code=*")


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_tap_targets_are_44_px_on_phones(page_at, make_user, width):
    make_user(Role.LAB_MANAGER, email="lina@example.org")
    page = page_at(width)
    log_in(page, "lina@example.org")
    small = []
    for path in ("/inventory/items", "/projects/board", "/skills/catalogue"):
        page.goto(path)
        for summary in page.locator("main details > summary").all():
            if summary.is_visible() and summary.bounding_box()["height"] < 44:
                small.append(f"{path}: summary {summary.inner_text()!r} {summary.bounding_box()['height']:.0f} px")
        for link in page.locator("main a.action-link").all():
            if link.is_visible() and link.bounding_box()["height"] < 44:
                small.append(f"{path}: link {link.inner_text()!r}")
    assert small == []


def test_the_edit_links_of_a_projects_milestones_are_44_px_on_a_phone(
    page_at,
    make_user,
    make_project,  # noqa: F811
    territory,
    stages,  # noqa: F811
):
    from datetime import timedelta

    from repairlab import clock
    from repairlab.extensions import db as _db
    from repairlab.projects import services as projects

    mentor = make_user(Role.MENTOR, email="maud@example.org")
    talent = make_user(Role.PARTICIPANT)
    project = make_project(territory, team=[talent], mentors=[mentor], stage=stages[0], name="Vélo Solidaire")
    projects.add_milestone(mentor, project, "Premier client", clock.today() + timedelta(days=10))
    _db.session.commit()
    page = page_at(360)
    log_in(page, "maud@example.org")
    page.goto(f"/projects/{project.id}")
    edit = page.locator("main a.action-link", has_text="Modifier").first
    expect(edit).to_be_visible()
    assert edit.bounding_box()["height"] >= 44


@pytest.mark.parametrize("width", [320, LAPTOP_WIDTH])
def test_the_skip_link_is_readable_when_focused(page_at, width, screenshot_dir):
    page = page_at(width)
    page.goto("/login")
    skip = page.locator(".skip-link")
    skip.focus()  # as the first Tab of a page does (the login page puts the cursor in the e-mail field first)
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    colours = skip.evaluate(
        "el => { const s = getComputedStyle(el); return [s.color, s.backgroundColor, parseFloat(s.fontSize)]; }"
    )
    assert _contrast(colours[0], colours[1]) >= 4.5 and colours[2] >= 16
    box = skip.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0
    page.screenshot(path=str(screenshot_dir / f"skip-link-{width}.png"))


def _contrast(fg: str, bg: str) -> float:
    def luminance(css: str) -> float:
        r, g, b = (int(x) / 255 for x in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    light, dark = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_researchers_home_table_is_reached_and_scrolled_by_keyboard(page_at, make_user):
    make_user(Role.RESEARCHER, email="rita@example.org")
    page = page_at(320)
    log_in(page, "rita@example.org")
    region = page.get_by_role("region", name="Le programme en un coup d’œil")
    expect(region).to_be_visible()
    for _ in range(30):
        page.keyboard.press("Tab")
        if region.evaluate("el => el === document.activeElement"):
            break
    expect(region).to_be_focused()


@pytest.mark.parametrize("width", [320, LAPTOP_WIDTH])
def test_after_a_refused_form_the_focus_and_the_title_point_to_the_error(page_at, make_user, make_lab, width):
    make_lab("Atelier Roubaix")
    make_user(Role.LAB_MANAGER, email="lina@example.org")
    page = page_at(width)
    log_in(page, "lina@example.org")
    page.goto("/inventory/items/new")
    page.locator("main form button[type=submit]").click()  # no name: refused by the server
    page.wait_for_load_state()
    assert page.title().startswith("Erreur\u00a0:")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Nom")
    summary.get_by_role("link").first.click()
    expect(page.locator("#name")).to_be_focused()
