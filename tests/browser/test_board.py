"""Browser journeys on the project board: a mentor moves a project to the next stage with a note, by drag and drop
on a desktop and by the "next stage" button on a phone; the project lands in the new column with its history."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from repairlab.extensions import db as _db
from repairlab.people.models import Role
from repairlab.projects.models import Project, StageChange
from tests.browser.conftest import PHONE_WIDTHS, log_in
from tests.conftest import TEST_PASSWORD
from tests.inventory.conftest import other_territory  # noqa: F401  (fixture used by the projects fixtures)
from tests.projects.conftest import make_project, make_stage, stages  # noqa: F401  (fixtures)

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


@pytest.fixture
def journey(make_user, make_project, territory, stages):  # noqa: F811
    """A mentor following a project at the first stage; returns (mentor email, project id, stages)."""
    mentor = make_user(Role.MENTOR, email="maud@example.org", name="Maud Leroy")
    talent = make_user(Role.PARTICIPANT, name="Zoé Martin")
    project = make_project(territory, team=[talent], mentors=[mentor], stage=stages[0], name="Vélo Solidaire")
    return "maud@example.org", project.id, [(s.id, s.name) for s in stages]


def _log_in(page, email: str) -> None:
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")


def _column(page, stage_id: int):
    return page.locator(f".board-cards[data-stage-id='{stage_id}']")


def _card(page, project_id: int):
    return page.locator(f".board-card[data-project-id='{project_id}']")


def _history(project_id: int) -> list[tuple[int | None, int, str]]:
    _db.session.expire_all()
    rows = _db.session.execute(
        sa.select(StageChange.from_stage_id, StageChange.to_stage_id, StageChange.note)
        .where(StageChange.project_id == project_id)
        .order_by(StageChange.id)
    )
    return [tuple(row) for row in rows]


def _stage_of(project_id: int) -> int:
    _db.session.expire_all()
    return _db.session.scalar(sa.select(Project.stage_id).where(Project.id == project_id))


def test_a_mentor_drags_a_project_to_the_next_stage_with_a_note_on_a_desktop(new_page, journey):
    email, project_id, columns = journey
    (idea, _), (exploration, exploration_name) = columns[0], columns[1]
    page = new_page("desktop")
    _log_in(page, email)
    page.goto("/projects/board")
    expect(_column(page, idea).locator(_card(page, project_id))).to_be_visible()

    _card(page, project_id).drag_to(_column(page, exploration))
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-field='to']")).to_have_text(exploration_name)
    dialog.locator("textarea[name='note']").fill("Le questionnaire clients est fait.")
    dialog.locator("button[type=submit]").click()

    page.wait_for_url("**/projects/board")
    expect(page.locator(".flash-success")).to_contain_text("Vélo Solidaire")
    expect(_column(page, exploration).locator(_card(page, project_id))).to_be_visible()
    expect(_column(page, idea).locator(_card(page, project_id))).to_have_count(0)
    assert _history(project_id)[-1] == (idea, exploration, "Le questionnaire clients est fait.")
    _card(page, project_id).locator(".card-title a").click()
    page.wait_for_url(f"**/projects/{project_id}")
    expect(page.locator("#history")).to_contain_text("Le questionnaire clients est fait.")


def test_cancelling_the_dialog_puts_the_card_back_and_changes_nothing(new_page, journey):
    email, project_id, columns = journey
    idea, exploration = columns[0][0], columns[1][0]
    page = new_page("desktop")
    _log_in(page, email)
    page.goto("/projects/board")

    _card(page, project_id).drag_to(_column(page, exploration))
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("[data-action='cancel']").click()

    expect(dialog).to_be_hidden()
    expect(_column(page, idea).locator(_card(page, project_id))).to_be_visible()
    expect(_column(page, exploration).locator(_card(page, project_id))).to_have_count(0)
    assert _stage_of(project_id) == idea and len(_history(project_id)) == 1


def test_an_empty_note_keeps_the_dialog_open_and_changes_nothing(new_page, journey):
    email, project_id, columns = journey
    idea, exploration = columns[0][0], columns[1][0]
    page = new_page("desktop")
    _log_in(page, email)
    page.goto("/projects/board")

    _card(page, project_id).drag_to(_column(page, exploration))
    dialog = page.locator("#move-dialog")
    dialog.locator("textarea[name='note']").fill("   ")
    dialog.locator("button[type=submit]").click()

    expect(dialog).to_be_visible()
    assert dialog.locator("textarea[name='note']").evaluate("el => !el.validity.valid")
    assert _stage_of(project_id) == idea


def test_a_mentor_moves_a_project_with_the_next_stage_button_on_a_phone(new_page, journey):
    email, project_id, columns = journey
    idea, (exploration, exploration_name) = columns[0][0], columns[1]
    page = new_page("phone")
    _log_in(page, email)
    page.goto("/projects/board?lanes=mentor")
    # The board itself never makes the phone's page wider than the screen: columns scroll sideways inside it.
    assert page.evaluate("document.querySelector('main').scrollWidth <= document.querySelector('main').clientWidth")

    _card(page, project_id).locator("a.move-next").click()
    page.wait_for_url(f"**/projects/{project_id}/move?*")
    expect(page.locator("select[name='stage'] option:checked")).to_have_text(exploration_name)
    page.locator("form.move-form button[type=submit]").click()  # without a note: refused, nothing changes
    expect(page.locator(".field-error")).to_be_visible()
    assert _stage_of(project_id) == idea
    page.locator("textarea[name='note']").fill("Premier atelier de test avec des voisins.")
    page.locator("form.move-form button[type=submit]").click()

    page.wait_for_url("**/projects/board?lanes=mentor")
    expect(_column(page, exploration).locator(_card(page, project_id))).to_have_count(1)
    assert _history(project_id)[-1] == (idea, exploration, "Premier atelier de test avec des voisins.")
    page.goto(f"/projects/{project_id}")
    expect(page.locator("#history")).to_contain_text("Premier atelier de test avec des voisins.")


@pytest.fixture
def far_journey(make_user, make_project, territory, stages):  # noqa: F811
    """A mentor, a project at the fourth stage and one at the first: the fifth column is far off a phone's screen."""
    mentor = make_user(Role.MENTOR, email="maud@example.org", name="Maud Leroy")
    talent = make_user(Role.PARTICIPANT, name="Zoé Martin")
    make_project(territory, team=[talent], mentors=[mentor], stage=stages[0], name="Atelier Couture")
    project = make_project(territory, team=[talent], mentors=[mentor], stage=stages[3], name="Vélo Solidaire")
    return project.id, stages[4].id


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_after_a_move_on_a_phone_the_moved_card_is_in_view_and_highlighted(page_at, far_journey, width, screenshot_dir):
    project_id, target = far_journey
    page = page_at(width)
    log_in(page, "maud@example.org")
    page.goto("/projects/board")
    card = _card(page, project_id)
    card.scroll_into_view_if_needed()
    card.locator("a.move-next").click()
    page.wait_for_url(f"**/projects/{project_id}/move?*")
    page.locator("textarea[name='note']").fill("Prototype validé en atelier.")
    page.locator("form.move-form button[type=submit]").click()

    page.wait_for_url("**/projects/board")
    moved = _column(page, target).locator(_card(page, project_id))
    expect(moved).to_be_in_viewport()
    expect(moved).to_have_class(re.compile(r"\bboard-card-moved\b"))
    expect(moved).to_contain_text("Déplacé ici à l’instant")
    expect(moved).to_be_focused()
    page.screenshot(path=str(screenshot_dir / f"board-moved-{width}.png"))
    # Only once: the next visit of the board opens as usual.
    page.reload()
    expect(page.locator(".board-card-moved")).to_have_count(0)


def test_the_card_says_objectif_for_a_milestone_and_etape_for_a_stage(page_at, far_journey):
    page = page_at(390)
    log_in(page, "maud@example.org")
    page.goto("/projects/board")
    board = page.locator("#board")
    expect(board).not_to_contain_text("étape clé")
    expect(board).to_contain_text("Aucun objectif prévu")
    expect(board.locator("a.move-next").first).to_contain_text("Étape suivante")
