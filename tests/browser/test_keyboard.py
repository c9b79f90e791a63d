"""Keyboard-only journeys (Tab, Enter and Space, and typing into fields): logging in, borrowing a tool, lending at
the desk and moving a project on the board. Every stop of the Tab order on the way shows a focus indicator (an
outline or a box shadow, as computed by the browser), Tab never stays stuck (it runs through the whole page and
back to its start), and the action is done: the database holds it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from repairlab.extensions import db as _db
from repairlab.lending import cards
from repairlab.lending.models import Loan, LoanKind
from repairlab.people.models import Role, User
from repairlab.projects.models import Project, StageChange
from tests.browser.conftest import LAPTOP_WIDTH
from tests.conftest import TEST_PASSWORD
from tests.inventory.conftest import lab, make_item  # noqa: F401  (fixtures)
from tests.projects.conftest import make_project, make_stage, stages  # noqa: F401  (fixtures)

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser

# What has the focus: None on the page itself (before the first stop, or after the last one), else its description,
# whether it matches the wanted selector, and whether the browser draws a focus indicator on it.
_FOCUS = r"""async (wanted) => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    // The focus style once drawn: let the element's transitions (Pico fades its focus shadow in) end first.
    await Promise.all(el.getAnimations().map(a => a.finished.catch(() => null)));
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    // A shadow counts when it has a colour that is not fully transparent and a size that is not zero.
    const sizes = s.boxShadow.replace(/rgba?\([^)]*\)/g, '');
    const shadow = s.boxShadow !== 'none' && !/^rgba\(\d+, \d+, \d+, 0\)/.test(s.boxShadow) && /[1-9]/.test(sizes);
    if (!el.dataset.kbStop) el.dataset.kbStop = String(document.querySelectorAll('[data-kb-stop]').length + 1);
    const what = el.outerHTML.slice(0, 140) + ' [outline: ' + s.outline + '; box-shadow: ' + s.boxShadow + ']';
    return {stop: el.dataset.kbStop, what: what, shown: outline || shadow,
            wanted: wanted ? el.matches(wanted) : false};
}"""
MAX_STOPS = 150


def _focus(page, wanted: str | None = None) -> dict | None:
    return page.evaluate(_FOCUS, wanted)


def tab_to(page, wanted: str) -> None:
    """Press Tab until the element matching `wanted` has the focus; each stop on the way must show its focus."""
    passed = []
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        focus = _focus(page, wanted)
        if focus is None:
            continue
        assert focus["shown"], f"no visible focus indicator on {focus['what']}"
        if focus["wanted"]:
            return
        passed.append(focus["what"])
    raise AssertionError(f"{wanted} never got the focus by Tab; passed {len(passed)} stops, last: {passed[-3:]}")


def assert_no_trap(page) -> int:
    """Tab from where the focus is to the end of the page, out of it, and round from its start to a stop seen
    before: no element keeps the focus. Returns the number of stops of the page; each one shows its focus."""
    stops: list[str] = []
    left = False
    repeats = 0
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        focus = _focus(page)
        if focus is None:  # past the last stop: the focus left the page's elements
            if left:
                return len(stops)
            left = True
            continue
        assert focus["shown"], f"no visible focus indicator on {focus['what']}"
        if stops and focus["stop"] == stops[-1]:
            # A date field takes a Tab per part (day, month, year); more is a trap.
            repeats += 1
            if repeats > 3:
                raise AssertionError(f"Tab is stuck on {focus['what']}")
            continue
        repeats = 0
        if focus["stop"] in stops:
            assert left, f"Tab goes round without leaving the page's end: trapped at {focus['what']}"
            return len(stops)
        stops.append(focus["stop"])
    raise AssertionError(f"Tab went through {MAX_STOPS} stops without coming round: trapped in {stops[-5:]}")


def keyboard_log_in(page, email: str) -> None:
    page.goto("/login")
    start = _focus(page, "#email")  # the page puts the focus on the e-mail field
    if start is None or not start["wanted"]:
        tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#password")
    page.keyboard.type(TEST_PASSWORD)
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")


def test_logging_in_by_keyboard(page_at, make_user):
    user = make_user(Role.PARTICIPANT, email="zoe@example.org", name="Zoé Martin")
    page = page_at(LAPTOP_WIDTH)
    keyboard_log_in(page, "zoe@example.org")
    # On the home page, the first Tab stop is the link that skips the menu.
    page.keyboard.press("Tab")
    first = _focus(page, "a.skip-link")
    assert first is not None and first["wanted"] and first["shown"], f"the first Tab stop is not the skip link: {first}"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    expect(page.locator("main")).to_be_visible()
    _db.session.expire_all()
    assert _db.session.scalar(sa.select(User.last_login_at).where(User.id == user.id)) is not None
    assert assert_no_trap(page) > 3


@pytest.mark.parametrize("width", [390, LAPTOP_WIDTH])
def test_borrowing_a_tool_by_keyboard(page_at, make_user, make_item, width):  # noqa: F811
    talent = make_user(Role.PARTICIPANT, email="zoe@example.org", name="Zoé Martin")
    tool_id = make_item("Ponceuse orbitale").id
    page = page_at(width)
    keyboard_log_in(page, "zoe@example.org")
    page.goto(f"/inventory/items/{tool_id}")
    borrow = f"form[action='/lending/items/{tool_id}/borrow']"
    tab_to(page, f"{borrow} input[type=radio]:checked")
    page.keyboard.press("Space")  # "in the lab" is the choice already made; Space keeps it
    tab_to(page, f"{borrow} button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/inventory/items/{tool_id}")
    expect(page.locator("form.return-form")).to_be_visible()
    _db.session.expire_all()
    loan = _db.session.scalar(sa.select(Loan))
    assert (loan.item_id, loan.borrower_id, loan.kind, loan.returned_at) == (tool_id, talent.id, LoanKind.IN_LAB, None)
    assert assert_no_trap(page) > 3


def test_lending_at_the_desk_by_keyboard(page_at, make_user, make_item):  # noqa: F811
    make_user(Role.LAB_MANAGER, email="lina@example.org")
    talent = make_user(Role.PARTICIPANT, email="zoe@example.org", name="Zoé Martin")
    token = cards.card_for(talent).token
    _db.session.commit()
    tool = make_item("Scie sauteuse")
    code, tool_id = tool.code, tool.id
    page = page_at(LAPTOP_WIDTH)
    keyboard_log_in(page, "lina@example.org")
    page.goto("/lending/desk")
    tab_to(page, "#item_code")
    page.keyboard.type(code)
    tab_to(page, "#card")
    page.keyboard.type(f"https://repairlab.example/m/{token}")
    page.keyboard.press("Enter")  # as a USB scanner ends the card's code
    page.wait_for_url("**/lending/desk")
    expect(page.locator(".flash-success")).to_contain_text("Zoé Martin")
    _db.session.expire_all()
    loan = _db.session.scalar(sa.select(Loan))
    assert (loan.item_id, loan.borrower_id, loan.returned_at) == (tool_id, talent.id, None)
    assert assert_no_trap(page) > 5


def test_moving_a_project_on_the_board_by_keyboard(page_at, make_user, make_project, territory, stages):  # noqa: F811
    mentor = make_user(Role.MENTOR, email="maud@example.org", name="Maud Leroy")
    team = make_user(Role.PARTICIPANT, name="Zoé Martin")
    project = make_project(territory, team=[team], mentors=[mentor], stage=stages[0], name="Vélo Solidaire")
    project_id, first, second = project.id, stages[0].id, stages[1].id
    page = page_at(LAPTOP_WIDTH)
    keyboard_log_in(page, "maud@example.org")
    page.goto("/projects/board")
    tab_to(page, f".board-card[data-project-id='{project_id}'] a.move-next")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/projects/{project_id}/move?*")
    tab_to(page, "textarea[name='note']")
    page.keyboard.type("Questionnaire clients fait, au clavier.")
    tab_to(page, "form.move-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/projects/board*")
    card = page.locator(f".board-cards[data-stage-id='{second}'] .board-card[data-project-id='{project_id}']")
    expect(card).to_have_count(1)
    _db.session.expire_all()
    assert _db.session.scalar(sa.select(Project.stage_id).where(Project.id == project_id)) == second
    last = _db.session.execute(
        sa.select(StageChange.from_stage_id, StageChange.to_stage_id, StageChange.note)
        .where(StageChange.project_id == project_id)
        .order_by(StageChange.id.desc())
        .limit(1)
    ).one()
    assert tuple(last) == (first, second, "Questionnaire clients fait, au clavier.")
    assert assert_no_trap(page) > 5
