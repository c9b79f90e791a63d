"""Codes: format, normalisation of typed and scanned text, per-territory counters, never reused, never issued twice."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from repairlab.errors import Conflict
from repairlab.extensions import db as _db
from repairlab.inventory import codes, services
from repairlab.inventory.models import Code, CodeCounter, Item, ItemKind
from repairlab.people.models import Lab

THREADS = 8


def test_format_pads_to_four_digits_and_grows_beyond():
    assert codes.format_code("RBX", 42) == "RBX-0042"
    assert codes.format_code("PAR", 12345) == "PAR-12345"


@pytest.mark.parametrize(
    "typed",
    [
        "RBX-0042",
        "rbx-0042",
        " rbx-0042 ",
        "RBX 0042",
        "RBX0042",
        "RBX-42",
        "rbx_42",
        "RBX - 0042",
    ],
)
def test_normalise_accepts_case_spaces_and_a_missing_dash(typed):
    assert codes.normalise_code(typed) == "RBX-0042"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("RBX-OO42", "RBX-0042"),
        ("rbx-oo42", "RBX-0042"),
        ("RBX-0I07", "RBX-0107"),
        ("RBX-0l07", "RBX-0107"),
        ("RBX-1L1O", "RBX-1110"),
    ],
)
def test_normalise_reads_o_as_zero_and_i_or_l_as_one_in_the_number(typed, expected):
    assert codes.normalise_code(typed) == expected


@pytest.mark.parametrize(
    "scanned",
    [
        "https://repairlab.test/q/RBX-0042",
        "https://repairlab.test/q/rbx-0042/",
        "http://other.host/q/RBX-0042?x=1",
        "HTTPS://REPAIRLAB.TEST/Q/RBX-0042",
    ],
)
def test_normalise_takes_the_code_out_of_a_scanned_url(scanned):
    assert codes.normalise_code(scanned) == "RBX-0042"


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "R-0042",
        "RBXXXX-1",
        "RBX-",
        "0042",
        "RBX-12345678901",
        "RBX-00A2",
        "../../etc/passwd",
        "\x00",
        "https://x.test/q/",
        "é-0042",
    ],
)
def test_normalise_refuses_what_cannot_be_a_code(garbage):
    assert codes.normalise_code(garbage) is None


def test_codes_are_sequential_per_territory(db, make_item):
    first, second, third = make_item(), make_item(), make_item()
    assert [first.code, second.code, third.code] == ["RBX-0001", "RBX-0002", "RBX-0003"]


def test_each_territory_has_its_own_counter(db, make_item, other_lab):
    home = make_item()
    away = make_item(lab_=other_lab)
    home2 = make_item()
    assert (home.code, away.code, home2.code) == ("RBX-0001", "PAR-0001", "RBX-0002")


def test_items_places_and_blank_labels_share_the_territory_counter(db, make_item, make_place, manager, territory):
    item = make_item()
    place = make_place()
    [blank] = services.issue_blank_codes(manager, territory, 1)
    assert (item.code, place.code, blank.code) == ("RBX-0001", "RBX-0002", "RBX-0003")


def test_every_issued_code_is_recorded_with_its_target(db, make_item, make_place):
    item, place = make_item(), make_place()
    rows = {c.code: (c.target_type, c.target_id) for c in db.session.scalars(sa.select(Code))}
    assert rows == {item.code: ("item", item.id), place.code: ("location", place.id)}


def test_a_retired_items_code_is_never_reused(db, make_item, manager):
    old = make_item()
    services.retire_item(manager, old, "Cassé, jeté")
    db.session.commit()
    new = make_item()
    assert new.code == "RBX-0002"
    assert codes.find_code(old.code).target_id == old.id


def test_a_code_is_never_reused_even_after_its_item_is_deleted(db, make_item):
    old = make_item()
    db.session.delete(old)
    db.session.commit()
    assert make_item().code == "RBX-0002"


def test_the_database_refuses_a_duplicate_code(db, make_item, territory):
    item = make_item()
    db.session.add(Code(code=item.code, territory_id=territory.id, number=999))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_database_refuses_a_duplicate_number_in_a_territory(db, make_item, territory):
    make_item()
    db.session.add(Code(code="RBX-9999", territory_id=territory.id, number=1))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_find_code_is_case_insensitive_and_typo_tolerant(db, make_item):
    item = make_item()
    for text in ("rbx-0001", "RBX 1", "rbxoool", "https://repairlab.test/q/rbx-0001"):
        assert codes.find_code(text).target_id == item.id, text


def test_find_code_tries_the_other_reading_of_a_letter_between_prefix_and_number(db, make_item):
    # "RBXO001" could be territory RBXO, number 1, or RBX-O001 (a missing dash, O for 0): the code that exists wins.
    item = make_item()
    assert codes.find_code("RBXO001").target_id == item.id
    assert codes.find_code("rbxi001") is None  # RBX-1001 does not exist


def test_find_code_of_unknown_code_is_none(db, make_item):
    make_item()
    assert codes.find_code("RBX-0099") is None
    assert codes.find_code("not a code") is None


# --- Concurrency ----------------------------------------------------------------------------------


def _run_together(app, count: int, work) -> list:
    """Run work(i) in `count` threads, each with its own app context and session, released at once."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[i] = work(i)
            except Exception as error:
                _db.session.rollback()
                results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_creations_never_issue_a_code_twice(app, db, lab, make_item):
    make_item()  # the territory's counter exists
    lab_id = lab.id

    def create(i: int) -> str:
        item = services.create_item(
            None, _db.session.get(Lab, lab_id), services.ItemFields(name=f"Concurrent {i}", kind=ItemKind.TOOL)
        )
        _db.session.commit()
        return item.code

    results = _run_together(app, THREADS, create)
    assert all(isinstance(r, str) for r in results), results
    assert len(set(results)) == THREADS
    db.session.expire_all()
    counter = db.session.get(CodeCounter, lab.territory_id)
    assert counter.last_number == THREADS + 1 == db.session.scalar(sa.select(sa.func.count()).select_from(Item))
    assert sorted(results) == [f"RBX-{n:04d}" for n in range(2, THREADS + 2)]


def test_concurrent_first_codes_of_a_territory_create_one_counter(app, db, lab):
    lab_id = lab.id

    def create(i: int) -> str:
        item = services.create_item(
            None, _db.session.get(Lab, lab_id), services.ItemFields(name=f"Premier {i}", kind=ItemKind.TOOL)
        )
        _db.session.commit()
        return item.code

    results = _run_together(app, THREADS, create)
    assert all(isinstance(r, str) for r in results), results
    assert sorted(results) == [f"RBX-{n:04d}" for n in range(1, THREADS + 1)]
    db.session.expire_all()
    assert db.session.get(CodeCounter, lab.territory_id).last_number == THREADS


def test_concurrent_attach_of_one_preprinted_code_lets_exactly_one_win(app, db, make_item, manager, territory):
    items = [make_item(f"Cible {i}") for i in range(THREADS)]
    [blank] = services.issue_blank_codes(manager, territory, 1)
    db.session.commit()
    code_id, item_ids, manager_id = blank.id, [i.id for i in items], manager.id

    def attach(i: int) -> str:
        from repairlab.people.models import User

        services.attach_code(
            _db.session.get(User, manager_id), _db.session.get(Code, code_id), _db.session.get(Item, item_ids[i])
        )
        _db.session.commit()
        return "ok"

    results = _run_together(app, THREADS, attach)
    assert results.count("ok") == 1, results
    assert all(isinstance(r, Conflict) for r in results if r != "ok"), results
    db.session.expire_all()
    winner = item_ids[results.index("ok")]
    assert (db.session.get(Code, code_id).target_type, db.session.get(Code, code_id).target_id) == ("item", winner)
