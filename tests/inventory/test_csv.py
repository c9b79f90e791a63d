"""CSV import (preview, per-row errors, all or nothing) and export of the filtered list."""

from __future__ import annotations

import csv
import io
import re
import threading
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from repairlab.audit.models import AuditEntry
from repairlab.inventory import csv_io, services
from repairlab.inventory.models import Code, Item, ItemKind, ItemStatus, LocationKind
from tests.inventory import imaging
from tests.inventory.conftest import english

TOKEN = re.compile(r'name="token" value="([0-9a-f]{32})"')


def _items(db) -> list[Item]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Item).order_by(Item.id)))


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def as_manager(client, login, manager):
    login(manager)
    return english(client)


@pytest.fixture
def catalogue(db, make_category, make_place):
    """The categories and places the files refer to."""
    electronics = make_category("Électronique")
    make_category("Soudure", electronics)
    make_category("Outillage à main")
    zone = make_place("Zone bois")
    shelf = make_place("Étagère A", LocationKind.SHELF, parent=zone)
    db.session.commit()
    return {"shelf": shelf, "zone": zone}


def _preview(client, lab, data: bytes, filename: str = "items.csv"):
    return client.post(
        "/inventory/import",
        data={"lab_id": lab.id, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def _import(client, lab, data: bytes):
    """Preview then confirm, as a user does; return the confirmation response."""
    preview = _preview(client, lab, data)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html
    [token] = TOKEN.findall(html)
    return client.post("/inventory/import/confirm", data={"token": token, "lab_id": lab.id})


GOOD = (
    "name;kind;category;location;brand;model;serial_number;value;acquired_on;source;quantity;low_stock_threshold;"
    "safety_notes\n"
    "Fer à souder;tool;Électronique > Soudure;RBX-0002;Weller;WE 1010;SN-1;129,90;2025-03-14;bought;;;Chaud\n"
    "Grille-pain;object;;;Moulinex;;;;;donated;;;\n"
    "Fusibles 5 A;part;électronique;rbx-0002;;;;0.20;;;100;20;\n"
)


def test_a_good_file_is_previewed_without_writing_anything(as_manager, db, lab, catalogue):
    before = (_count(db, Item), _count(db, Code), _count(db, AuditEntry))
    response = _preview(as_manager, lab, GOOD.encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 items ready to import into Atelier Roubaix" in html
    assert "Fer à souder" in html and "Grille-pain" in html and "Fusibles 5 A" in html
    assert (_count(db, Item), _count(db, Code), _count(db, AuditEntry)) == before


def test_a_good_file_imports_every_row_with_new_codes(as_manager, db, lab, catalogue, manager):
    response = _import(as_manager, lab, GOOD.encode())
    assert response.status_code == 302 and response.location == "/inventory/?sort=recent"
    assert "3 items imported." in as_manager.get(response.location).get_data(as_text=True)
    iron, toaster, fuses = _items(db)
    assert [i.code for i in (iron, toaster, fuses)] == ["RBX-0003", "RBX-0004", "RBX-0005"]
    assert (iron.category.path, iron.location_id, str(iron.value), iron.acquired_on.isoformat()) == (
        "Électronique > Soudure",
        catalogue["shelf"].id,
        "129.90",
        "2025-03-14",
    )
    assert (iron.brand, iron.serial_number, iron.source.value, iron.safety_notes) == (
        "Weller",
        "SN-1",
        "bought",
        "Chaud",
    )
    assert (toaster.kind, toaster.source.value) == (ItemKind.OBJECT, "donated")
    assert (fuses.kind, fuses.quantity, fuses.low_stock_threshold, fuses.category.path) == (
        ItemKind.PART,
        100,
        20,
        "Électronique",
    )
    assert all(i.lab_id == lab.id and i.status == ItemStatus.AVAILABLE for i in (iron, toaster, fuses))
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "import")).all()
    assert entry.actor_id == manager.id and entry.after == {"items": 3, "first": "RBX-0003", "last": "RBX-0005"}
    assert (
        len(
            db.session.scalars(
                sa.select(AuditEntry).where(AuditEntry.action == "create", AuditEntry.object_type == "items")
            ).all()
        )
        == 3
    )


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("name,kind,brand,value\nPerceuse à colonne,tool,Bosch,329.00\nCâble réparé,object,,\n", "utf-8"),
        ("name,kind,brand,value\nPerceuse à colonne,tool,Bosch,329.00\nCâble réparé,object,,\n", "utf-8-sig"),
        ("name;kind;brand;value\nPerceuse à colonne;tool;Bosch;329,00\nCâble réparé;object;;\n", "cp1252"),
        ("name\tkind\tbrand\tvalue\nPerceuse à colonne\ttool\tBosch\t329\nCâble réparé\tobject\t\t\n", "utf-8"),
        (
            '"name";"kind";"brand";"value"\r\n"Perceuse à colonne";"tool";"Bosch";"329,00"\r\n'
            '"Câble réparé";"object";"";""\r\n',
            "cp1252",
        ),
    ],
    ids=["comma-utf8", "comma-bom", "semicolon-cp1252", "tab", "quoted-crlf-cp1252"],
)
def test_separators_and_encodings(as_manager, db, lab, text, encoding):
    assert _import(as_manager, lab, text.encode(encoding)).status_code == 302
    drill, cable = _items(db)
    assert (drill.name, drill.brand, str(drill.value)) == ("Perceuse à colonne", "Bosch", "329.00")
    assert cable.name == "Câble réparé"


def test_labels_in_words_are_accepted_for_kind_and_condition(as_manager, db, lab):
    _import(as_manager, lab, b"name,kind,condition\nPerceuse,Tool or equipment,Broken\n")
    [item] = _items(db)
    assert (item.kind, item.condition.value) == (ItemKind.TOOL, "broken")


def test_blank_lines_are_skipped(as_manager, db, lab):
    _import(as_manager, lab, b"name,kind\n\nPerceuse,tool\n,\n\nScie,tool\n")
    assert [i.name for i in _items(db)] == ["Perceuse", "Scie"]


@pytest.mark.parametrize(
    ("bad_row", "column", "reason"),
    [
        ("Scie,tool,Jardinage,,,,", "category", "Unknown category “Jardinage”."),
        ("Scie,tool,,,14/03/2025,,", "acquired_on", "Write the date as YYYY-MM-DD, e.g. 2026-03-14."),
        ("Scie,tool,,,2099-01-01,,", "acquired_on", "The acquisition date cannot be in the future."),
        ("Scie,weapon,,,,,", "kind", "Write tool, object or part."),
        ("Scie,,,,,,", "kind", "Write tool, object or part."),
        ("Scie,tool,,douze euros,,,", "value", "Write a number, e.g. 129.90."),
        ("Scie,tool,,-5,,,", "value", "The value cannot be negative."),
        ("Scie,tool,,NaN,,,", "value", "Write"),
        ("Scie,tool,,Infinity,,,", "value", "Write"),
        ("Scie,tool,,1e12,,,", "value", "The value is too large."),
        ("Scie,part,,,,,beaucoup", "quantity", "Write a whole number."),
        ("Scie,part,,,,,-4", "quantity", "The quantity cannot be negative."),
        ("Scie,part,,,,,99999999999999999999", "quantity", "The quantity is too large."),
        ("Scie,tool,,,,SN-1,", "serial_number", "Same serial number as line 2."),
        (",tool,,,,,", "name", "Enter a name."),
    ],
    ids=[
        "category",
        "date-format",
        "future-date",
        "kind",
        "no-kind",
        "number",
        "negative",
        "nan",
        "infinity",
        "huge-value",
        "quantity",
        "negative-quantity",
        "huge-quantity",
        "duplicate-serial",
        "no-name",
    ],
)
def test_one_bad_row_imports_nothing_and_names_the_line_and_reason(as_manager, db, lab, bad_row, column, reason):
    text = (
        "name,kind,category,value,acquired_on,serial_number,quantity\n"
        "Perceuse,tool,,,,SN-1,\n"
        "Ponceuse,tool,,,,SN-2,\n"
        f"{bad_row}\n"
        "Marteau,tool,,,,,\n"
    )
    before = (_count(db, Item), _count(db, Code), _count(db, AuditEntry))
    response = _preview(as_manager, lab, text.encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "1 problem found: nothing was imported" in html
    [row] = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>", html)
    assert row[0] == "4" and row[1] == column and reason in row[2]
    assert 'name="token"' not in html  # no way to confirm
    assert (_count(db, Item), _count(db, Code), _count(db, AuditEntry)) == before


@pytest.mark.parametrize(
    ("column", "limit", "message"),
    [
        ("brand", 80, "This text is too long (80 characters at most)."),
        ("notes", 5000, "This text is too long (5000 characters at most)."),
        ("name", 120, "The name is too long (120 characters at most)."),
    ],
)
def test_a_text_over_its_limit_is_refused_not_cut(as_manager, db, lab, column, limit, message):
    row = {"name": "Scie", "kind": "tool", column: "a" * (limit + 1)}
    header = ",".join(row)
    response = _preview(as_manager, lab, f"{header}\n{','.join(row.values())}\n".encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    [found] = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>", html)
    assert found == ("2", column, message)
    assert _count(db, Item) == 0


def test_an_unknown_place_code_is_reported(as_manager, db, lab, catalogue, other_lab, make_place):
    theirs = make_place("Zone Paris", lab_=other_lab)
    text = f"name,kind,location\nPerceuse,tool,RBX-0002\nScie,tool,RBX-9999\nMarteau,tool,{theirs.code}\n"
    html = _preview(as_manager, lab, text.encode()).get_data(as_text=True)
    rows = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>", html)
    assert [(r[0], r[1]) for r in rows] == [("3", "location"), ("4", "location")]
    assert "No place of this lab has the code “RBX-9999”." in rows[0][2]
    assert _items(db) == []


def test_a_code_in_the_file_is_refused(as_manager, db, lab):
    html = _preview(as_manager, lab, b"code,name,kind\n,Perceuse,tool\nRBX-0042,Scie,tool\n").get_data(as_text=True)
    assert "<tr><td>3</td><td>code</td><td>Leave the code empty" in html
    assert _items(db) == []


def test_every_error_of_the_file_is_listed(as_manager, lab):
    html = _preview(as_manager, lab, b"name,kind,value\nA,weapon,x\nB,tool,1\nC,,\n").get_data(as_text=True)
    assert "3 problems found: nothing was imported" in html
    assert re.findall(r"<tr><td>(\d+)</td><td>(\w+)</td>", html) == [("2", "kind"), ("2", "value"), ("4", "kind")]


def test_an_unknown_column_is_reported_on_line_1(as_manager, db, lab):
    response = _preview(as_manager, lab, b"name,kind,colour\nPerceuse,tool,rouge\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "<tr><td>1</td><td>colour</td><td>Unknown column." in html


@pytest.mark.parametrize("text", [b"name,brand\nPerceuse,Bosch\n", b"brand;value\nBosch;3\n"])
def test_missing_required_columns(as_manager, db, lab, text):
    response = _preview(as_manager, lab, text)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "The file needs these columns:" in html and "kind" in html
    assert _items(db) == []


def test_a_header_without_rows(as_manager, db, lab):
    html = _preview(as_manager, lab, b"name,kind\n").get_data(as_text=True)
    assert "The file has no rows." in html


def test_an_empty_file(as_manager, db, lab):
    response = _preview(as_manager, lab, b"")
    assert response.status_code == 400
    assert "The file needs these columns: kind, name." in response.get_data(as_text=True)
    assert _items(db) == []


@pytest.mark.parametrize(
    "data",
    [imaging.jpeg_bytes(), imaging.png_bytes(), bytes(range(256)) * 40, b"\x00\x01\x02name,kind\x00\n\x81\x8d,tool\n"],
    ids=["jpeg", "png", "all-bytes", "nul"],
)
def test_a_binary_file_is_refused_cleanly(as_manager, db, lab, data):
    response = _preview(as_manager, lab, data, "photo.csv")
    assert response.status_code == 400
    assert _items(db) == []


def test_a_broken_csv_is_refused_cleanly(as_manager, db, lab):
    # An unclosed quote makes one huge field: the csv module gives up, the user gets a message.
    response = _preview(as_manager, lab, b'name,kind\n"Perceuse' + b"a" * 200_000 + b",tool\n")
    assert response.status_code == 400
    assert "This file cannot be read as CSV." in response.get_data(as_text=True)


def test_a_file_over_5_mb_is_refused(as_manager, db, lab):
    response = _preview(as_manager, lab, b"name,kind\n" + b"Perceuse,tool\n" * 400_000)
    assert response.status_code == 400
    assert "The file is too large (5 MB at most)." in response.get_data(as_text=True)


def test_too_many_rows_are_refused(as_manager, db, lab):
    response = _preview(as_manager, lab, b"name,kind\n" + b"V,part\n" * (csv_io.MAX_ROWS + 1))
    assert response.status_code == 400 and "Too many rows (5000 at most)." in response.get_data(as_text=True)


def test_the_import_form_needs_a_file(as_manager, lab):
    response = as_manager.post("/inventory/import", data={"lab_id": lab.id})
    assert response.status_code == 400 and "This field is required." in response.get_data(as_text=True)


def test_importing_into_another_territorys_lab_is_refused(as_manager, db, other_lab):
    response = _preview(as_manager, other_lab, b"name,kind\nPerceuse,tool\n")
    assert response.status_code == 400 and "Not a valid choice." in response.get_data(as_text=True)


# --- The confirmation step ------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["0" * 32, "../../../etc/passwd", "", "x" * 500, "é" * 32, "0" * 31 + "/"])
def test_a_forged_or_expired_token_is_refused_cleanly(as_manager, db, lab, token):
    response = as_manager.post(
        "/inventory/import/confirm", data={"token": token, "lab_id": lab.id}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "This import has expired. Upload the file again." in response.get_data(as_text=True)
    assert _items(db) == []


def test_a_token_confirms_only_once(as_manager, db, lab):
    preview = _preview(as_manager, lab, b"name,kind\nPerceuse,tool\n")
    [token] = TOKEN.findall(preview.get_data(as_text=True))
    as_manager.post("/inventory/import/confirm", data={"token": token, "lab_id": lab.id})
    again = as_manager.post("/inventory/import/confirm", data={"token": token, "lab_id": lab.id}, follow_redirects=True)
    assert "This import has expired." in again.get_data(as_text=True)
    assert len(_items(db)) == 1


def test_a_double_click_on_confirm_imports_once(app, as_manager, db, lab, manager, login):
    preview = _preview(as_manager, lab, b"name,kind\n" + b"Vis,part\n" * 40)
    [token] = TOKEN.findall(preview.get_data(as_text=True))
    clients = [login(manager, app.test_client()) for _ in range(2)]
    barrier = threading.Barrier(2)
    statuses = []

    def confirm(c):
        barrier.wait()
        statuses.append(c.post("/inventory/import/confirm", data={"token": token, "lab_id": lab.id}).status_code)

    threads = [threading.Thread(target=confirm, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses == [302, 302]
    assert len(_items(db)) == 40


def test_confirm_with_a_token_and_another_territorys_lab_is_not_found(as_manager, db, lab, other_lab):
    preview = _preview(as_manager, lab, b"name,kind\nPerceuse,tool\n")
    [token] = TOKEN.findall(preview.get_data(as_text=True))
    assert (
        as_manager.post("/inventory/import/confirm", data={"token": token, "lab_id": other_lab.id}).status_code == 404
    )
    assert as_manager.post("/inventory/import/confirm", data={"token": token}).status_code == 404
    assert _items(db) == []


def test_confirm_rechecks_the_file(as_manager, admin, db, lab, make_category):
    category = make_category("Jardinage")
    preview = _preview(as_manager, lab, b"name,kind,category\nRateau,tool,Jardinage\n")
    [token] = TOKEN.findall(preview.get_data(as_text=True))
    services.update_category(admin, category, "Jardin", None)
    db.session.commit()
    html = as_manager.post(
        "/inventory/import/confirm", data={"token": token, "lab_id": lab.id}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Line 2, column category: Unknown category" in html
    assert _items(db) == []


def test_the_stashed_file_is_removed_after_import(app, as_manager, db, lab):
    preview = _preview(as_manager, lab, b"name,kind\nPerceuse,tool\n")
    [token] = TOKEN.findall(preview.get_data(as_text=True))
    as_manager.post("/inventory/import/confirm", data={"token": token, "lab_id": lab.id})
    assert not list((Path(app.config["STORAGE_PATH"]) / "imports").glob(f"{token}*"))


def test_a_preview_abandoned_for_more_than_a_day_is_swept_by_the_next_upload(app, as_manager, db, lab):
    import os
    import time

    folder = Path(app.config["STORAGE_PATH"]) / "imports"
    [old] = TOKEN.findall(_preview(as_manager, lab, b"name,kind\nPerceuse,tool\n").get_data(as_text=True))
    [recent] = TOKEN.findall(_preview(as_manager, lab, b"name,kind\nScie,tool\n").get_data(as_text=True))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(folder / f"{old}.csv", (two_days_ago, two_days_ago))
    [new] = TOKEN.findall(_preview(as_manager, lab, b"name,kind\nPonceuse,tool\n").get_data(as_text=True))
    stashed = {p.stem for p in folder.glob("*.csv")}
    assert old not in stashed and {recent, new} <= stashed
    html = as_manager.post(
        "/inventory/import/confirm", data={"token": old, "lab_id": lab.id}, follow_redirects=True
    ).get_data(as_text=True)
    assert "This import has expired. Upload the file again." in html and _items(db) == []


# --- Export -----------------------------------------------------------------------------------------


def _export(client, **args) -> list[dict]:
    response = client.get("/inventory/export.csv", query_string=args)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_export_returns_exactly_the_filtered_items(as_manager, db, make_item, other_lab, manager):
    make_item("Perceuse Bosch", brand="Bosch")
    make_item("Scie Bosch", brand="Bosch", kind=ItemKind.OBJECT)
    make_item("Marteau")
    services.retire_item(manager, make_item("Vieille perceuse Bosch", brand="Bosch"), "HS")
    make_item("Perceuse Bosch de Paris", other_lab, brand="Bosch")
    db.session.commit()
    assert [r["name"] for r in _export(as_manager, q="bosch", kind="tool")] == ["Perceuse Bosch"]
    assert [r["name"] for r in _export(as_manager, q="bosch")] == ["Perceuse Bosch", "Scie Bosch"]
    assert [r["name"] for r in _export(as_manager, q="bosch", status="all")] == [
        "Perceuse Bosch",
        "Scie Bosch",
        "Vieille perceuse Bosch",
    ]


def test_export_writes_every_column(as_manager, db, make_item, catalogue, make_category):
    make_item(
        "Fusibles",
        kind=ItemKind.PART,
        quantity=12,
        low_stock_threshold=4,
        value=Decimal("0.20"),
        location_id=catalogue["shelf"].id,
        category_id=make_category("Consommables").id,
        notes='Avec "guillemets", virgules; et\nretour à la ligne',
    )
    [row] = _export(as_manager)
    assert list(row) == csv_io.COLUMNS
    assert (row["code"], row["kind"], row["quantity"], row["low_stock_threshold"], row["value"]) == (
        "RBX-0003",
        "part",
        "12",
        "4",
        "0.20",
    )
    assert (row["location"], row["category"], row["status"]) == ("RBX-0002", "Consommables", "available")
    assert row["notes"] == 'Avec "guillemets", virgules; et\nretour à la ligne'


def test_an_exported_file_re_imports_after_blanking_the_codes(as_manager, db, lab, make_item, catalogue):
    make_item(
        "Fer à souder",
        location_id=catalogue["shelf"].id,
        brand="Weller",
        serial_number="SN-9",
        value=Decimal("129.90"),
        safety_notes="Chaud",
    )
    make_item("Vis", kind=ItemKind.PART, quantity=50, low_stock_threshold=10)
    rows = _export(as_manager)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csv_io.COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "code": "", "serial_number": row["serial_number"] and row["serial_number"] + "-b"})
    assert _import(as_manager, lab, out.getvalue().encode()).status_code == 302
    items = _items(db)
    assert [i.code for i in items] == ["RBX-0003", "RBX-0004", "RBX-0005", "RBX-0006"]
    copy_iron, copy_screws = items[2], items[3]
    assert (copy_iron.name, copy_iron.location_id, copy_iron.value, copy_iron.safety_notes) == (
        "Fer à souder",
        catalogue["shelf"].id,
        Decimal("129.90"),
        "Chaud",
    )
    assert (copy_screws.quantity, copy_screws.low_stock_threshold) == (50, 10)


def test_an_exported_file_as_is_is_refused_because_of_its_codes(as_manager, db, lab, make_item):
    make_item("Perceuse")
    response = as_manager.get("/inventory/export.csv")
    preview = _preview(as_manager, lab, response.data)
    assert preview.status_code == 400 and "Leave the code empty" in preview.get_data(as_text=True)


def test_talent_cannot_export_or_import(client, login, talent, lab):
    login(talent)
    assert client.get("/inventory/export.csv").status_code == 403
    assert client.get("/inventory/import").status_code == 403


def test_export_neutralises_spreadsheet_formulas_and_reimports_them(db, make_lab):
    """A cell starting with = + - @ gets a ' in the export (CSV injection), removed again on import."""
    from repairlab.inventory import csv_io, services
    from repairlab.inventory.models import ItemKind

    lab = make_lab("Atelier Formules")
    item = services.create_item(
        None, lab, services.ItemFields(name='=HYPERLINK("http://evil.example")', kind=ItemKind.TOOL, notes="@SUM(A1)")
    )
    db.session.commit()
    text = "".join(csv_io.export_rows([item]))
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text
    preview = csv_io.parse(text.replace(item.code, "", 1).encode(), lab)
    assert preview.errors == []
    assert preview.rows[0].name == '=HYPERLINK("http://evil.example")' and preview.rows[0].notes == "@SUM(A1)"


def _stashed(app, token: str) -> list[str]:
    """The files kept for a token (claimed ones included)."""
    return sorted(p.name for p in (Path(app.config["STORAGE_PATH"]) / "imports").glob(f"{token}*"))


def test_a_crash_while_saving_keeps_the_file_to_confirm_again(app, as_manager, db, lab, monkeypatch):
    preview = _preview(as_manager, lab, b"name,kind\nPerceuse,tool\nScie,tool\n")
    [token] = TOKEN.findall(preview.get_data(as_text=True))

    def crash(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(csv_io, "record", crash)  # the import's audit entry, written after its items
    response = as_manager.post("/inventory/import/confirm", data={"token": token, "lab_id": lab.id})
    assert response.status_code == 500
    assert _items(db) == [] and _stashed(app, token) == [f"{token}.csv"]
    monkeypatch.undo()
    response = as_manager.post("/inventory/import/confirm", data={"token": token, "lab_id": lab.id})
    assert response.status_code == 302
    assert [i.name for i in _items(db)] == ["Perceuse", "Scie"] and _stashed(app, token) == []


def test_a_refused_confirmation_can_be_confirmed_again_once_fixed(app, as_manager, admin, db, lab, make_category):
    category = make_category("Jardinage")
    preview = _preview(as_manager, lab, b"name,kind,category\nRateau,tool,Jardinage\n")
    [token] = TOKEN.findall(preview.get_data(as_text=True))
    services.update_category(admin, category, "Jardin", None)
    db.session.commit()
    assert as_manager.post("/inventory/import/confirm", data={"token": token, "lab_id": lab.id}).status_code == 302
    assert _items(db) == []
    services.update_category(admin, category, "Jardinage", None)
    db.session.commit()
    assert as_manager.post("/inventory/import/confirm", data={"token": token, "lab_id": lab.id}).status_code == 302
    assert [i.name for i in _items(db)] == ["Rateau"] and _stashed(app, token) == []
