"""Places (zone > shelf or bin, each with a code and a page) and the programme-wide category tree."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.inventory import codes, queries, services
from repairlab.inventory.models import Category, ItemKind, Location, LocationKind
from repairlab.people.models import Role
from tests.inventory.conftest import english

ROW = re.compile(r'<a href="/inventory/items/\d+"><strong>(.*?)</strong></a>')


@pytest.fixture
def as_manager(client, login, manager):
    login(manager)
    return english(client)


def _places(db) -> list[Location]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Location).order_by(Location.id)))


# --- Places: services -----------------------------------------------------------------------------


def test_nested_places_get_codes_and_paths(db, lab, make_place):
    zone = make_place("Zone électronique")
    shelf = make_place("Étagère B", LocationKind.SHELF, parent=zone)
    bin_ = make_place("Bac 3", LocationKind.BIN, parent=shelf)
    assert (zone.code, shelf.code, bin_.code) == ("RBX-0001", "RBX-0002", "RBX-0003")
    assert bin_.path == "Atelier Roubaix > Zone électronique > Étagère B > Bac 3"
    assert codes.find_code("rbx-3").target_type == "location"


def test_a_bin_cannot_contain_places(db, make_place, lab):
    bin_ = make_place("Bac", LocationKind.BIN)
    with pytest.raises(ValidationError) as error:
        services.create_location(None, lab, "Sous-bac", LocationKind.BIN, bin_)
    assert error.value.field == "parent_id"


def test_a_place_with_places_inside_cannot_become_a_bin(db, make_place, manager):
    shelf = make_place("Étagère", LocationKind.SHELF)
    make_place("Bac", LocationKind.BIN, parent=shelf)
    with pytest.raises(ValidationError) as error:
        services.update_location(manager, shelf, "Étagère", LocationKind.BIN, None)
    assert error.value.field == "kind"


def test_an_empty_place_can_become_a_bin(db, make_place, manager):
    shelf = make_place("Étagère", LocationKind.SHELF)
    services.update_location(manager, shelf, "Grand bac", LocationKind.BIN, None)
    assert shelf.kind == LocationKind.BIN


def test_a_place_cannot_be_moved_inside_itself(db, make_place, manager):
    zone = make_place("Zone")
    shelf = make_place("Étagère", LocationKind.SHELF, parent=zone)
    for parent in (zone, shelf):
        with pytest.raises(ValidationError) as error:
            services.update_location(manager, zone, "Zone", LocationKind.ZONE, parent)
        assert error.value.field == "parent_id"


def test_the_parent_must_be_in_the_same_lab(db, make_lab, make_place, lab):
    elsewhere = make_place("Zone", lab_=make_lab("Atelier bis"))
    with pytest.raises(ValidationError):
        services.create_location(None, lab, "Étagère", LocationKind.SHELF, elsewhere)


def test_moving_a_place_moves_the_paths_of_what_is_inside(db, make_place, manager):
    wood, metal = make_place("Zone bois"), make_place("Zone métal")
    shelf = make_place("Étagère", LocationKind.SHELF, parent=wood)
    bin_ = make_place("Bac", LocationKind.BIN, parent=shelf)
    services.update_location(manager, shelf, "Étagère haute", LocationKind.SHELF, metal)
    db.session.commit()
    db.session.refresh(bin_)
    assert bin_.path == "Atelier Roubaix > Zone métal > Étagère haute > Bac"
    assert bin_.code == "RBX-0004"  # codes never change


def test_renaming_a_place_leaves_places_with_a_similar_name_alone(db, make_place, manager):
    a_b = make_place("A_B")
    axb = make_place("AxB")
    inside = make_place("Étagère", LocationKind.SHELF, parent=axb)
    services.update_location(manager, a_b, "Zone A", LocationKind.ZONE, None)
    db.session.commit()
    db.session.refresh(inside)
    assert inside.path == "Atelier Roubaix > AxB > Étagère"


@pytest.mark.parametrize("name", ["Zone A", "zone a", " ZONE A "])
def test_duplicate_place_names_in_the_same_spot_are_refused(db, make_place, lab, name):
    make_place("Zone A")
    with pytest.raises(Conflict) as error:
        services.create_location(None, lab, name, LocationKind.ZONE)
    assert error.value.field == "name"


def test_duplicate_accented_place_names_are_refused_whatever_the_case(db, make_place, lab):
    make_place("Étagère")
    with pytest.raises(Conflict):
        services.create_location(None, lab, "étagère", LocationKind.SHELF)


def test_the_same_name_is_fine_elsewhere(db, make_place, make_lab):
    zone, other = make_place("Zone A"), make_place("Zone B")
    make_place("Étagère", LocationKind.SHELF, parent=zone)
    make_place("Étagère", LocationKind.SHELF, parent=other)
    make_place("Zone A", lab_=make_lab("Atelier bis"))


@pytest.mark.parametrize("name", ["", "   ", "Zone > Étagère"])
def test_bad_place_names_are_refused(db, lab, name):
    with pytest.raises(ValidationError) as error:
        services.create_location(None, lab, name, LocationKind.ZONE)
    assert error.value.field == "name"


def test_creating_a_place_is_audited(db, make_place):
    zone = make_place("Zone")
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.object_type == "locations")).all()
    assert entry.action == "create" and entry.after["code"] == zone.code


# --- Places: pages --------------------------------------------------------------------------------


def test_manager_adds_a_place_through_the_form(as_manager, db, lab, make_place):
    zone = make_place("Zone")
    response = as_manager.post(
        "/inventory/places/new", data={"lab_id": lab.id, "parent_id": zone.id, "name": "Étagère A", "kind": "shelf"}
    )
    [_zone, shelf] = _places(db)
    assert response.location == f"/inventory/places/{shelf.id}"
    assert (shelf.parent_id, shelf.code, shelf.kind) == (zone.id, "RBX-0002", LocationKind.SHELF)


def test_the_add_form_is_prefilled_from_the_place_page_link(as_manager, lab, make_place):
    zone = make_place("Zone")
    html = as_manager.get(f"/inventory/places/new?lab={lab.id}&parent={zone.id}").get_data(as_text=True)
    assert f'<option selected value="{zone.id}">' in html


def test_a_bin_is_not_offered_as_a_parent(as_manager, make_place):
    make_place("Bac perdu", LocationKind.BIN)
    html = as_manager.get("/inventory/places/new").get_data(as_text=True)
    assert "Bac perdu" not in html


def test_a_bin_posted_by_hand_as_parent_is_refused(as_manager, db, lab, make_place):
    bin_ = make_place("Bac", LocationKind.BIN)
    response = as_manager.post(
        "/inventory/places/new", data={"lab_id": lab.id, "parent_id": bin_.id, "name": "Dedans", "kind": "bin"}
    )
    assert response.status_code == 400 and len(_places(db)) == 1


def test_a_place_in_another_territorys_lab_is_refused(as_manager, db, other_lab):
    response = as_manager.post("/inventory/places/new", data={"lab_id": other_lab.id, "name": "Intrus", "kind": "zone"})
    assert response.status_code == 400 and _places(db) == []


def test_duplicate_place_from_the_form_shows_the_message(as_manager, db, lab, make_place):
    make_place("Zone A")
    response = as_manager.post("/inventory/places/new", data={"lab_id": lab.id, "name": "zone a", "kind": "zone"})
    assert response.status_code == 400
    assert "This place already exists in this lab." in response.get_data(as_text=True)
    assert len(_places(db)) == 1


def test_edit_form_saves_without_the_lab_field(as_manager, db, make_place):
    # The edit page does not show the lab: the browser does not send it.
    zone = make_place("Zone")
    shelf = make_place("Étagère", LocationKind.SHELF)
    response = as_manager.post(
        f"/inventory/places/{shelf.id}/edit", data={"parent_id": zone.id, "name": "Étagère haute", "kind": "shelf"}
    )
    assert response.status_code == 302
    db.session.refresh(shelf)
    assert (shelf.name, shelf.parent_id) == ("Étagère haute", zone.id)


def test_edit_form_refuses_moving_a_place_inside_itself(as_manager, db, make_place):
    zone = make_place("Zone")
    shelf = make_place("Étagère", LocationKind.SHELF, parent=zone)
    html = as_manager.get(f"/inventory/places/{zone.id}/edit").get_data(as_text=True)
    assert f'value="{shelf.id}"' not in html  # not offered
    response = as_manager.post(
        f"/inventory/places/{zone.id}/edit", data={"parent_id": shelf.id, "name": "Zone", "kind": "zone"}
    )
    assert response.status_code == 400
    db.session.refresh(zone)
    assert zone.parent_id is None


def test_edit_form_refuses_turning_a_full_place_into_a_bin(as_manager, db, make_place):
    shelf = make_place("Étagère", LocationKind.SHELF)
    make_place("Bac", LocationKind.BIN, parent=shelf)
    response = as_manager.post(f"/inventory/places/{shelf.id}/edit", data={"name": "Étagère", "kind": "bin"})
    assert response.status_code == 400
    assert "Nothing can be placed inside a bin." in response.get_data(as_text=True)
    db.session.refresh(shelf)
    assert shelf.kind == LocationKind.SHELF


def test_place_page_lists_what_it_holds_including_sub_places(client, login, talent, make_place, make_item, other_lab):
    zone = make_place("Zone électronique")
    shelf = make_place("Étagère B", LocationKind.SHELF, parent=zone)
    make_item("A fer à souder", location_id=zone.id)
    make_item("B multimètre", location_id=shelf.id)
    make_item("C ailleurs")
    login(talent)
    html = english(client).get(f"/inventory/places/{zone.id}").get_data(as_text=True)
    assert zone.code in html and "Étagère B" in html and shelf.code in html
    assert ROW.findall(html) == ["A fer à souder", "B multimètre"]
    assert "Zone électronique &gt; Étagère B" in html  # where the sub-place's item is


def test_place_page_hides_retired_items(client, login, manager, db, make_place, make_item):
    zone = make_place()
    services.retire_item(manager, make_item("Vieux", location_id=zone.id), "HS")
    db.session.commit()
    login(manager)
    assert ROW.findall(client.get(f"/inventory/places/{zone.id}").get_data(as_text=True)) == []


def test_a_scanned_place_label_opens_its_page(client, login, talent, make_place):
    zone = make_place()
    login(talent)
    assert client.get(f"/q/{zone.code.lower()}").location == f"/inventory/places/{zone.id}"


def test_another_territorys_place_is_not_found(client, login, talent, make_place, other_lab):
    theirs = make_place("Zone Paris", lab_=other_lab)
    login(talent)
    assert client.get(f"/inventory/places/{theirs.id}").status_code == 404
    assert client.get("/inventory/places/999999").status_code == 404


def test_places_page_shows_the_tree_with_counts(client, login, manager, make_place, make_item, other_lab):
    zone = make_place("Zone bois")
    make_place("Étagère", LocationKind.SHELF, parent=zone)
    make_item(location_id=zone.id)
    make_item(location_id=zone.id)
    make_place("Zone Paris", lab_=other_lab)
    login(manager)
    html = english(client).get("/inventory/places").get_data(as_text=True)
    assert "Zone bois" in html and "2 items" in html and "Étagère" in html and "Zone Paris" not in html


def test_place_page_query_count_does_not_grow_with_the_items(
    client, login, manager, db, make_place, make_item, make_category, query_counter
):
    zone = make_place("Zone")
    shelves = [make_place(f"Étagère {i}", LocationKind.SHELF, parent=zone) for i in range(3)]
    category = make_category()

    def add(n: int) -> None:
        for i in range(n):
            make_item(
                location_id=shelves[i % 3].id,
                category_id=category.id,
                kind=ItemKind.PART if i % 2 else ItemKind.TOOL,
                quantity=1 if i % 2 else None,
            )

    def measure() -> int:
        client.get(f"/inventory/places/{zone.id}")
        with query_counter() as count:
            assert client.get(f"/inventory/places/{zone.id}").status_code == 200
        return count.value

    login(manager)
    add(3)
    few = measure()
    add(27)
    many = measure()
    assert few == many <= 8, (few, many)


# --- Categories -----------------------------------------------------------------------------------


def test_nested_categories_have_paths(db, make_category):
    electronics = make_category("Électronique")
    soldering = make_category("Soudure", electronics)
    assert soldering.path == "Électronique > Soudure"
    assert queries.category_finder()(" électronique>soudure ") == soldering


def test_renaming_a_category_updates_its_sub_categories(db, make_category, admin):
    electronics = make_category("Électronique")
    soldering = make_category("Soudure", electronics)
    tips = make_category("Pannes", soldering)
    services.update_category(admin, electronics, "Électronique et mesure", None)
    db.session.commit()
    db.session.refresh(soldering)
    db.session.refresh(tips)
    assert soldering.path == "Électronique et mesure > Soudure"
    assert tips.path == "Électronique et mesure > Soudure > Pannes"


def test_moving_a_category_under_another(db, make_category, admin):
    tools, electronics = make_category("Outils"), make_category("Électronique")
    soldering = make_category("Soudure", electronics)
    tips = make_category("Pannes", soldering)
    services.update_category(admin, soldering, "Soudure", tools)
    db.session.commit()
    db.session.refresh(tips)
    assert tips.path == "Outils > Soudure > Pannes"


def test_renaming_a_category_leaves_similar_names_alone(db, make_category, admin):
    a_b, axb = make_category("A_B"), make_category("AxB")
    sub = make_category("Sous", axb)
    services.update_category(admin, a_b, "AB", None)
    db.session.commit()
    db.session.refresh(sub)
    assert sub.path == "AxB > Sous"


def test_a_category_cannot_go_under_itself(db, make_category, admin):
    top = make_category("Haut")
    low = make_category("Bas", top)
    for parent in (top, low):
        with pytest.raises(ValidationError) as error:
            services.update_category(admin, top, "Haut", parent)
        assert error.value.field == "parent_id"


@pytest.mark.parametrize("name", ["Électronique", "électronique", "ÉLECTRONIQUE", " Électronique "])
def test_duplicate_category_names_are_refused_whatever_the_case(db, make_category, name):
    make_category("Électronique")
    with pytest.raises(Conflict) as error:
        services.create_category(None, name)
    assert error.value.field == "name"


def test_duplicate_sub_category_names_are_refused(db, make_category, admin):
    top = make_category("Textile")
    make_category("Mercerie", top)
    sewing = make_category("Couture", top)
    with pytest.raises(Conflict):
        services.create_category(None, "mercerie", top)
    with pytest.raises(Conflict):
        services.update_category(admin, sewing, "Mercerie", top)


def test_the_same_sub_category_name_under_two_parents_is_fine(db, make_category):
    make_category("Pièces", make_category("Cycles"))
    make_category("Pièces", make_category("Électroménager"))


def test_category_pages(as_manager, db, make_category):
    top = make_category("Électronique")
    response = as_manager.post("/inventory/categories/new", data={"name": "Soudure", "parent_id": top.id})
    assert response.location == "/inventory/categories"
    html = as_manager.get(response.location).get_data(as_text=True)
    assert "Category Électronique &gt; Soudure added." in html and 'style="--depth: 1"' in html
    sub = db.session.scalar(sa.select(Category).where(Category.name == "Soudure"))
    assert (sub.parent_id, sub.path) == (top.id, "Électronique > Soudure")


def test_duplicate_category_from_the_form_shows_the_message(as_manager, db, make_category):
    make_category("Textile")
    response = as_manager.post("/inventory/categories/new", data={"name": "textile", "parent_id": ""})
    assert response.status_code == 400 and "This category already exists." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Category)) == 1


@pytest.fixture
def as_admin(client, login, admin):
    login(admin)
    return english(client)


def test_category_edit_form_does_not_offer_itself_or_its_children(as_admin, make_category):
    top = make_category("Haut")
    low = make_category("Bas", top)
    other = make_category("Autre")
    html = as_admin.get(f"/inventory/categories/{top.id}/edit").get_data(as_text=True)
    # Only the "Inside" select: the page also has the skills-required form, whose levels are numbers too.
    parents = html[html.index('id="parent_id"') :]
    parents = parents[: parents.index("</select>")]
    assert f'value="{low.id}"' not in parents and f'value="{other.id}"' in parents


def test_category_edit_form_renames(as_admin, db, make_category):
    top = make_category("Electronique")
    sub = make_category("Soudure", top)
    as_admin.post(f"/inventory/categories/{top.id}/edit", data={"name": "Électronique", "parent_id": ""})
    db.session.refresh(sub)
    assert sub.path == "Électronique > Soudure"


def test_a_lab_manager_sees_a_shared_category_but_neither_renames_nor_moves_it(
    client, login, manager, db, make_category
):
    top = make_category("Électronique")
    sub = make_category("Soudure", top)
    other = make_category("Outils")
    login(manager)
    html = client.get(f"/inventory/categories/{sub.id}/edit").get_data(as_text=True)
    assert "Électronique &gt; Soudure" in html and 'id="parent_id"' not in html
    assert "seuls les administrateurs les renomment ou les déplacent" in html
    for data in ({"name": "Brasure", "parent_id": top.id}, {"name": "Soudure", "parent_id": other.id}):
        assert client.post(f"/inventory/categories/{sub.id}/edit", data=data).status_code == 403
    db.session.refresh(sub)
    assert sub.path == "Électronique > Soudure"
    with pytest.raises(PermissionDenied):
        services.update_category(manager, sub, "Brasure", top)
    # Adding a category stays theirs.
    assert client.post("/inventory/categories/new", data={"name": "Couture", "parent_id": ""}).status_code == 302


def test_talents_cannot_manage_categories_or_places(client, login, talent, make_category, make_place):
    category, place = make_category(), make_place()
    login(talent)
    for url in (
        "/inventory/categories",
        "/inventory/categories/new",
        f"/inventory/categories/{category.id}/edit",
        "/inventory/places/new",
        f"/inventory/places/{place.id}/edit",
    ):
        assert client.get(url).status_code == 403, url


def test_mentor_sees_places_but_cannot_add_one(client, login, make_user, make_place):
    make_place("Zone bois")
    login(make_user(Role.MENTOR))
    html = english(client).get("/inventory/places").get_data(as_text=True)
    assert "Zone bois" in html and "Add a place" not in html


def test_place_page_with_many_items_is_paginated(client, login, manager, app, make_place, make_item):
    zone = make_place()
    for i in range(app.config["PER_PAGE"] + 2):
        make_item(f"Objet {i:03d}", location_id=zone.id)
    login(manager)
    first = client.get(f"/inventory/places/{zone.id}")
    assert first.status_code == 200
    [link] = re.findall(r'href="([^"]*)" rel="next"', first.get_data(as_text=True))
    assert link == f"/inventory/places/{zone.id}?page=2"
    assert ROW.findall(client.get(link).get_data(as_text=True)) == ["Objet 025", "Objet 026"]


# --- Two managers at once -------------------------------------------------------------------------


def _together(app, count: int, work) -> list:
    """Run work() in `count` threads with their own app context, released at once; return results or errors."""
    import threading

    from repairlab.extensions import db as _db

    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[i] = work()
                _db.session.commit()
            except Exception as error:
                _db.session.rollback()
                results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_the_same_category_created_at_once_is_created_once(app, db):
    results = _together(app, 6, lambda: services.create_category(None, "Textile").id)
    assert sum(isinstance(r, int) for r in results) == 1
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, int)), results
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Category)) == 1


def test_the_same_place_created_at_once_is_created_once(app, db, lab, make_place):
    zone = make_place("Zone")
    lab_id, zone_id = lab.id, zone.id

    def create():
        from repairlab.people.models import Lab

        return services.create_location(
            None, db.session.get(Lab, lab_id), "Étagère", LocationKind.SHELF, db.session.get(Location, zone_id)
        ).id

    results = _together(app, 6, create)
    assert sum(isinstance(r, int) for r in results) == 1
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, int)), results
    assert len(_places(db)) == 2


def test_renaming_a_lab_renames_the_paths_of_its_places(db, lab, admin, make_place):
    from repairlab.people import services as people

    zone = make_place("Zone bois")
    shelf = make_place("Étagère 1", LocationKind.SHELF, parent=zone)
    people.update_lab(admin, lab, territory=lab.territory, name="Atelier du Pile", address="", active=True)
    db.session.commit()
    assert [zone.path, shelf.path] == ["Atelier du Pile > Zone bois", "Atelier du Pile > Zone bois > Étagère 1"]


def test_a_lab_holding_places_cannot_move_to_another_territory(db, lab, admin, make_place, other_territory):
    from repairlab.people import services as people

    make_place("Zone bois")
    with force_locale("en"), pytest.raises(ValidationError, match="cannot move to another territory"):
        people.update_lab(admin, lab, territory=other_territory, name=lab.name, address="", active=True)
    db.session.rollback()
    assert db.session.get(type(lab), lab.id).territory_id != other_territory.id


def test_an_empty_lab_can_move_to_another_territory(db, lab, admin, other_territory):
    from repairlab.people import services as people

    people.update_lab(admin, lab, territory=other_territory, name=lab.name, address="", active=True)
    db.session.commit()
    assert lab.territory_id == other_territory.id
