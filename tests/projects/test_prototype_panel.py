"""The item page's "used by" panel: prototypes using a tool, shown to those who may see their projects."""

from __future__ import annotations

import pytest

from repairlab.people.models import Role
from repairlab.projects.prototypes import services as protos
from tests.projects.prototype_fixtures import *  # noqa: F403  (fixtures)
from tests.projects.prototype_fixtures import english


@pytest.fixture
def tool(db, make_item, prototype, mentor):
    """A soldering station used by the prototype "Lampe de bureau" of the project "Lampes du Nord"."""
    item = make_item("Station de soudage")
    protos.link_item(mentor, prototype, item)
    db.session.commit()
    return item


def _item_page(client, item) -> str:
    response = client.get(f"/inventory/items/{item.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN])
def test_staff_see_the_prototypes_and_projects_using_the_tool(client, login, make_user, tool, prototype, role):
    login(make_user(role))
    html = _item_page(english(client), tool)
    assert "Used by prototypes" in html and "Lampe de bureau" in html and "Lampes du Nord" in html
    assert f"/projects/prototypes/{prototype.id}" in html


def test_the_team_talent_sees_their_own_prototype(client, login, team_talent, tool):
    login(team_talent)
    assert "Lampe de bureau" in _item_page(english(client), tool)


def test_another_talent_sees_only_a_count_never_names(client, login, make_user, tool):
    login(make_user(Role.PARTICIPANT))
    html = _item_page(english(client), tool)
    assert "1 prototype of the programme uses it." in html
    assert "Lampe de bureau" not in html and "Lampes du Nord" not in html


def test_anonymous_visitors_see_nothing_of_it(app, tool):
    html = _item_page(english(app.test_client()), tool)
    assert "Used by prototypes" not in html and "Lampe de bureau" not in html


def test_staff_of_another_territory_see_nothing_of_it(client, login, make_user, other_territory, tool):
    login(make_user(Role.MENTOR, territory_=other_territory))
    html = _item_page(english(client), tool)
    assert "Used by prototypes" not in html and "Lampe de bureau" not in html


def test_an_unused_tool_has_no_panel(client, login, make_user, make_item, prototype):
    login(make_user(Role.MENTOR))
    assert "Used by prototypes" not in _item_page(english(client), make_item("Scie sauteuse"))


def test_the_panel_runs_one_query_whatever_the_number_of_prototypes(
    fresh_renders, client, login, db, make_user, make_project, territory, mentor, tool, query_counter
):
    login(make_user(Role.LAB_MANAGER))

    def count() -> int:
        with query_counter() as counted:
            _item_page(client, tool)
        return counted.value

    before = count()
    for n in range(5):
        project = make_project(territory, mentors=[mentor], name=f"Projet {n}")
        protos.link_item(mentor, protos.create_prototype(mentor, project, name=f"Proto {n}"), tool)
    db.session.commit()
    assert count() == before
