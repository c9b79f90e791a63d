"""The desk finds a talent by name or e-mail (the typeahead's endpoint), lends to them without a card, and reaches
their member card from their page: the territory rule and the permissions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from repairlab.extensions import db as _db
from repairlab.lending.models import Loan
from repairlab.people.models import Role
from tests.inventory.conftest import english

SEARCH = "/lending/desk/talents"


@pytest.fixture
def zoe(make_user):
    return make_user(Role.PARTICIPANT, name="Zoé Martin", email="zoe.martin@example.org")


@pytest.fixture
def stranger(make_user, other_territory):
    """A talent of another territory, with the same first name."""
    return make_user(Role.PARTICIPANT, name="Zoé Lefèvre", email="zoe.lefevre@example.org", territory_=other_territory)


def _names(response) -> list[str]:
    assert response.status_code == 200 and response.is_json
    return [t["name"] for t in response.get_json()]


def test_the_desk_finds_a_talent_by_name_without_accents_and_by_email(client, login, manager, zoe):
    login(manager)
    assert _names(client.get(SEARCH, query_string={"q": "zoe"})) == ["Zoé Martin"]
    assert _names(client.get(SEARCH, query_string={"q": "ZOÉ mar"})) == ["Zoé Martin"]
    assert _names(client.get(SEARCH, query_string={"q": "martin@exa"})) == ["Zoé Martin"]
    [found] = client.get(SEARCH, query_string={"q": "zoe"}).get_json()
    assert found["id"] == zoe.id and found["email"] == "zoe.martin@example.org"
    assert found["card_url"] == f"/lending/cards/{zoe.id}"


def test_the_search_never_finds_a_talent_of_another_territory(client, login, manager, zoe, stranger):
    login(manager)
    assert _names(client.get(SEARCH, query_string={"q": "zoe"})) == ["Zoé Martin"]
    assert _names(client.get(SEARCH, query_string={"q": "lefevre"})) == []


def test_an_admin_finds_talents_of_every_territory(client, login, admin, zoe, stranger):
    login(admin)
    assert _names(client.get(SEARCH, query_string={"q": "zoe"})) == ["Zoé Lefèvre", "Zoé Martin"]


def test_the_search_finds_only_active_talents(client, login, manager, make_user, zoe):
    make_user(Role.PARTICIPANT, name="Zoé Partie", active=False)
    make_user(Role.MENTOR, name="Zoé Mentor")
    login(manager)
    assert _names(client.get(SEARCH, query_string={"q": "zoe"})) == ["Zoé Martin"]


def test_names_that_start_with_the_text_come_first_and_like_wildcards_are_plain_text(client, login, manager, make_user):
    make_user(Role.PARTICIPANT, name="Ali Benzoé")
    make_user(Role.PARTICIPANT, name="Zoé Andrieu")
    make_user(Role.PARTICIPANT, name="Léa 100% Zen")
    login(manager)
    assert _names(client.get(SEARCH, query_string={"q": "zoe"})) == ["Zoé Andrieu", "Ali Benzoé"]
    assert _names(client.get(SEARCH, query_string={"q": "%"})) == ["Léa 100% Zen"]
    assert _names(client.get(SEARCH, query_string={"q": "  "})) == []


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.MENTOR, Role.RESEARCHER])
def test_only_the_desk_may_search_talents(client, login, make_user, zoe, role):
    login(make_user(role))
    assert client.get(SEARCH, query_string={"q": "zoe"}).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, zoe):
    response = client.get(SEARCH, query_string={"q": "zoe"})
    assert response.status_code == 302 and "/login" in response.location


def test_the_desk_lends_to_a_talent_found_by_name(db, client, login, manager, tool, zoe):
    english(login(manager))
    response = client.post(
        "/lending/desk/lend",
        data={"item_code": tool.code, "card": "", "talent_id": str(zoe.id), "kind": "in_lab"},
    )
    assert response.status_code == 302
    [loan] = _db.session.scalars(sa.select(Loan)).all()
    assert loan.borrower_id == zoe.id and loan.item_id == tool.id


def test_the_desk_cannot_lend_to_a_talent_of_another_territory_by_id(db, client, login, manager, tool, stranger):
    english(login(manager))
    response = client.post(
        "/lending/desk/lend",
        data={"item_code": tool.code, "card": "", "talent_id": str(stranger.id), "kind": "in_lab"},
    )
    assert response.status_code == 400
    assert "No talent of this lab was found" in response.get_data(as_text=True)
    assert _db.session.scalars(sa.select(Loan)).all() == []


@pytest.mark.parametrize("talent_id", ["", "abc", "99999999999"])
def test_without_card_nor_talent_the_desk_says_what_is_missing(db, client, login, manager, tool, talent_id):
    english(login(manager))
    response = client.post(
        "/lending/desk/lend", data={"item_code": tool.code, "card": "", "talent_id": talent_id, "kind": "in_lab"}
    )
    assert response.status_code == 400
    assert "Scan the member card, or find the talent by name or e-mail." in response.get_data(as_text=True)
    assert _db.session.scalars(sa.select(Loan)).all() == []


def test_the_persons_page_links_to_the_member_card_for_the_desk_only(client, login, manager, make_user, zoe):
    english(login(manager))
    page = client.get(f"/people/{zoe.id}").get_data(as_text=True)
    assert f'href="/lending/cards/{zoe.id}"' in page and "Print the member card" in page
    card = client.get(f"/lending/cards/{zoe.id}")
    assert card.status_code == 200 and "Zoé Martin" in card.get_data(as_text=True)
    english(login(make_user(Role.MENTOR)))
    page = client.get(f"/people/{zoe.id}").get_data(as_text=True)
    assert "Print the member card" not in page
    mentor_page = client.get(f"/people/{manager.id}")
    assert mentor_page.status_code == 200 and "Print the member card" not in mentor_page.get_data(as_text=True)


def test_names_with_accents_of_other_languages_are_found_typed_either_way(client, login, manager, make_user):
    make_user(Role.PARTICIPANT, name="Dušan Łukasik", email="dusan@example.org")
    login(manager)
    for typed in ("Dušan", "dusan", "ŁUKASIK", "lukasik"):
        assert _names(client.get("/lending/desk/talents", query_string={"q": typed})) == ["Dušan Łukasik"], typed
