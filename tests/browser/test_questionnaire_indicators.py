"""Browser journey on a laptop (1366 px) and a phone (390 px): a researcher reads the questionnaires section of the
indicators in French: response rates, the change of each scale with its interval, small groups hidden."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LAPTOP_WIDTH, log_in
from tests.reporting.conftest import paths, programme, questionnaires  # noqa: F401  (fixtures)

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [LAPTOP_WIDTH, 390])
def test_a_researcher_reads_the_questionnaires_section(
    page_at,
    questionnaires,  # noqa: F811
    screenshot_dir,
    app,
    monkeypatch,
    width,
):
    monkeypatch.setitem(app.config, "RESEARCH_SUPPRESSION_THRESHOLD", 2)
    page = page_at(width)
    log_in(page, questionnaires["researcher"].email)
    page.goto("/reporting/#section-questionnaires")
    section = page.locator("#section-questionnaires")
    expect(section.get_by_role("heading", level=2)).to_have_text("Questionnaires")
    withdrawn = section.locator(".figure", has=page.locator("dt", has_text="Réponses retirées"))
    expect(withdrawn.locator("dd.value")).to_have_text("2")
    rates = section.locator("#table-questionnaires-response_rates tbody tr")
    expect(rates).to_have_count(3)
    expect(rates.nth(2)).to_contain_text("À la sortie")
    expect(rates.nth(2).locator("td").last).to_have_text("100,0\u00a0%")
    change = section.locator("#table-questionnaires-scale_change tbody tr", has_text="Confiance en soi")
    expect(change.locator("td").nth(4)).to_have_text("+0,67")  # n, intake, exit, then the mean change
    # Promo A has one talent: hidden, and Promo B with it (else the total would give it away).
    by_cohort = section.locator("#table-questionnaires-change_by_cohort tbody tr", has_text="Confiance en soi")
    expect(by_cohort.first.locator("td").nth(6)).to_have_text("—")
    expect(section.locator("svg[role=img] > title").first).to_have_text("Taux de réponse à chaque moment")
    for name in ("Alice Arnaud", "Dora Dupuis", "Mon secret"):
        expect(section).not_to_contain_text(name)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    section.screenshot(path=str(screenshot_dir / f"reporting-questionnaires-{width}.png"))
