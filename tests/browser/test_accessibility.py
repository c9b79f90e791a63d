"""Accessibility of every main page of every role, checked by axe-core (vendored, tests/browser/vendor/) in French,
on a phone (390 x 844) and a laptop (1366 x 768), on the demo data: no violation of impact "serious" or "critical".

Each role's pages are the links of its navigation as the page shows them, its home and account pages, and the pages
of one record of each kind it may open (an item, a project, a ticket, a talent's path...); a page the role may not
open (403/404) is left out. The anonymous visitor checks the public pages: login, an item's scan page /q/<code>,
the guides and a badge's verification page. The moderate and minor findings are written to
test-results/axe-summary.jsonl (and printed), for the closing note.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from repairlab import demo
from repairlab.extensions import db as _db
from repairlab.guides.models import Guide, GuideStatus
from repairlab.inventory.models import Item, Location
from repairlab.people.models import Role, User
from repairlab.programme.models import ActivitySession
from repairlab.projects.models import Project
from repairlab.projects.prototypes.models import Prototype
from repairlab.repairs.models import RepairEvent, RepairTicket
from repairlab.skills.models import SkillValidation, ValidationKind
from repairlab.stocktake.models import StockTake
from tests.browser.axe import BLOCKING, run_axe, write_summary
from tests.browser.conftest import TIMEOUT_MS
from tests.conftest import _clear_tables

pytestmark = pytest.mark.browser

PASSWORD = "axe demo password 2026"
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "laptop": {"viewport": {"width": 1366, "height": 768}},
}
ROLES = ["anonymous", *(role.value for role in Role)]


@pytest.fixture(scope="module")
def demo_site(app):
    """The demo data, loaded once for the module; returns {role: (e-mail, [paths])}. Emptied afterwards."""
    with app.app_context():
        context = demo.seed(password=PASSWORD)
        _db.session.commit()
        home = next(code for code in context.territories)
        territory_id = context.territories[home].id
        emails = {}
        for role, email, where in context.accounts:
            if role not in emails and where in (home, "—"):
                emails[role] = email
        talent = _db.session.scalar(sa.select(User).where(User.email == emails[Role.PARTICIPANT.value]))
        first = lambda model, *where: _db.session.scalar(sa.select(model).where(*where).order_by(model.id).limit(1))  # noqa: E731
        item = first(Item, Item.territory_id == territory_id)
        place = first(Location, Location.territory_id == territory_id)
        guide = first(Guide, Guide.status == GuideStatus.PUBLISHED)
        validation = first(SkillValidation, SkillValidation.kind == ValidationKind.VALIDATED)
        records = [
            f"/inventory/items/{item.id}",
            f"/inventory/places/{place.id}",
            "/inventory/items/new",
            f"/projects/{first(Project, Project.territory_id == territory_id).id}",
            f"/projects/prototypes/{first(Prototype).id}",
            f"/repairs/events/{first(RepairEvent).id}",
            f"/repairs/tickets/{first(RepairTicket, RepairTicket.code.is_not(None)).id}",
            f"/programme/talents/{talent.id}",
            f"/programme/sessions/{first(ActivitySession).id}",
            f"/people/{talent.id}",
            f"/passport/{talent.id}",
            f"/guides/{guide.slug}",
            "/lending/calendar",
            "/lending/policies",
            f"/lending/stocktake/history?location={place.id}",
            "/account",
        ]
        stocktake = first(StockTake)
        if stocktake is not None:
            records.append(f"/lending/stocktake/{stocktake.id}")
        public = ["/login", f"/q/{item.code}", "/guides/", f"/guides/{guide.slug}", f"/v/{validation.token}"]
    pages = {"anonymous": (None, public)}
    for role in Role:
        pages[role.value] = (emails[role.value], records)
    yield pages
    with app.app_context():
        _clear_tables()


@pytest.fixture
def db(app, demo_site):
    """This module's tests share the demo data: the session of each test, without emptying the tables."""
    with app.app_context():
        yield _db
        _db.session.remove()


def _log_in(page, email: str) -> None:
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")


def _nav_paths(page) -> list[str]:
    """The addresses of the main navigation's links as this page shows them (the site's own pages)."""
    hrefs = page.eval_on_selector_all(".site-header nav a[href]", "links => links.map(a => a.getAttribute('href'))")
    return [h.split("#")[0] for h in hrefs if h.startswith("/") and not h.startswith("//")]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("role", ROLES)
def test_every_main_page_has_no_serious_accessibility_violation(
    browser, live_server, demo_site, role, size, screenshot_dir
):
    email, records = demo_site[role]
    context = browser.new_context(base_url=live_server, locale="fr-FR", **SIZES[size])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        paths = ["/"] if email else []
        if email:
            _log_in(page, email)
            paths += _nav_paths(page)
        paths += records
        checked, skipped, found = [], [], []
        for path in dict.fromkeys(paths):
            response = page.goto(path)
            if response is None or response.status in (403, 404):
                skipped.append(f"{path} ({response.status if response else '-'})")
                continue
            assert response.status == 200, f"{path} answered {response.status}"
            assert page.locator("html").get_attribute("lang") == "fr", f"{path} is not in French"
            checked.append(path)
            found += run_axe(page, path)
    finally:
        context.close()
    write_summary(screenshot_dir / "axe-summary.jsonl", [f"{role} {size} {p}" for p in checked], found)
    blocking = [v for v in found if v.impact in BLOCKING]
    others = [v for v in found if v.impact not in BLOCKING]
    print(f"\n{role} at {size}: {len(checked)} pages checked, skipped {skipped}")
    for v in others:
        print("  " + v.describe())
    assert len(checked) >= 5
    assert not blocking, f"{len(blocking)} serious or critical violations:\n" + "\n".join(
        v.describe() for v in blocking
    )
