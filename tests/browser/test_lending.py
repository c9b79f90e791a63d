"""Browser journey on a phone: a talent borrows a tool to take home, sees it in "my loans", and gives it back."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.extensions import db as _db
from repairlab.lending import cards
from repairlab.lending.models import Loan
from repairlab.people.models import Role
from tests.conftest import TEST_PASSWORD
from tests.inventory.conftest import lab, make_item  # noqa: F401  (fixtures)

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


def test_a_talent_borrows_a_tool_home_sees_it_and_gives_it_back_on_a_phone(new_page, make_user, make_item):  # noqa: F811
    talent = make_user(Role.PARTICIPANT, email="zoe@example.org")
    tool = make_item("Ponceuse orbitale")
    tool_id = tool.id
    page = new_page("phone")
    page.goto("/login")
    page.locator("#email").fill("zoe@example.org")
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.goto(f"/inventory/items/{tool_id}")
    borrow = page.locator(f"form[action='/lending/items/{tool_id}/borrow']")
    borrow.locator("input[value='take_home']").check()
    due = clock.today() + timedelta(days=3)
    borrow.locator("input[name='due_on']").fill(due.isoformat())
    borrow.locator("button[type=submit]").click()
    page.wait_for_url(f"**/inventory/items/{tool_id}")
    give_back = page.locator("form.return-form")
    expect(give_back).to_be_visible()

    page.goto("/lending/my-loans")
    expect(page.locator("#now-title + ul")).to_contain_text("Ponceuse orbitale")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

    page.goto(f"/inventory/items/{tool_id}")
    give_back = page.locator("form.return-form")
    give_back.locator("select[name='condition']").select_option("good")
    give_back.locator("button[type=submit]").click()
    page.wait_for_url(f"**/inventory/items/{tool_id}")
    expect(page.locator(f"form[action='/lending/items/{tool_id}/borrow']")).to_be_visible()
    page.goto("/lending/my-loans")
    expect(page.locator("#past-title + ul")).to_contain_text("Ponceuse orbitale")
    _db.session.expire_all()
    loan = _db.session.scalar(sa.select(Loan))
    assert loan.borrower_id == talent.id and loan.returned_at is not None


def test_a_lab_manager_lends_at_the_desk_by_scanning_two_codes_and_records_the_return(
    new_page,
    make_user,
    make_item,  # noqa: F811
    admin,
):
    from repairlab.inventory import requirements
    from repairlab.skills import catalogue

    make_user(Role.LAB_MANAGER, email="lina@example.org")
    talent = make_user(Role.PARTICIPANT, email="zoe@example.org", name="Zoé Martin")
    card = cards.card_for(talent)
    tool = make_item("Perceuse à colonne")
    domain = catalogue.create_domain(admin, name="Sécurité")
    skill = catalogue.create_skill(admin, domain=domain, name="Perceuse à colonne", is_safety=True)
    requirements.add_requirement(admin, item=tool, skill=skill, min_level=2)
    _db.session.commit()
    code, token, tool_id = tool.code, card.token, tool.id

    page = new_page("desktop")
    page.goto("/login")
    page.locator("#email").fill("lina@example.org")
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")
    page.goto("/lending/desk")
    # A USB scanner types the label's URL, then the member card's URL, each followed by Enter.
    page.locator("#item_code").fill(f"https://repairlab.example/q/{code.lower()}")
    page.locator("#card").fill(f"https://repairlab.example/m/{token}")
    page.locator("#card").press("Enter")
    refusal = page.locator(".flash-error")
    expect(refusal).to_contain_text("Zoé Martin")  # about the talent, not "you"
    expect(refusal).to_contain_text("Perceuse à colonne")
    page.locator("#override_reason").fill("Encadrée par Lina toute la séance")
    page.locator("form[action='/lending/desk/lend'] button[type=submit]").click()
    page.wait_for_url("**/lending/desk")
    expect(page.locator(".flash-success")).to_contain_text("Zoé Martin")
    expect(page.locator("#due-today")).to_contain_text("Perceuse à colonne")

    page.locator("#due-today").get_by_role("link", name="Enregistrer le retour").click()
    page.wait_for_url(f"**/inventory/items/{tool_id}*")
    page.locator("form.return-form button[type=submit]").click()
    page.wait_for_url(f"**/inventory/items/{tool_id}")
    expect(page.locator(".flash-success")).to_be_visible()
    _db.session.expire_all()
    loan = _db.session.scalar(sa.select(Loan))
    assert loan.returned_at is not None and loan.override_reason == "Encadrée par Lina toute la séance"
