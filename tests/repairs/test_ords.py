"""ORDS files as plain data: reading partners' files, writing ours, scrubbing, pseudonyms, the table schema."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from repairlab.repairs import ords

DATA = Path(__file__).parent / "data" / "ords"
TORONTO = DATA / "OpenRepairData_v0.3_RepairCafeToronto_202507.csv"
FIXIT = DATA / "OpenRepairData_v0.3_FixitClinic_202507.csv"
HEADER = ",".join(ords.COLUMNS)


def _file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


GOOD = "rc_1,Repair Café Roubaix,FRA,Grille-pain,Toaster,31,Moulinex,2015,9,Fixed,,Roubaix,2026-03-14,Ne chauffe plus"


def _one(*rows: str, header: str = HEADER) -> ords.Record:
    result = ords.read(_file(*rows, header=header))
    assert result.errors == []
    assert len(result.records) == 1
    return result.records[0][1]


def _errors(*rows: str) -> list[tuple[int, str]]:
    return [(e.line, e.column) for e in ords.read(_file(*rows)).errors]


def test_a_good_row_reads_into_a_record():
    record = _one(GOOD)
    assert record == ords.Record(
        id="rc_1",
        data_provider="Repair Café Roubaix",
        country="FRA",
        event_date=date(2026, 3, 14),
        status="Fixed",
        category="Toaster",
        category_id=31,
        partner_product_category="Grille-pain",
        brand="Moulinex",
        year_of_manufacture=2015,
        product_age=Decimal(9),
        group_identifier="Roubaix",
        problem="Ne chauffe plus",
    )


def test_the_real_files_read_without_a_refused_row():
    toronto = ords.read(TORONTO.read_bytes())
    fixit = ords.read(FIXIT.read_bytes())
    assert (len(toronto.records), toronto.errors) == (5567, [])
    assert (len(fixit.records), fixit.errors) == (1033, [])
    first = fixit.records[0][1]
    assert (first.id, first.category, first.category_id, first.brand) == (
        "fixitclinic_1690",
        "Food processor",
        37,
        "Cuisinart",
    )
    worn = [r for _, r in fixit.records if r.barrier == "too_worn_out"]
    assert len(worn) == 11  # "Item too worn out" in Fixit Clinic's spelling


def test_quoted_and_bare_empty_values_read_alike():
    bare = _one("rc_1,P,CAN,Lamp,Lamp,15,Unknown,,,Unknown,,G,2025-06-07,")
    quoted = _one('rc_1,P,CAN,Lamp,Lamp,15,Unknown,"","",Unknown,"",G,2025-06-07,""')
    assert bare == quoted
    assert (bare.brand, bare.year_of_manufacture, bare.product_age, bare.barrier, bare.problem) == (
        "",
        None,
        None,
        None,
        "",
    )


def test_a_multi_line_problem_and_a_bom_are_read():
    data = (
        "\ufeff" + HEADER + '\nrc_1,P,FRA,,Lamp,15,,,,Fixed,,G,2026-01-02,"Ligne un\r\nligne deux\n« trois »"\n'
    ).encode()
    result = ords.read(data)
    assert result.errors == []
    assert result.records[0][1].problem == "Ligne un\nligne deux\n« trois »"


def test_line_numbers_count_the_lines_of_multi_line_rows():
    result = ords.read(
        _file('rc_1,P,FRA,,Lamp,15,,,,Fixed,,G,2026-01-02,"a\nb\nc"', "rc_2,P,FRA,,Lamp,15,,,,Broken,,G,2026-01-02,")
    )
    assert [(e.line, e.column) for e in result.errors] == [(5, "repair_status")]


def test_windows_1252_files_are_read():
    data = (HEADER + "\nrc_1,Repair Café,FRA,,Lamp,15,,,,Fixed,,G,2026-01-02,\n").encode("cp1252")
    assert ords.read(data).records[0][1].data_provider == "Repair Café"


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("No way to open product", "no_way_to_open"),
        ("No way to open the product", "no_way_to_open"),
        ("no way to open the product.", "no_way_to_open"),
        ("Item too worn out", "too_worn_out"),
        ("Too worn out", "too_worn_out"),
        ("  SPARE PARTS NOT AVAILABLE ", "spare_parts_not_available"),
        ("Spare parts too expensive", "spare_parts_too_expensive"),
        ("Repair information not available", "repair_information_not_available"),
        ("Lack of equipment", "lack_of_equipment"),
        ("Pièces détachées trop chères", "spare_parts_too_expensive"),
    ],
)
def test_barrier_spellings_map_to_the_six_barriers(spelling, key):
    assert _one(f'rc_1,P,FRA,,Lamp,15,,,,End of life,"{spelling}",G,2026-01-02,').barrier == key


@pytest.mark.parametrize("spelling", ["End of life", "end-of-life", "END OF LIFE", "End_of_life", "fin de vie"])
def test_status_spellings(spelling):
    assert _one(f"rc_1,P,FRA,,Lamp,15,,,,{spelling},,G,2026-01-02,").status == "End of life"


@pytest.mark.parametrize(
    ("name", "number", "expected"),
    [
        ("Lamp", "15", (15, "Lamp")),
        ("", "15", (15, "Lamp")),
        ("lamp", "", (15, "Lamp")),
        ("  HAIR &  beauty item ", "", (9, "Hair & beauty item")),
        ("tv and gaming related accessories", "33", (33, "TV and gaming-related accessories")),
        ("", "15.0", (15, "Lamp")),
        ("Bicycle", "", (None, "Bicycle")),
        ("Unpowered - Textile", "", (None, "Textile")),
    ],
)
def test_categories_by_name_or_id(name, number, expected):
    record = _one(f'rc_1,P,FRA,,"{name}",{number},,,,Fixed,,G,2026-01-02,')
    assert (record.category_id, record.category) == expected


def test_headers_in_other_cases_and_orders_and_extra_columns():
    header = "Event Date,ID,Data-Provider,country,Product Category,repair_status,language"
    result = ords.read(_file("2026-01-02,x-1,P,fra,Kettle,Fixed,fr", header=header))
    assert result.errors == []
    record = result.records[0][1]
    assert (record.id, record.country, record.category_id, record.event_date) == ("x-1", "FRA", 14, date(2026, 1, 2))
    assert result.ignored_columns == ["language"]


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("rc_1,P,FRA,,Lamp,15,,,,Fixed,,G,14/03/2026,", "event_date"),
        ("rc_1,P,FRA,,Lamp,15,,,,Fixed,,G,1850-01-01,", "event_date"),
        ("rc_1,P,FRA,,Lamp,15,,,,Fixed,,G,,", "event_date"),
        ("rc_1,P,FRA,,Lamp,15,,,,Mended,,G,2026-01-02,", "repair_status"),
        ("rc_1,P,FRA,,Lamp,15,,,,,,G,2026-01-02,", "repair_status"),
        ("rc_1,P,FRA,,Lamp,15,,,,Fixed,Lack of equipment,G,2026-01-02,", "repair_barrier_if_end_of_life"),
        ("rc_1,P,FRA,,Lamp,15,,,,End of life,Cat ate it,G,2026-01-02,", "repair_barrier_if_end_of_life"),
        ("rc_1,P,FRA,,Spaceship,,,,,Fixed,,G,2026-01-02,", "product_category"),
        ("rc_1,P,FRA,,Lamp,14,,,,Fixed,,G,2026-01-02,", "product_category"),
        ("rc_1,P,FRA,,,41,,,,Fixed,,G,2026-01-02,", "product_category"),
        ("rc_1,P,FRA,,,,,,,Fixed,,G,2026-01-02,", "product_category"),
        ("rc_1,P,FRA,,Bicycle,15,,,,Fixed,,G,2026-01-02,", "product_category"),
        ("rc_1,P,FRA,,Lamp,15,,15,,Fixed,,G,2026-01-02,", "year_of_manufacture"),
        ("rc_1,P,FRA,,Lamp,15,,,-1,Fixed,,G,2026-01-02,", "product_age"),
        ("rc_1,P,FRA,,Lamp,15,,,old,Fixed,,G,2026-01-02,", "product_age"),
        ("rc_1,P,FR,,Lamp,15,,,,Fixed,,G,2026-01-02,", "country"),
        ("rc_1,,FRA,,Lamp,15,,,,Fixed,,G,2026-01-02,", "data_provider"),
        (",P,FRA,,Lamp,15,,,,Fixed,,G,2026-01-02,", "id"),
        ("rc 1,P,FRA,,Lamp,15,,,,Fixed,,G,2026-01-02,", "id"),
        (f"rc_1,P,FRA,,Lamp,15,{'b' * 256},,,Fixed,,G,2026-01-02,", "brand"),
        (f'rc_1,P,FRA,,Lamp,15,,,,Fixed,,G,2026-01-02,"{"x" * 10_001}"', "problem"),
        ("rc_1,P,FRA,,Lamp,15,,,,Fixed,,G,2026-01-02,,surplus", ""),
    ],
)
def test_each_kind_of_bad_row_is_refused_with_its_reason(row, column):
    result = ords.read(_file(row))
    assert result.records == []
    assert [(e.line, e.column) for e in result.errors] == [(2, column)]
    assert all(e.message for e in result.errors)


def test_a_row_with_several_faults_gives_each_reason_and_the_good_rows_still_read():
    result = ords.read(_file(GOOD, "rc_2,P,XX,,Spaceship,,,,,Mended,,G,someday,"))
    assert len(result.records) == 1
    assert {e.column for e in result.errors} == {"country", "product_category", "repair_status", "event_date"}
    assert result.rows_read == 2


def test_a_repeated_id_of_the_same_provider_is_refused():
    other_provider = GOOD.replace("Repair Café Roubaix", "Other")
    assert _errors(GOOD, other_provider, GOOD) == [(4, "id")]
    assert "line 2" in ords.read(_file(GOOD, GOOD)).errors[0].message


def test_messages_are_translated(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        error = ords.read(_file("rc_1,P,FRA,,Lamp,15,,,,Mended,,G,2026-01-02,")).errors[0]
    assert error.message == "Écrivez Fixed, Repairable, End of life ou Unknown."


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"id,data_provider\nx,y\n",
        b"\xff\xfe\x00\x00",
        (HEADER + '\nrc_1,P,FRA,,Lamp,15,,,,Fixed,,G,2026-01-02,"open').encode(),
    ],
)
def test_unreadable_files_are_refused_whole(data):
    with pytest.raises(ords.OrdsFileError):
        ords.read(data)


# --- Writing -------------------------------------------------------------------------------------------------------


def test_the_file_has_the_standards_columns_in_order_and_its_vocabularies():
    record = _one('rc_1,P,FRA,,Lamp,15,,,2.50,End of life,No way to open the product,G,2026-01-02,"a, ""b""\nc"')
    text = "".join(ords.write([record]))
    assert text == (
        HEADER
        + "\n"
        + 'rc_1,P,FRA,,Lamp,15,Unknown,,2.5,End of life,No way to open product,G,2026-01-02,"a, ""b""\nc"\n'
    )


def test_formula_cells_are_made_inert_and_read_back():
    record = _one('rc_1,P,FRA,,Lamp,15,,,,Fixed,,G,2026-01-02,"=HYPERLINK(""x"")"')
    text = "".join(ords.write([record]))
    assert "'=HYPERLINK" in text
    assert ords.read(text.encode()).records[0][1] == record


def test_unpowered_records_have_no_place_in_the_records_file():
    record = _one("rc_1,P,FRA,,Bicycle,,,,,Fixed,,G,2026-01-02,")
    with pytest.raises(ValueError, match="unpowered"):
        "".join(ords.write([record]))
    summary = ords.write_unpowered_summary([("RepairLab", "Textile", "Fixed", 3), ("RepairLab", "Bicycle", "Fixed", 2)])
    assert summary == (
        "data_provider,product_category,repair_status,total\n"
        "RepairLab,Unpowered - Bicycle,Fixed,2\nRepairLab,Unpowered - Textile,Fixed,3\n"
    )


@pytest.mark.parametrize("path", [TORONTO, FIXIT])
def test_write_then_read_gives_the_same_records_and_the_same_file(path):
    records = [r for _, r in ords.read(path.read_bytes()).records]
    first = "".join(ords.write(records))
    again = [r for _, r in ords.read(first.encode()).records]
    assert again == records
    assert "".join(ords.write(again)) == first


def test_our_export_validates_against_the_table_schema(tmp_path):
    records = [
        ords.Record(
            id=ords.pseudonymous_id("secret", n),
            data_provider="RepairLab",
            country="FRA",
            event_date=date(2026, 3, 14),
            status=status,
            category=ords.CATEGORIES[n % 40 + 1],
            category_id=n % 40 + 1,
            brand="Seb" if n % 2 else "",
            year_of_manufacture=2010 if n % 3 else None,
            product_age=Decimal("4.5") if n % 3 else None,
            barrier=barrier,
            group_identifier="Atelier de Roubaix",
            problem="Ne s’allume plus\nvoyant rouge",
        )
        for n, (status, barrier) in enumerate(
            [("Fixed", None), ("Repairable", None), ("Unknown", None)] + [("End of life", b) for b in ords.BARRIERS]
        )
    ]
    path = tmp_path / "export.csv"
    path.write_text("".join(ords.write(records)), encoding="utf-8")
    assert ords.validate(path) == []


def test_the_validation_finds_what_breaks_the_schema(tmp_path):
    """The real files break the schema's own id pattern (an underscore) and, for Fixit Clinic, its barrier spelling:
    the validation sees it, so it does check something."""
    path = tmp_path / "fixit.csv"
    path.write_bytes(FIXIT.read_bytes())
    errors = ords.validate(path)
    assert any("id" in e and "pattern" in e for e in errors)
    assert any("repair_barrier_if_end_of_life" in e for e in errors)
    path.write_text(HEADER + "\nrepairlab-1,P,FRA,,Lamp,15,Unknown,,,Mended,,G,2026-01-02,\n", encoding="utf-8")
    assert any("repair_status" in e for e in ords.validate(path))


def test_the_schemas_enum_strings_are_read_as_lists():
    fields = {f["name"]: f for f in ords.table_schema()["fields"]}
    assert fields["repair_status"]["constraints"]["enum"] == ["Fixed", "Repairable", "End of life", "Unknown"]
    assert fields["repair_barrier_if_end_of_life"]["constraints"]["enum"] == list(ords.BARRIERS.values())
    assert fields["id"]["constraints"]["unique"] is True
    assert fields["country"]["constraints"] == {"pattern": "^[A-Z]{3}$", "minLength": 3, "maxLength": 3}
    assert fields["product_category_id"]["constraints"] == {"minimum": 0, "maximum": 99}


# --- Personal data and pseudonyms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rappeler Marie au 06 12 34 56 78 svp", "Rappeler Marie au [phone] svp"),
        ("tel 06.12.34.56.78.", "tel [phone]."),
        ("tel 06-12-34-56-78", "tel [phone]"),
        ("tel:0612345678", "tel:[phone]"),
        ("+33 6 12 34 56 78", "[phone]"),
        ("+33 (0)6 12 34 56 78 le soir", "[phone] le soir"),
        ("0033 6 12 34 56 78", "[phone]"),
        ("+33612345678", "[phone]"),
        ("call +44 20 7946 0958", "call [phone]"),
        ("call (416) 555-0199 or 416-555-0199", "call [phone] or [phone]"),
        ("écrire à marie.dupont+repair@exemple.fr ou à j_o@mail.co.uk.", "écrire à [e-mail] ou à [e-mail]."),
        ("Contact : marie@exemple.fr / 07 11 22 33 44", "Contact : [e-mail] / [phone]"),
    ],
)
def test_scrub_removes_emails_and_phone_numbers(text, expected):
    assert ords.scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Acheté en 2019, 230 V, 1200 W",
        "Modèle KM-1234-56, série 2015-2019",
        "Réparé le 2026-03-14, fusible 5x20 mm 10 A",
        "Pièce réf. 12345678",
        "Coût 12.50 €, 3 x 0.5 mm",
    ],
)
def test_scrub_leaves_dates_models_and_measures(text):
    assert ords.scrub(text) == text


def test_scrub_leaves_the_real_problem_texts_alone():
    """Neither real file holds a phone number or an e-mail address: scrubbing them changes nothing."""
    for path in (TORONTO, FIXIT):
        for _, record in ords.read(path.read_bytes()).records:
            assert ords.scrub(record.problem) == record.problem


def test_pseudonymous_ids_are_stable_keyed_and_match_the_schema():
    first = ords.pseudonymous_id("secret", 42)
    assert first == ords.pseudonymous_id("secret", 42)
    assert first != ords.pseudonymous_id("other secret", 42)
    assert first != ords.pseudonymous_id("secret", 43)
    assert re.fullmatch(r"^[a-z]+-[0-9]+$", first)
    assert first.startswith("repairlab-")
    assert len({ords.pseudonymous_id("secret", n) for n in range(20_000)}) == 20_000
    with pytest.raises(ValueError, match="prefix"):
        ords.pseudonymous_id("secret", 1, prefix="rl_2")
