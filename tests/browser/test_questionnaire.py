"""Browser journey on a phone (390 px): a talent answers the intake questionnaire one question at a time, listens to
a question (the browser's speech synthesis, recorded by a stub), loses the connection in the middle and finds their
answers kept, answers with the keyboard, sends; later answers the exit questionnaire and sees their progress."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from repairlab import clock
from repairlab.extensions import db as _db
from repairlab.people.models import Role
from repairlab.programme import services as path
from repairlab.programme.models import Evidence, ExitCategory, ExitSubtype
from tests.browser.conftest import log_in
from tests.programme.questionnaires.helpers import build_questionnaire

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser

# The browser's speech synthesis, replaced by a recorder: what would be said, in which language.
SPEECH_STUB = """
window.__spoken = [];
window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ""; };
Object.defineProperty(window, "speechSynthesis", {
  configurable: true,
  value: {
    speak: function (u) { window.__spoken.push({ text: u.text, lang: u.lang }); if (u.onend) u.onend(); },
    cancel: function () {},
  },
});
"""


def _choose(page, label: str) -> None:
    page.locator("label.q-option", has_text=label).click()


def _next(page) -> None:
    page.get_by_role("button", name="Suivant", exact=True).click()


def test_a_talent_answers_on_a_phone_listens_loses_the_connection_and_sees_their_progress(
    page_at, make_user, admin, screenshot_dir
):
    talent = make_user(Role.PARTICIPANT, email="awa@example.org", name="Awa Diop")
    build_questionnaire(admin)
    day = clock.today() - timedelta(days=2)
    path.record_intake(
        admin, talent, intake_date=day, evaluation_consent=True, consent_date=day, consent_notice_version="2026-01"
    )
    _db.session.commit()

    page = page_at(390)
    page.context.add_init_script(SPEECH_STUB)
    log_in(page, "awa@example.org")
    expect(page.get_by_role("heading", name="Un questionnaire à remplir")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Répondre\s+: Mon parcours$")).click()
    page.get_by_role("button", name="Commencer").click()

    # One question per screen, the progress shown, big touch targets, a "Listen" button.
    expect(page.locator("#q-progress-label")).to_have_text("Question 1 sur 6")
    expect(page.get_by_role("group", name="Phrase 1")).to_be_visible()
    for option in page.locator("label.q-option").all():
        assert option.bounding_box()["height"] >= 48
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    listen = page.get_by_role("button", name="Écouter")
    expect(listen).to_be_visible()
    listen.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken == [
        {
            "text": "Phrase 1. Pas du tout d’accord. Plutôt pas d’accord. Plutôt d’accord. Tout à fait d’accord",
            "lang": "fr-FR",
        }
    ]
    page.screenshot(path=str(screenshot_dir / "questionnaire-item-390.png"), full_page=True)
    _choose(page, "Plutôt d’accord")
    _next(page)
    expect(page.locator("#q-progress-label")).to_have_text("Question 2 sur 6")
    _choose(page, "Pas du tout d’accord")
    _next(page)
    expect(page.locator("#q-progress-label")).to_have_text("Question 3 sur 6")

    # The connection drops while the third answer is sent: nothing is lost of what was saved.
    _choose(page, "Tout à fait d’accord")
    page.context.set_offline(True)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.goto("/")
    page.context.set_offline(False)
    page.goto("/")
    page.get_by_role("button", name=re.compile(r"^Continuer\s+: Mon parcours$")).click()
    expect(page.locator("#q-progress-label")).to_have_text("Question 3 sur 6")
    page.get_by_role("button", name="Précédent").click()
    expect(page.locator("#q-progress-label")).to_have_text("Question 2 sur 6")
    expect(page.get_by_role("radio", name="Pas du tout d’accord")).to_be_checked()
    _next(page)

    # With the keyboard: arrows choose, Enter sends the answer forward.
    page.get_by_role("radio", name="Pas du tout d’accord").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Plutôt pas d’accord")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.locator("#q-progress-label")).to_have_text("Question 4 sur 6")
    page.get_by_role("button", name="Passer cette question").click()
    page.get_by_role("textbox", name="Votre réponse (un nombre)").fill("8")
    _next(page)
    page.get_by_role("textbox", name="Votre réponse").fill("Merci")
    _next(page)
    expect(page.get_by_role("heading", name="Dernière étape")).to_be_visible()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.locator(".flash-success")).to_contain_text("Merci\u00a0! Vos réponses sont envoyées.")

    # Later: the talent leaves, and answers the exit questionnaire.
    path.record_exit(
        admin,
        talent,
        exit_date=clock.today(),
        category=ExitCategory.DURABLE_EMPLOYMENT,
        subtype=ExitSubtype.PERMANENT_CONTRACT,
        evidence=Evidence.DECLARED,
    )
    _db.session.commit()
    page.goto("/")
    page.get_by_role("button", name=re.compile(r"^Répondre\s+: Mon parcours$")).click()
    page.get_by_role("button", name="Commencer").click()
    for label in ("Tout à fait d’accord", "Tout à fait d’accord", "Pas du tout d’accord"):
        _choose(page, label)
        _next(page)
    page.goto("/")
    page.get_by_role("button", name=re.compile(r"^Continuer\s+: Mon parcours$")).click()
    page.get_by_role("button", name="Passer cette question").click()
    page.get_by_role("button", name="Passer cette question").click()
    page.get_by_role("button", name="Passer cette question").click()
    page.get_by_role("button", name="Envoyer mes réponses").click()

    progress = page.locator("#progress")
    expect(progress.get_by_role("heading", name="Mes progrès")).to_be_visible()
    # Intake: 3, 1 and a reversed 2 (counts 3): 2.33; exit: 4, 4 and a reversed 1 (counts 4): 4.
    expect(progress).to_contain_text(
        "Depuis votre arrivée, votre score «\u00a0Confiance\u00a0» a augmenté\u00a0: de 2,3 à 4,0 sur 4."
    )
    expect(progress.get_by_role("img", name="Confiance", exact=False)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    progress.screenshot(path=str(screenshot_dir / "questionnaire-progress-390.png"))
