"""Pages served again while nothing they show changed (repairlab/freshness.py): the desk (and the board, in
tests/projects/test_board_views.py). Each thing such a page shows is changed here, and the next render must show
it; a page is never served to another person; each request has its own CSRF token."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
import time_machine

from repairlab import clock
from repairlab.inventory import services as inventory
from repairlab.lending import services
from repairlab.people.models import Role, User
from tests.inventory.conftest import english


def _desk(client) -> str:
    response = client.get("/lending/desk")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_desk_is_served_again_in_two_queries_then_shows_every_change(
    still_clock, db, client, login, tool, make_item, talent, make_talent, manager, make_user, lend, query_counter
):
    english(login(manager))
    first = _desk(client)
    assert "Overdue (0)" in first and "Due later (0)" in first
    with query_counter() as again:
        assert _desk(client) == first
    assert again.value == 2, again.statements  # the account, then the versions of the tables the page read

    # A loan made by another lab manager.
    loan = lend(make_user(Role.LAB_MANAGER), tool, talent)
    assert "Perceuse-visseuse" in _desk(client).split("<main", 1)[1]
    # The borrower's name.
    talent.full_name = "Zoé Martin"
    db.session.commit()
    assert "Zoé Martin" in _desk(client)
    # The item's name.
    inventory.update_item(
        manager, tool, inventory.ItemFields(name="Perceuse sans fil", kind=tool.kind, location_id=tool.location_id)
    )
    db.session.commit()
    assert "Perceuse sans fil" in _desk(client)
    # Its return.
    services.return_item(manager, loan, condition="good")
    db.session.commit()
    assert "Perceuse sans fil" not in _desk(client).split("<main", 1)[1]
    # A problem reported.
    inventory.report_problem(make_talent(), make_item("Ponceuse"), "Le patin est déchiré")
    db.session.commit()
    assert "Open problem reports (1)" in _desk(client)
    # The manager's own name, in the menu.
    manager.full_name = "Basile Leroy"
    db.session.commit()
    assert "Basile" in _desk(client)


def test_a_page_is_never_served_to_someone_else_and_each_request_has_its_own_token(
    still_clock, db, app, client, login, manager, make_user, csrf_enabled
):
    english(login(manager))
    mine = _desk(client)
    other = app.test_client()
    english(login(make_user(Role.LAB_MANAGER, name="Bastien Roux"), other))
    theirs = _desk(other)
    assert "Bastien" in theirs and "Bastien" not in mine
    # The same person on a second device: the same page, with that device's own token, which the app accepts.
    second = app.test_client()
    english(login(manager, second))
    again = _desk(second)
    tokens = [re.search(r'name="csrf_token" value="([^"]+)"', page).group(1) for page in (mine, again)]
    assert tokens[0] != tokens[1]
    assert again.replace(tokens[1], tokens[0]) == mine
    response = second.post("/language", data={"lang": "fr", "next": "/", "csrf_token": tokens[1]})
    assert response.status_code == 302


def test_a_message_to_show_is_shown_once_and_the_page_is_not_kept_with_it(still_clock, db, client, login, manager):
    english(login(manager))
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Prêt enregistré.")]
    assert "Prêt enregistré." in _desk(client)
    assert "Prêt enregistré." not in _desk(client)


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
    still_clock, db, client, login, tool, talent, manager, make_user, lend
):
    english(login(manager))
    assert "Perceuse-visseuse" not in client.get("/lending/desk").get_data(as_text=True).split("<main", 1)[1]
    lend(make_user(Role.LAB_MANAGER), tool, talent)
    assert "Perceuse-visseuse" in client.get("/lending/desk").get_data(as_text=True).split("<main", 1)[1]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) >= 3


def test_the_home_page_shows_a_new_loan_at_once(
    still_clock, db, client, login, tool, talent, manager, lend, query_counter
):
    english(login(talent))
    before = client.get("/").get_data(as_text=True)
    assert "Perceuse-visseuse" not in before.split("<main", 1)[1]
    with query_counter() as again:
        assert client.get("/").get_data(as_text=True) == before
    assert again.value == 2, again.statements
    lend(manager, tool, talent)
    assert "Perceuse-visseuse" in client.get("/").get_data(as_text=True).split("<main", 1)[1]
