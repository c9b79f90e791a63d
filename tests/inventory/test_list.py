"""The inventory list: search, filters, sort, pagination, territory scoping, and a bounded number of queries."""

from __future__ import annotations

import re
import secrets

import pytest
import sqlalchemy as sa

from repairlab.inventory import services
from repairlab.inventory.models import Category, ItemKind, ItemPhoto, ItemStatus, Location, LocationKind
from repairlab.people.models import Role
from tests.inventory.conftest import english

ROW = re.compile(r'<a href="/inventory/items/\d+"><strong>(.*?)</strong></a>')


def names(client, **args) -> list[str]:
    """The item names the list shows, in order."""
    response = client.get("/inventory/", query_string=args)
    assert response.status_code == 200
    return ROW.findall(response.get_data(as_text=True))


@pytest.fixture
def as_manager(client, login, manager):
    login(manager)
    return english(client)


def test_list_shows_the_territorys_items_sorted_by_name(as_manager, make_item):
    for name in ("Scie", "Perceuse", "Aspirateur"):
        make_item(name)
    assert names(as_manager) == ["Aspirateur", "Perceuse", "Scie"]


def test_empty_list_says_so(as_manager):
    assert "Nothing matches these filters." in as_manager.get("/inventory/").get_data(as_text=True)


@pytest.mark.parametrize("query", ["perc", "PERCEUSE", "rbx-0001", "bosch", "SN-778", "psr 18"])
def test_search_by_name_code_brand_model_or_serial(as_manager, make_item, query):
    make_item("Perceuse", brand="Bosch", model="PSR 18", serial_number="SN-778")
    make_item("Scie", brand="Stanley", serial_number="ZZ-1")
    assert names(as_manager, q=query) == ["Perceuse"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("100%", ["Vis 100%"]), ("c_ble", ["c_ble usb"]), ("%", ["Vis 100%"]), ("_", ["c_ble usb"]), ("\\", [])],
)
def test_percent_and_underscore_typed_by_a_user_are_plain_characters(as_manager, make_item, query, expected):
    for name in ("Vis 100%", "Vis 1000", "c_ble usb", "cable usb"):
        make_item(name)
    assert names(as_manager, q=query) == expected


@pytest.mark.parametrize("query", ["étagère", "ÉTAGÈRE", "Étagère"])
def test_search_ignores_case_of_accented_letters_on_every_database(as_manager, make_item, query):
    make_item("Étagère murale")
    make_item("Etabli")
    assert names(as_manager, q=query) == ["Étagère murale"]


def test_search_finds_nothing_and_says_so(as_manager, make_item):
    make_item("Perceuse")
    response = as_manager.get("/inventory/", query_string={"q": "tronçonneuse"})
    assert "Nothing matches these filters." in response.get_data(as_text=True)


def test_filter_by_kind(as_manager, make_item):
    make_item("Perceuse", kind=ItemKind.TOOL)
    make_item("Grille-pain", kind=ItemKind.OBJECT)
    make_item("Fusibles", kind=ItemKind.PART, quantity=3)
    assert names(as_manager, kind="object") == ["Grille-pain"]
    assert names(as_manager, kind="part") == ["Fusibles"]


def test_filter_by_category_includes_sub_categories(as_manager, make_item, make_category):
    electronics = make_category("Électronique")
    soldering = make_category("Soudure", electronics)
    tips = make_category("Pannes", soldering)
    textile = make_category("Textile")
    make_item("Multimètre", category_id=electronics.id)
    make_item("Fer à souder", category_id=soldering.id)
    make_item("Panne fine", category_id=tips.id)
    make_item("Machine à coudre", category_id=textile.id)
    assert names(as_manager, category=electronics.id) == ["Fer à souder", "Multimètre", "Panne fine"]
    assert names(as_manager, category=soldering.id) == ["Fer à souder", "Panne fine"]


def test_category_filter_treats_underscore_and_percent_in_names_literally(as_manager, make_item, make_category):
    a_b = make_category("A_B")
    axb = make_category("AxB")
    make_item("Dans A_B", category_id=make_category("Sous", a_b).id)
    make_item("Dans AxB", category_id=make_category("Sous", axb).id)
    assert names(as_manager, category=a_b.id) == ["Dans A_B"]


def test_filter_by_place_includes_sub_places(as_manager, make_item, make_place):
    zone = make_place("Zone électronique")
    shelf = make_place("Étagère A", LocationKind.SHELF, parent=zone)
    bin_ = make_place("Bac 3", LocationKind.BIN, parent=shelf)
    other = make_place("Zone textile")
    make_item("A sur la zone", location_id=zone.id)
    make_item("B sur l'étagère", location_id=shelf.id)
    make_item("C dans le bac", location_id=bin_.id)
    make_item("D ailleurs", location_id=other.id)
    make_item("E sans place")
    assert names(as_manager, location=zone.id) == ["A sur la zone", "B sur l&#39;étagère", "C dans le bac"]
    assert names(as_manager, location=shelf.id) == ["B sur l&#39;étagère", "C dans le bac"]


def test_place_filter_stays_in_the_places_lab(client, login, admin, make_item, make_place, make_lab, other_territory):
    # Two labs may share a name (in different territories), so their places may share paths.
    mine = make_place("Zone A", lab_=make_lab("Atelier"))
    theirs = make_place("Zone A", lab_=make_lab("Atelier", other_territory))
    make_item("Chez nous", mine.lab, location_id=make_place("Étagère", LocationKind.SHELF, parent=mine).id)
    make_item("Chez eux", theirs.lab, location_id=make_place("Étagère", LocationKind.SHELF, parent=theirs).id)
    login(admin)
    assert names(client, location=mine.id) == ["Chez nous"]


def test_filter_by_status(as_manager, db, make_item, manager):
    make_item("Perceuse")
    broken = make_item("Scie")
    services.set_status(manager, [broken], ItemStatus.OUT_OF_SERVICE)
    db.session.commit()
    assert names(as_manager, status="out_of_service") == ["Scie"]
    assert names(as_manager, status="available") == ["Perceuse"]


def test_retired_items_are_hidden_unless_asked_for(as_manager, db, make_item, manager):
    make_item("Perceuse")
    services.retire_item(manager, make_item("Vieille scie"), "Lame tordue")
    db.session.commit()
    assert names(as_manager) == ["Perceuse"]
    assert names(as_manager, status="all") == ["Perceuse", "Vieille scie"]
    assert names(as_manager, status="retired") == ["Vieille scie"]


def test_low_stock_filter(as_manager, make_item):
    make_item("Fusibles", kind=ItemKind.PART, quantity=2, low_stock_threshold=5)
    make_item("Vis", kind=ItemKind.PART, quantity=5, low_stock_threshold=5)
    make_item("Gaine", kind=ItemKind.PART, quantity=50, low_stock_threshold=5)
    make_item("Colle", kind=ItemKind.PART, quantity=0)
    make_item("Perceuse")
    assert names(as_manager, low_stock="1") == ["Fusibles", "Vis"]


def test_low_stock_is_shown_on_the_row(as_manager, make_item):
    make_item("Fusibles", kind=ItemKind.PART, quantity=2, low_stock_threshold=5)
    html = as_manager.get("/inventory/").get_data(as_text=True)
    assert "2 in stock" in html and "(low)" in html


def test_filters_combine(as_manager, make_item, make_category):
    tools = make_category("Outils")
    make_item("Perceuse Bosch", category_id=tools.id, brand="Bosch")
    make_item("Scie Bosch", kind=ItemKind.OBJECT, category_id=tools.id, brand="Bosch")
    make_item("Perceuse Makita", category_id=tools.id)
    assert names(as_manager, q="bosch", kind="tool", category=tools.id) == ["Perceuse Bosch"]


@pytest.mark.parametrize(
    "args",
    [
        {"kind": "weapon"},
        {"status": "lost"},
        {"category": "abc"},
        {"location": "-1"},
        {"sort": "password"},
        {"page": "zero"},
        {"page": "-4"},
        {"category": "999999"},
        {"q": "x" * 5000},
        {"lab": "nope"},
        {"low_stock": "yes"},
    ],
)
def test_bad_filter_values_are_ignored_not_errors(as_manager, make_item, args):
    make_item("Perceuse")
    assert as_manager.get("/inventory/", query_string=args).status_code == 200


def test_sort_by_code_status_and_recent(as_manager, db, make_item, manager):
    b = make_item("B")
    make_item("A")
    services.set_status(manager, [b], ItemStatus.UNDER_REPAIR)
    db.session.commit()
    assert names(as_manager, sort="code") == ["B", "A"]
    assert names(as_manager, sort="status") == ["A", "B"]  # available before under_repair
    assert names(as_manager, sort="recent") == ["B", "A"]  # B changed last


def test_pagination(as_manager, app, make_item):
    per_page = app.config["PER_PAGE"]
    for i in range(per_page + 3):
        make_item(f"Objet {i:03d}")
    first = as_manager.get("/inventory/").get_data(as_text=True)
    assert len(ROW.findall(first)) == per_page and f"{per_page + 3} results" in first
    assert 'rel="next"' in first
    assert names(as_manager, page=2) == [f"Objet {i:03d}" for i in range(per_page, per_page + 3)]
    assert names(as_manager, page=99) == []


def test_pagination_links_keep_the_filters(as_manager, app, make_item):
    for i in range(app.config["PER_PAGE"] + 1):
        make_item(f"Perceuse {i:03d}")
    html = as_manager.get("/inventory/", query_string={"q": "perceuse", "kind": "tool"}).get_data(as_text=True)
    [link] = re.findall(r'href="([^"]*)" rel="next"', html)
    assert "q=perceuse" in link and "kind=tool" in link and "page=2" in link


def test_a_talent_sees_the_list_without_management(client, login, talent, make_item):
    make_item("Perceuse")
    login(talent)
    html = english(client).get("/inventory/").get_data(as_text=True)
    assert "Perceuse" in html
    assert 'name="ids"' not in html and "Add an item" not in html


def test_a_user_of_another_territory_sees_none_of_ours(client, login, make_user, make_item, other_lab, other_territory):
    make_item("Perceuse de Roubaix")
    make_item("Perceuse de Paris", other_lab)
    login(make_user(Role.PARTICIPANT, territory_=other_territory))
    assert names(client) == ["Perceuse de Paris"]
    assert names(client, q="roubaix") == []
    assert names(client, status="all") == ["Perceuse de Paris"]


def test_admin_sees_every_territory(client, login, admin, make_item, other_lab):
    make_item("Perceuse de Roubaix")
    make_item("Perceuse de Paris", other_lab)
    login(admin)
    assert names(client) == ["Perceuse de Paris", "Perceuse de Roubaix"]


# --- A bounded number of queries ------------------------------------------------------------------


def _add_photo(db, item) -> None:
    token = secrets.token_hex(16)
    db.session.add(ItemPhoto(item_id=item.id, key=f"{token}.jpg", thumb_key=f"{token}_t.jpg"))


@pytest.fixture
def stocked(db, make_item, make_category, make_place):
    """Add n items, each with a category, a place and two photos."""
    category = make_category("Outillage", make_category("Atelier"))
    shelf = make_place("Étagère", LocationKind.SHELF, parent=make_place("Zone"))

    def add(n: int) -> None:
        for i in range(n):
            kind = ItemKind.PART if i % 3 == 0 else ItemKind.TOOL
            item = make_item(
                f"Objet {i}",
                kind=kind,
                category_id=category.id,
                location_id=shelf.id,
                quantity=1 if kind == ItemKind.PART else None,
                low_stock_threshold=2 if kind == ItemKind.PART else None,
            )
            _add_photo(db, item)
            _add_photo(db, item)
        db.session.commit()

    return add


def _queries(query_counter, client, url: str) -> int:
    client.get(url)  # warm up (first-request work is not per page)
    with query_counter() as count:
        assert client.get(url).status_code == 200
    return count.value


def test_list_query_count_does_not_grow_with_the_items(as_manager, query_counter, stocked):
    stocked(3)
    few = _queries(query_counter, as_manager, "/inventory/")
    stocked(27)
    many = _queries(query_counter, as_manager, "/inventory/")
    assert few == many <= 10, (few, many)


def test_filtered_list_query_count_does_not_grow_with_the_items(as_manager, query_counter, stocked, db):
    stocked(3)
    category = db.session.scalar(sa.select(Category).where(Category.name == "Atelier"))
    zone = db.session.scalar(sa.select(Location).where(Location.name == "Zone"))
    url = f"/inventory/?q=objet&category={category.id}&location={zone.id}&sort=recent"
    few = _queries(query_counter, as_manager, url)
    stocked(27)
    many = _queries(query_counter, as_manager, url)
    assert few == many <= 12, (few, many)


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("items", ["territory_id", "status"]),
        ("items", ["territory_id", "kind"]),
        ("items", ["territory_id", "name"]),
        ("items", ["category_id"]),
        ("items", ["location_id"]),
        ("items", ["lab_id"]),
        ("items", ["serial_number"]),
        ("locations", ["lab_id"]),
        ("locations", ["parent_id"]),
        ("categories", ["parent_id"]),
        ("problem_reports", ["territory_id", "status"]),
        ("problem_reports", ["item_id"]),
        ("codes", ["target_type", "target_id"]),
    ],
)
def test_what_is_filtered_is_indexed(db, table, columns):
    inspector = sa.inspect(db.engine)
    indexes = [i["column_names"] for i in inspector.get_indexes(table)]
    uniques = [u["column_names"] for u in inspector.get_unique_constraints(table)]
    assert any(cols[: len(columns)] == columns for cols in indexes + uniques), (table, columns, indexes)


@pytest.mark.parametrize("query", [{"endpoint": "x"}, {"_external": "1"}, {"_anchor": "x"}])
def test_query_arguments_that_url_for_reads_as_options_do_not_break_the_list(as_manager, make_item, query):
    make_item("Perceuse")
    response = as_manager.get("/inventory/", query_string=query)
    assert response.status_code == 200 and "Perceuse" in response.get_data(as_text=True)
