"""Inventory search through its text index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL): the same cases run on
both engines (the suite runs on PostgreSQL with TEST_DATABASE_URL), the ranking, the index kept in step by every
write, and the index really used."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from repairlab.inventory import csv_io, services
from repairlab.inventory.models import Item, ItemKind
from repairlab.inventory.queries import ItemFilters, item_query, search
from tests.inventory.test_list import as_manager  # noqa: F401  (a fixture)
from tests.inventory.test_list import names as escaped_names


def names(client, **args) -> list[str]:
    """The item names the list shows, in order, as read."""
    return [html.unescape(name) for name in escaped_names(client, **args)]


# name, brand, model, serial number
ITEMS = [
    ("Perceuse à percussion", "Bosch", "PSR 18", "SN-778"),
    ("Perçeuse Makita", "Makita", "DF 331", "MK/01"),
    ("Scie sauteuse", "Bosch", "PST 700", "ZZ-1"),
    ("Œuvre d'art", "", "", ""),
    ("Cœur de pompe", "Dušan & fils", "", ""),
    ('Câble "USB" 100%', "", "c_ble", ""),
    ("Étagère murale", "", "", "AB"),
    ("Lampe", "Perceval", "", ""),
]

CASES = [
    # three characters or more: through the trigram index
    ("perceuse", ["Perceuse à percussion", "Perçeuse Makita"]),
    ("PERÇEUSE", ["Perceuse à percussion", "Perçeuse Makita"]),
    ("perc", ["Perceuse à percussion", "Perçeuse Makita", "Lampe"]),
    ("bosch", ["Perceuse à percussion", "Scie sauteuse"]),
    ("psr 18", ["Perceuse à percussion"]),
    ("sn-778", ["Perceuse à percussion"]),
    ("mk/01", ["Perçeuse Makita"]),
    ("oeuvre", ["Œuvre d'art"]),
    ("cœur", ["Cœur de pompe"]),
    ("dusan", ["Cœur de pompe"]),
    ("DUŠAN &", ["Cœur de pompe"]),
    ('"usb"', ['Câble "USB" 100%']),
    ('"usb', ['Câble "USB" 100%']),
    ("100%", ['Câble "USB" 100%']),
    ("c_ble", ['Câble "USB" 100%']),
    ("cable", ['Câble "USB" 100%']),
    ("étagère", ["Étagère murale"]),
    ("ÉTAGÈRE MUR", ["Étagère murale"]),
    # FTS5's query syntax is plain text here
    ("bosch OR makita", []),
    ("perc*", []),
    ("NEAR(perceuse)", []),
    ("sauteuse)", []),
    ("e s", ["Scie sauteuse"]),
    # across two fields: never (the fields are apart)
    ("makita df", []),
    ("18sn", []),
    # shorter than a trigram: the same substring rule, without the index
    ("ab", ["Étagère murale", 'Câble "USB" 100%']),
    ("œ", ["Œuvre d'art", "Cœur de pompe"]),
    ("%", ['Câble "USB" 100%']),
    ("_", ['Câble "USB" 100%']),
    ('"', ['Câble "USB" 100%']),
    ("zz", ["Scie sauteuse"]),
    ("q", []),
    ("x", [name for name, *_ in ITEMS]),  # in every code (RBX-…)
    ("\\", []),
]


@pytest.fixture
def catalogue(make_item):
    for name, brand, model, serial in ITEMS:
        make_item(name, brand=brand, model=model, serial_number=serial)


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_the_same_results_on_every_engine(as_manager, catalogue, query, expected):  # noqa: F811
    assert sorted(names(as_manager, q=query)) == sorted(expected)


def test_exact_code_first_then_a_match_in_the_name_then_the_rest(as_manager, make_item):  # noqa: F811
    make_item("Boîte à outils", brand="Outils Martin")
    make_item("Outils de jardin")
    make_item("Aspirateur", brand="Outils Express")
    named = make_item("Clé", model="Outil 4")
    assert names(as_manager, q="outil") == ["Boîte à outils", "Outils de jardin", "Aspirateur", "Clé"]
    # Its code, as typed or scanned (any case, without the dash or the zeros), puts it first.
    for typed in (named.code, named.code.lower(), named.code.replace("-", "").replace("000", "")):
        assert names(as_manager, q=typed)[0] == "Clé"


def test_a_code_read_loosely_finds_its_item(as_manager, make_item):  # noqa: F811
    item = make_item("Ponceuse")
    make_item("Scie")
    prefix, number = item.code.split("-")
    assert names(as_manager, q=f"{prefix.lower()}{int(number)}") == ["Ponceuse"]


def test_every_write_keeps_the_index_in_step(as_manager, db, make_item, lab, manager):  # noqa: F811
    item = make_item("Ponceuse", brand="Festool")
    services.update_item(manager, item, services.ItemFields(name="Rabot", kind=ItemKind.TOOL, brand="Stanley"))
    db.session.commit()
    assert names(as_manager, q="ponceuse") == [] and names(as_manager, q="festool") == []
    assert names(as_manager, q="rabot") == ["Rabot"] and names(as_manager, q="stanley") == ["Rabot"]
    # An import goes through the same path; a bulk insert (as the bench's generator does) too.
    csv_io.import_items(manager, lab, "name,kind,brand\nFer à souder,tool,Weller\n".encode())
    db.session.commit()
    assert names(as_manager, q="weller") == ["Fer à souder"]
    db.session.execute(
        sa.insert(Item),
        [{"code": "RBX-9001", "territory_id": lab.territory_id, "lab_id": lab.id, "kind": "tool", "name": "Étau"}],
    )
    db.session.commit()
    assert names(as_manager, q="etau") == ["Étau"]
    # A deleted item leaves the index.
    db.session.execute(sa.delete(Item).where(Item.code == "RBX-9001"))
    db.session.commit()
    assert names(as_manager, q="etau") == []
    # Retired items are found when asked for, as the list's filters say.
    services.retire_item(manager, item, "Cassé")
    db.session.commit()
    assert names(as_manager, q="rabot") == [] and names(as_manager, q="rabot", status="all") == ["Rabot"]


def test_the_search_uses_the_index(db, make_item, lab):
    for n in range(30):
        make_item(f"Perceuse {n}")
    found, _ranks = search("perceuse 1")
    conn = db.session.connection()
    compiled = str(sa.select(Item.id).where(found).compile(conn, compile_kwargs={"literal_binds": True}))
    if conn.dialect.name == "sqlite":
        plan = " ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
        assert "SCAN items_search VIRTUAL TABLE INDEX 0:M" in plan  # MATCH through the trigram index
    else:
        # A handful of rows: the planner would rightly scan them; told not to, it must be able to use the index.
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = " ".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {compiled}"))
        assert "ix_items_search_trgm" in plan, plan
    stmt = item_query(lab.territory_id, ItemFilters(q="perceuse 1"))
    assert [i.name for i in db.session.scalars(stmt)] == ["Perceuse 1"] + [f"Perceuse {n}" for n in range(10, 20)]


# --- Long lists: a search lists the newest matches, a list counts up to a cap ------------------------------------


def test_a_search_that_finds_more_than_the_cap_lists_the_newest_matches_sorted(app, as_manager, make_item, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "SEARCH_CAP", 3)
    for n in (4, 2, 0, 3, 1):  # added in this order: the newest three are 0, 3 and 1
        make_item(f"Perceuse {n}")
    make_item("Scie")
    assert names(as_manager, q="perceuse") == ["Perceuse 0", "Perceuse 1", "Perceuse 3"]
    page = as_manager.get("/inventory/", query_string={"q": "perceuse"}).get_data(as_text=True)
    assert "More than 3 results: the 3 added last are listed. Refine the search to find the others." in page
    # Within the cap, every match and an exact count.
    assert sorted(names(as_manager, q="scie")) == ["Scie"]
    assert "1 result" in as_manager.get("/inventory/", query_string={"q": "scie"}).get_data(as_text=True)


def test_the_exact_code_is_listed_first_even_past_the_cap(app, as_manager, make_item, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "SEARCH_CAP", 2)
    wanted = make_item("Ponceuse")
    typed = wanted.code.replace("-", "").replace("000", "").lower()  # e.g. "rbx1": no item's text holds it
    for n in range(4):
        make_item(f"Kit {n}", model=f"{typed} kit")
    assert names(as_manager, q=typed) == ["Ponceuse", "Kit 2", "Kit 3"]
    page = as_manager.get("/inventory/", query_string={"q": typed}).get_data(as_text=True)
    assert "More than 2 results" in page


def test_a_capped_search_pages_through_what_it_lists(app, as_manager, make_item, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "SEARCH_CAP", 5)
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    for n in range(7):
        make_item(f"Perceuse {n}")
    seen = [names(as_manager, q="perceuse", page=p) for p in (1, 2, 3, 4)]
    assert seen == [["Perceuse 2", "Perceuse 3"], ["Perceuse 4", "Perceuse 5"], ["Perceuse 6"], []]
    third = as_manager.get("/inventory/", query_string={"q": "perceuse", "page": 3}).get_data(as_text=True)
    assert "Page 3 of 3" in third and 'rel="next"' not in third


def test_a_long_list_counts_up_to_its_cap_and_pages_on(app, as_manager, make_item, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "LIST_COUNT_CAP", 3)
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    for n in range(5):
        make_item(f"Lampe {n}")
    first = as_manager.get("/inventory/").get_data(as_text=True)
    assert "More than 3 results" in first and "Page 1</li>" in first and 'rel="next"' in first
    assert names(as_manager, page=3) == ["Lampe 4"]
    last = as_manager.get("/inventory/", query_string={"page": 3}).get_data(as_text=True)
    assert 'rel="next"' not in last and 'rel="prev"' in last
    monkeypatch.setitem(app.config, "LIST_COUNT_CAP", 5)
    assert "5 results" in as_manager.get("/inventory/").get_data(as_text=True)


def test_a_long_query_finds_the_whole_text_not_only_its_end(as_manager, make_item):  # noqa: F811
    """SQLite asks its index for a long query's last trigrams, then checks each row for the whole text: a row holding
    the same end elsewhere, or the trigrams apart, is not found; the same on PostgreSQL."""
    make_item("Perceuse A", serial_number="SN-001234")
    make_item("Perceuse B", serial_number="SN-991234")
    make_item("Perceuse C", serial_number="1234-SN-00")  # every trigram of "sn-00" and "1234", never together
    make_item("Scie 001234", serial_number="X")
    assert sorted(names(as_manager, q="sn-001234")) == ["Perceuse A"]
    assert sorted(names(as_manager, q="001234")) == ["Perceuse A", "Scie 001234"]
    assert sorted(names(as_manager, q="-001234")) == ["Perceuse A"]
    assert sorted(names(as_manager, q="n-00")) == ["Perceuse A", "Perceuse C"]
    assert sorted(names(as_manager, q="sn-00123")) == ["Perceuse A"]
    assert names(as_manager, q="SN-0012345") == []
