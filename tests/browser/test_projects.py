"""Browser journey on a phone: a mentor records a session with an action item; the next session form shows it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from repairlab.extensions import db as _db
from repairlab.people.models import Role
from repairlab.projects.models import ActionItem
from tests.conftest import TEST_PASSWORD
from tests.projects.conftest import make_project, make_stage, stages  # noqa: F401  (fixtures)

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


def test_a_mentor_records_a_session_with_action_items_and_finds_them_next_time_on_a_phone(
    new_page,
    make_user,
    territory,
    stages,  # noqa: F811
    make_project,  # noqa: F811
):
    mentor = make_user(Role.MENTOR, email="maud@example.org", name="Maud Mentore")
    talent = make_user(Role.PARTICIPANT, name="Karim Benali")
    project = make_project(territory, team=[talent], mentors=[mentor], name="Vélo Fives Service")
    project_id, talent_id = project.id, talent.id

    page = new_page("phone")
    page.goto("/login")
    page.locator("#email").fill("maud@example.org")
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.goto(f"/projects/{project_id}")
    page.locator(f"a[href='/projects/{project_id}/sessions/new']").first.click()
    page.wait_for_url(f"**/projects/{project_id}/sessions/new")
    page.locator("#notes").fill("Point sur les premiers clients et le prix d'une révision.")
    page.locator("#actions-0-text").fill("Demander trois devis pour les pièces")
    page.locator("#actions-0-owner_id").select_option(str(talent_id))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/projects/{project_id}#sessions")
    expect(page.locator("#actions")).to_contain_text("Demander trois devis pour les pièces")

    page.goto(f"/projects/{project_id}/sessions/new")
    carried = page.locator("#open-actions")
    expect(carried).to_contain_text("Demander trois devis pour les pièces")
    expect(carried).to_contain_text("Karim Benali")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

    carried.locator("input[name='closed']").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/projects/{project_id}#sessions")
    expect(page.locator("#actions")).not_to_contain_text("Demander trois devis pour les pièces")
    _db.session.expire_all()
    action = _db.session.scalar(sa.select(ActionItem))
    assert action.done_at is not None and action.closed_in_session_id is not None
