"""Pages served again while nothing they show changed (repairlab/freshness.py): the scan page, the desk and the
board. Each thing such a page shows is changed here, and the next render must show it; a page is never served to
another person; each request has its own CSRF token."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
import time_machine

from repairlab import clock
from repairlab.inventory import requirements
from repairlab.inventory import services as inventory
from repairlab.lending import services
from repairlab.people.models import Role, Territory, User
from repairlab.skills import catalogue, validations
from tests.inventory.conftest import english


def _page(client, tool) -> str:
    response = client.get(f"/inventory/items/{tool.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_scan_page_is_served_again_in_two_queries_then_shows_every_change(
    db, client, login, tool, talent, make_talent, manager, admin, lend, query_counter
):
    english(login(talent))
    first = _page(client, tool)
    assert "Available: borrow it." in first
    with query_counter() as again:
        assert _page(client, tool) == first
    assert again.value == 2, again.statements  # the account, then the versions of the tables the page read

    # The item itself.
    inventory.update_item(
        manager, tool, inventory.ItemFields(name="Perceuse sans fil", kind=tool.kind, location_id=tool.location_id)
    )
    db.session.commit()
    assert "Perceuse sans fil" in _page(client, tool)
    # Its place's name.
    db.session.get(Territory, tool.territory_id).name = "Métropole lilloise"
    db.session.commit()
    assert "Métropole lilloise" in _page(client, tool)
    # A loan by someone else.
    loan = lend(manager, tool, make_talent())
    page = _page(client, tool)
    assert "Available: borrow it." not in page and "On loan" in page
    # Its return.
    services.return_item(manager, loan, condition="good")
    db.session.commit()
    assert "Available: borrow it." in _page(client, tool)
    # A skill its category now requires: the verdict changes for this talent.
    domain = catalogue.create_domain(admin, name="Sécurité")
    skill = catalogue.create_skill(admin, domain=domain, name="Perceuse à colonne", is_safety=True)
    requirements.add_requirement(admin, item=tool, skill=skill, min_level=1)
    db.session.commit()
    page = _page(client, tool)
    assert "Perceuse à colonne" in page and "Available: borrow it." not in page
    # The talent's own validation of it.
    validations.validate_skill(manager, talent, skill, level=1)
    db.session.commit()
    assert "Available: borrow it." in _page(client, tool)
    # The talent's own name, in the menu.
    talent.full_name = "Zoé Martin"
    db.session.commit()
    assert "Zoé" in _page(client, tool)


def test_a_page_is_never_served_to_someone_else_and_each_request_has_its_own_token(
    db, app, client, login, risky_tool, talent, make_talent, csrf_enabled
):
    english(login(talent))
    mine = _page(client, risky_tool)
    other = app.test_client()
    english(login(make_talent(name="Bastien Roux"), other))
    theirs = _page(other, risky_tool)
    assert "Bastien" in theirs and "Bastien" not in mine
    # The same person on a second device: the same page, with that device's own token, which the app accepts.
    second = app.test_client()
    english(login(talent, second))
    again = _page(second, risky_tool)
    tokens = [re.search(r'name="csrf_token" value="([^"]+)"', page).group(1) for page in (mine, again)]
    assert tokens[0] != tokens[1]
    assert again.replace(tokens[1], tokens[0]) == mine
    response = second.post("/language", data={"lang": "fr", "next": "/", "csrf_token": tokens[1]})
    assert response.status_code == 302


def test_time_passing_shows_on_the_page(db, client, login, tool, talent, manager, lend):
    """A loan due today is late after midnight, with no write in between."""
    start = (clock.utcnow() + timedelta(days=1)).replace(hour=20, minute=0, second=0, microsecond=0)
    with time_machine.travel(start, tick=False):
        lend(manager, tool, talent, due_at=clock.today())
        english(login(manager))
        assert "Due today (1)" in client.get("/lending/desk").get_data(as_text=True)
    with time_machine.travel(start + timedelta(hours=4), tick=False):
        desk = client.get("/lending/desk").get_data(as_text=True)
        assert "Overdue (1)" in desk and "Due today (0)" in desk


def test_the_desk_shows_a_loan_made_by_another_manager_at_once(
    db, client, login, tool, talent, manager, make_user, lend
):
    english(login(manager))
    assert "Perceuse-visseuse" not in client.get("/lending/desk").get_data(as_text=True).split("<main", 1)[1]
    lend(make_user(Role.LAB_MANAGER), tool, talent)
    assert "Perceuse-visseuse" in client.get("/lending/desk").get_data(as_text=True).split("<main", 1)[1]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) >= 3
