"""The item page a scan opens: a public summary for visitors, more for members, everything for managers."""

from __future__ import annotations

import secrets

import pytest
from jinja2 import ChoiceLoader, DictLoader

from repairlab.inventory import services
from repairlab.inventory.models import ItemKind, ItemPhoto, ItemStatus
from repairlab.inventory.registry import ItemPanel, item_panels
from repairlab.people.models import Role
from tests.inventory.conftest import english

REPORTER = "Zénobie Quartermaine"


@pytest.fixture
def drill(db, make_item, make_category, make_place):
    """A tool with everything a page shows, and an open problem reported by a talent with a distinctive name."""
    return make_item(
        "Perceuse à colonne",
        category_id=make_category("Perçage").id,
        location_id=make_place("Zone bois").id,
        brand="Bosch",
        model="PBD 40",
        serial_number="SN-4242",
        safety_notes="Cheveux attachés, pas de gants.",
        notes="Acheté avec la subvention 2025",
        manual_url="https://example.org/pbd40.pdf",
        description="Perceuse d'établi",
    )


@pytest.fixture
def reported(db, drill, make_user, make_cohort):
    talent = make_user(Role.PARTICIPANT, name=REPORTER, cohort=make_cohort())
    services.report_problem(talent, drill, "Le mandrin a du jeu")
    db.session.commit()
    return drill


def test_anonymous_visitor_sees_the_public_summary_and_a_login_link(client, reported):
    html = english(client).get(f"/inventory/items/{reported.id}").get_data(as_text=True)
    assert reported.code in html and "Perceuse à colonne" in html
    assert "Available" in html  # the status in words
    assert "Cheveux attachés, pas de gants." in html
    assert f'href="/login?next=/inventory/items/{reported.id}"' in html


def test_anonymous_visitor_never_sees_a_persons_name_or_private_details(client, reported, manager):
    html = english(client).get(f"/inventory/items/{reported.id}").get_data(as_text=True)
    assert REPORTER not in html and manager.full_name not in html
    assert "Le mandrin a du jeu" not in html
    assert "SN-4242" not in html and "subvention" not in html
    assert "Manage this item" not in html and "Report a problem" not in html


def test_talent_of_the_territory_can_report_a_problem_but_sees_no_names(client, login, talent, reported):
    login(talent)
    html = english(client).get(f"/inventory/items/{reported.id}").get_data(as_text=True)
    assert f'href="/inventory/items/{reported.id}/report"' in html and "Report a problem" in html
    assert REPORTER not in html
    assert "Manage this item" not in html and "Log in" not in html


def test_manager_sees_open_problems_with_who_reported_them(client, login, manager, reported):
    login(manager)
    html = english(client).get(f"/inventory/items/{reported.id}").get_data(as_text=True)
    assert REPORTER in html and "Le mandrin a du jeu" in html
    assert "Manage this item" in html and "SN-4242" in html and "Acheté avec la subvention 2025" in html
    assert f'href="/inventory/items/{reported.id}/edit"' in html
    assert f"/labels/print?code={reported.code}" in html


def test_closed_problems_are_not_listed_on_the_item(client, login, manager, reported, db):
    services.close_report(manager, reported.reports[0], "Mandrin resserré")
    db.session.commit()
    login(manager)
    assert "Le mandrin a du jeu" not in client.get(f"/inventory/items/{reported.id}").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.LAB_MANAGER, Role.MENTOR])
def test_user_of_another_territory_gets_the_public_summary(client, login, make_user, other_territory, reported, role):
    login(make_user(role, territory_=other_territory))
    response = english(client).get(f"/inventory/items/{reported.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Perceuse à colonne" in html and "This item belongs to another territory." in html
    assert REPORTER not in html and "Report a problem" not in html and "Manage this item" not in html


def test_researcher_gets_the_public_summary(client, login, make_user, reported):
    login(make_user(Role.RESEARCHER))
    html = english(client).get(f"/inventory/items/{reported.id}").get_data(as_text=True)
    assert "Perceuse à colonne" in html and REPORTER not in html and "Report a problem" not in html


def test_admin_manages_items_of_every_territory(client, login, admin, make_item, other_lab):
    item = make_item("Scie de Paris", other_lab)
    login(admin)
    assert "Manage this item" in english(client).get(f"/inventory/items/{item.id}").get_data(as_text=True)


def test_a_part_shows_its_stock(client, make_item):
    part = make_item("Fusibles", kind=ItemKind.PART, quantity=7)
    assert "7 in stock" in english(client).get(f"/inventory/items/{part.id}").get_data(as_text=True)


def test_a_loaned_item_says_so_in_words_and_cannot_be_retired_from_its_page(client, login, manager, make_item, db):
    item = make_item()
    item.status = ItemStatus.ON_LOAN
    db.session.commit()
    login(manager)
    html = english(client).get(f"/inventory/items/{item.id}").get_data(as_text=True)
    assert "On loan" in html and "Retire this item" not in html


def test_the_manual_link_opens_safely(client, drill):
    html = client.get(f"/inventory/items/{drill.id}").get_data(as_text=True)
    assert 'href="https://example.org/pbd40.pdf" rel="noopener noreferrer"' in html


def test_names_are_escaped(client, make_item):
    item = make_item("<script>alert(1)</script>", safety_notes="<b>x</b>")
    html = client.get(f"/inventory/items/{item.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<b>x</b>" not in html


def test_unknown_item_is_a_404(client):
    assert client.get("/inventory/items/999999").status_code == 404


def test_page_is_french_by_default(client, drill):
    html = client.get(f"/inventory/items/{drill.id}").get_data(as_text=True)
    assert '<html lang="fr">' in html


# --- Panels of later domains ------------------------------------------------------------------------


@pytest.fixture
def panel(app, monkeypatch):
    """A panel as lending would register it, hidden for objects."""
    monkeypatch.setattr(
        app.jinja_env,
        "loader",
        ChoiceLoader([DictLoader({"test/panel.html": "<p>PANEL {{ ctx.code }}</p>"}), app.jinja_env.loader]),
    )
    item_panels.register(
        "test",
        ItemPanel(
            "test/panel.html", lambda item, viewer: None if item.kind == ItemKind.OBJECT else {"code": item.code}
        ),
    )
    yield
    item_panels.unregister("test")


def test_panels_are_shown_to_members(client, login, talent, make_item, panel):
    item = make_item()
    login(talent)
    assert "PANEL RBX-0001" in client.get(f"/inventory/items/{item.id}").get_data(as_text=True)


def test_panels_are_not_shown_to_visitors(client, make_item, panel):
    item = make_item()
    assert "PANEL" not in client.get(f"/inventory/items/{item.id}").get_data(as_text=True)


def test_a_panel_hides_itself_by_returning_none(client, login, talent, make_item, panel):
    item = make_item(kind=ItemKind.OBJECT)
    login(talent)
    assert "PANEL" not in client.get(f"/inventory/items/{item.id}").get_data(as_text=True)


# --- A bounded number of queries --------------------------------------------------------------------


def test_item_page_query_count_does_not_grow_with_photos_and_reports(
    client, login, manager, db, make_item, make_category, make_place, make_user, query_counter
):
    item = make_item(category_id=make_category().id, location_id=make_place().id)
    talents = [make_user(Role.PARTICIPANT) for _ in range(10)]

    def add(n: int) -> None:
        for i in range(n):
            token = secrets.token_hex(16)
            db.session.add(ItemPhoto(item_id=item.id, key=f"{token}.jpg", thumb_key=f"{token}_t.jpg"))
            services.report_problem(talents[i], item, f"Problème numéro {i}")
        db.session.commit()

    def measure() -> int:
        client.get(f"/inventory/items/{item.id}")
        with query_counter() as count:
            assert client.get(f"/inventory/items/{item.id}").status_code == 200
        return count.value

    login(manager)
    add(1)
    few = measure()
    add(9)
    many = measure()
    # One query per section: item, viewer, skill requirements, open loan, lending rule, reservations,
    # maintenance plans and log, prototypes using it, repairs it served, the guides for its category, problem
    # reports, and the skills for the manager's form.
    assert few == many <= 12, (few, many)


def test_public_item_page_query_count(client, db, make_item, query_counter):
    item = make_item()
    client.get(f"/inventory/items/{item.id}")
    with query_counter() as count:
        client.get(f"/inventory/items/{item.id}")
    assert count.value <= 3, count.statements
