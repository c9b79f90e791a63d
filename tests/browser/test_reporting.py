"""Browser journey on a laptop (1366 px): a researcher reads the indicators in French, narrows them to a territory,
prints them and downloads the research export."""

from __future__ import annotations

import zipfile

import pytest

from tests.browser.conftest import LAPTOP_WIDTH, log_in
from tests.reporting.conftest import paths, programme  # noqa: F401  (fixtures)

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


def figure(page, section: str, label: str):
    """The value shown under a headline number's label, in a section of the page."""
    return page.locator(f"#section-{section} .figure", has=page.locator("dt", has_text=label)).locator("dd.value")


def test_a_researcher_reads_the_indicators_on_a_laptop(page_at, paths, screenshot_dir, tmp_path):  # noqa: F811
    page = page_at(LAPTOP_WIDTH)
    log_in(page, paths["researcher"].email)
    # The indicators sit in the Programme menu, beside the questionnaires researchers define.
    page.locator("details.group-menu > summary", has_text="Programme").click()
    page.get_by_role("link", name="Indicateurs").first.click()
    page.wait_for_url("**/reporting/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs")
    expect(figure(page, "enrolment", "Talents inscrits")).to_have_text("5")
    expect(figure(page, "exits", "Taux de sorties dynamiques")).to_have_text("75,0\u00a0%")
    expect(page.locator("#section-exits svg[role=img] > title")).to_have_text("Sorties par catégorie")
    for name in ("Alice Arnaud", "Dora Dupuis"):
        expect(page.locator("main")).not_to_contain_text(name)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.screenshot(path=str(screenshot_dir / "reporting-1366.png"), full_page=True)

    # Roubaix only: two exits, both into durable employment.
    page.locator("#territory").select_option(label="RBX – Roubaix-Lille")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**/reporting/?*territory=*")
    expect(page.locator(".report-selection")).to_contain_text("Territoire RBX – Roubaix-Lille")
    expect(figure(page, "exits", "Taux d’emploi durable")).to_have_text("100,0\u00a0%")

    page.emulate_media(media="print")
    expect(page.locator(".report-filters")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    page.screenshot(path=str(screenshot_dir / "reporting-print.png"), full_page=True)
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("button", name="Export de recherche (ZIP)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".zip"
    with zipfile.ZipFile(saved) as archive:
        assert "datapackage.json" in archive.namelist()
        talents = archive.read("talents.csv").decode()
    assert talents.count("\n") == 4  # the header and Roubaix's three talents
