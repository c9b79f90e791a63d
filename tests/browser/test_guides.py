"""A guide from the laptop to the phone: the lab manager writes a kettle repair guide with a photo at 1366 px (the
live preview renders the Markdown as she types), publishes it; a talent scans the kettle's ticket on a 390 px phone,
follows the guide one step per screen, and records on the ticket that it helped; anyone reads it without logging
in, under its licence. Screenshots of the editor, the guide and the step view."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from PIL import Image

from repairlab.extensions import db as _db
from repairlab.guides.models import Guide, GuideUse, Helped
from repairlab.people.models import Role
from repairlab.repairs import tickets
from repairlab.repairs.models import RepairCategory
from tests.browser.conftest import LAPTOP_WIDTH, log_in
from tests.inventory.conftest import lab  # noqa: F401  (fixture)

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser

PHONE = 390


@pytest.fixture
def kettle_ticket(db, make_user, lab):  # noqa: F811
    """Lina runs the lab, Zoé is a talent; a kettle that does not heat was taken in."""
    lina = make_user(Role.LAB_MANAGER, email="lina@example.org", name="Lina Gestionnaire")
    make_user(Role.PARTICIPANT, email="zoe@example.org", name="Zoé Martin")
    kettle = db.session.scalar(sa.select(RepairCategory.id).where(RepairCategory.name == "Kettle"))
    ticket = tickets.take_in(
        lina, lab, tickets.IntakeFields(category_id=kettle, problem="Ne chauffe plus", brand="Moulinex")
    )
    db.session.commit()
    return ticket


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def _photo(path) -> str:
    Image.new("RGB", (1200, 900), "#2f4f6f").save(path, "JPEG")
    return str(path)


def test_a_guide_from_the_laptop_to_the_phone(page_at, kettle_ticket, screenshot_dir, tmp_path):
    lina = page_at(LAPTOP_WIDTH)
    log_in(lina, "lina@example.org")
    lina.goto("/guides/new?kind=repair")
    lina.locator("#title").fill("Bouilloire qui ne chauffe plus")
    lina.get_by_label("Type d’objet").select_option(label="Bouilloire")
    lina.get_by_label("Symptôme").fill("Le voyant s’allume mais l’eau reste **froide**.")
    lina.get_by_label("Consignes de sécurité").fill("**Débranchez** la bouilloire avant de l’ouvrir.")
    lina.locator("#steps-0-title").fill("Ouvrir le socle")
    lina.locator("#steps-0-text").fill("Dévissez les vis *triangle* <script>alert(1)</script>.")
    # The live preview: the server's renderer, the script shown as text.
    preview = lina.locator('.md-preview[data-preview-for="steps-0-text"]')
    expect(preview.locator("em")).to_have_text("triangle")
    expect(preview).to_contain_text("<script>alert(1)</script>")
    lina.locator("#steps-0-photos").set_input_files(_photo(tmp_path / "socle.jpg"))
    _no_sideways_scroll(lina)
    lina.screenshot(path=str(screenshot_dir / "guides-editor-1366.png"), full_page=True)
    lina.get_by_role("button", name="Enregistrer et publier").click()
    expect(lina.locator(".flash-success")).to_contain_text("La version 1 est publiée.")
    guide = _db.session.scalar(sa.select(Guide))
    assert guide.latest.steps[0].photos
    lina.screenshot(path=str(screenshot_dir / "guides-guide-1366.png"), full_page=True)

    # Zoé scans the kettle's label on her phone and follows the guide, one step per screen.
    zoe = page_at(PHONE)
    log_in(zoe, "zoe@example.org")
    zoe.goto(f"/q/{kettle_ticket.code}")
    guides = zoe.locator("#guides")
    expect(guides).to_contain_text("Bouilloire qui ne chauffe plus")
    guides.get_by_role("button", name="Le suivre pas à pas").click()
    expect(zoe.locator("h1")).to_contain_text("Étape 1 sur 1")
    expect(zoe.locator(".guide-photos img")).to_be_visible()
    assert zoe.evaluate("document.querySelector('.guide-photos img').getBoundingClientRect().width") >= 300
    _no_sideways_scroll(zoe)
    zoe.screenshot(path=str(screenshot_dir / "guides-step-390.png"), full_page=True)
    zoe.get_by_role("button", name="Terminé : retour au guide").click()
    zoe.goto(f"/q/{kettle_ticket.code}")
    form = zoe.locator("form.use-form")
    form.get_by_label("Guide suivi").select_option(label="Bouilloire qui ne chauffe plus")
    form.get_by_label("Oui").check()
    form.get_by_role("button", name="Noter le guide suivi").click()
    expect(zoe.locator(".flash-success")).to_contain_text("a été suivi")
    _no_sideways_scroll(zoe)
    zoe.locator("#guides").screenshot(path=str(screenshot_dir / "guides-ticket-390.png"))
    use = _db.session.scalar(sa.select(GuideUse))
    assert (use.ticket_id, use.helped) == (kettle_ticket.id, Helped.YES)

    # Anyone reads it without logging in, under its licence, on a phone.
    visitor = page_at(PHONE)
    visitor.goto(f"/guides/{guide.slug}")
    expect(visitor.locator("h1")).to_have_text("Bouilloire qui ne chauffe plus")
    expect(visitor.locator(".guide-licence")).to_contain_text("CC BY-SA 4.0")
    expect(visitor.locator(".guide-licence")).to_contain_text("Lina Gestionnaire")  # staff: credited by name
    assert "Zoé" not in visitor.content()
    _no_sideways_scroll(visitor)
    visitor.screenshot(path=str(screenshot_dir / "guides-guide-390.png"), full_page=True)
