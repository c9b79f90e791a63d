"""ORDS files in and out of the database: the real partner files, round trips, bulk speed, refusals, the commands."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from repairlab.audit.models import AuditEntry
from repairlab.errors import PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.repairs import ords, ords_export, ords_import
from repairlab.repairs.models import (
    Barrier,
    Outcome,
    RepairCategory,
    RepairTicket,
    TicketSource,
    TicketStatus,
)

DATA = Path(__file__).parent / "data" / "ords"
TORONTO = DATA / "OpenRepairData_v0.3_RepairCafeToronto_202507.csv"
FIXIT = DATA / "OpenRepairData_v0.3_FixitClinic_202507.csv"
HEADER = ",".join(ords.COLUMNS)
BARRIER_SPELLINGS = {"Item too worn out": "Too worn out"}  # Fixit Clinic's spelling -> the schema's


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _export_all() -> str:
    out = io.StringIO()
    ords_export.write_file(ords_export.ticket_query(None, ords_export.ExportFilters()), out)
    return out.getvalue()


def _tickets() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(RepairTicket))


def _category(name: str) -> RepairCategory:
    return db.session.scalar(sa.select(RepairCategory).where(RepairCategory.name == name))


@pytest.fixture
def lab(make_lab):
    return make_lab("Atelier de Roubaix")


@pytest.fixture
def other_territory(make_territory):
    return make_territory("MRS", "Aix-Marseille")


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


def test_the_real_files_import_export_and_import_again_with_no_row_lost_or_altered(lab, admin):
    originals = {}
    for path in (TORONTO, FIXIT):
        for row in _csv_rows(path.read_bytes()):
            originals[row["data_provider"], row["id"]] = row
    ords_import.import_file(admin, lab, TORONTO.read_bytes())
    ords_import.import_file(admin, None, FIXIT.read_bytes())
    db.session.commit()
    assert _tickets() == 5567 + 1033 == len(originals)

    # Every record in the database holds what the file said.
    tickets = db.session.scalars(sa.select(RepairTicket).options(sa.orm.joinedload(RepairTicket.category))).all()
    for ticket in tickets:
        row = originals[ticket.data_provider, ticket.external_id]
        assert ticket.source is (
            TicketSource.HISTORY if row["data_provider"] == "Repair Café Toronto" else TicketSource.REFERENCE
        )
        assert (ticket.category.ords_id, ticket.category.name) == (
            int(row["product_category_id"]),
            row["product_category"],
        )
        assert ticket.lab_category == row["partner_product_category"]
        assert ticket.brand == ("" if row["brand"] == "Unknown" else row["brand"])
        assert ticket.year_of_manufacture == (int(row["year_of_manufacture"]) if row["year_of_manufacture"] else None)
        assert ticket.product_age == (Decimal(row["product_age"]) if row["product_age"] else None)
        assert ords_export.STATUSES[ticket.outcome] == row["repair_status"]
        assert (ticket.barrier is None) == (row["repair_barrier_if_end_of_life"] == "")
        assert (ticket.group_identifier, ticket.country) == (row["group_identifier"], row["country"])
        assert (ticket.event_date.isoformat(), ticket.problem) == (row["event_date"], row["problem"])

    # The export writes every record back as the partner wrote it (the schema's spelling of one barrier aside).
    first = _export_all()
    exported = _csv_rows(first.encode())
    assert len(exported) == len(originals)
    for row in exported:
        original = dict(originals[row["data_provider"], row["id"]])
        barrier = original["repair_barrier_if_end_of_life"]
        original["repair_barrier_if_end_of_life"] = BARRIER_SPELLINGS.get(barrier, barrier)
        assert row == original

    # Importing the export again imports nothing twice.
    again = ords_import.import_file(admin, lab, first.encode())
    assert (len(again.new), again.already_there) == (0, 6600)

    # Into an empty database, it gives the same records and then the same file.
    db.session.execute(sa.delete(RepairTicket))
    ords_import.import_file(admin, lab, first.encode())
    db.session.commit()
    assert _tickets() == 6600
    assert _export_all() == first


def test_imported_history_counts_its_impact_from_the_table(lab, admin):
    data = "\n".join(
        [
            HEADER,
            "p_1,P,CAN,,Lamp,15,,,,Fixed,,G,2025-06-07,",
            "p_2,P,CAN,,Laptop,16,,,,End of life,Item too worn out,G,2025-06-07,",
            "p_3,P,CAN,,Misc,18,,,,Fixed,,G,2025-06-07,",
        ]
    ).encode()
    ords_import.import_file(admin, lab, data)
    tickets = {t.external_id: t for t in db.session.scalars(sa.select(RepairTicket))}
    lamp, laptop, misc = tickets["p_1"], tickets["p_2"], tickets["p_3"]
    # Lamp: 2.68 kg, 14.96 x 0.5 = 7.48 kg CO2e
    assert (lamp.waste_prevented_kg, lamp.co2e_prevented_kg) == (Decimal("2.680"), Decimal("7.480"))
    assert (lamp.impact_weight_kg, lamp.impact_footprint_kg, lamp.impact_displacement) == (
        Decimal("2.680"),
        Decimal("14.960"),
        Decimal("0.5000"),
    )
    assert (laptop.outcome, laptop.barrier, laptop.waste_prevented_kg) == (
        Outcome.END_OF_LIFE,
        Barrier.TOO_WORN_OUT,
        None,
    )
    assert misc.waste_prevented_kg is None  # Misc without a weight estimate counts nothing
    assert (lamp.lab_id, lamp.territory_id, lamp.status, lamp.code) == (
        lab.id,
        lab.territory_id,
        TicketStatus.RETURNED,
        None,
    )
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "ords_import"))
    assert (entry.object_type, entry.object_id, entry.territory_id) == ("labs", str(lab.id), lab.territory_id)
    assert entry.after["ords_records"] == 3


def test_a_file_with_one_refused_row_imports_nothing(lab, admin):
    data = "\n".join(
        [HEADER, "p_1,P,CAN,,Lamp,15,,,,Fixed,,G,2025-06-07,", "p_2,P,CAN,,Lamp,15,,,,Mended,,G,2025-06-07,"]
    )
    with pytest.raises(ValidationError, match="Ligne 3, colonne repair_status"):
        ords_import.import_file(admin, lab, data.encode())
    assert _tickets() == 0


def test_values_too_long_for_the_database_are_refused(lab, admin):
    data = "\n".join([HEADER, f"p_1,P,CAN,,Lamp,15,{'b' * 81},,2.555,Fixed,,G,2025-06-07,"]).encode()
    preview = ords_import.plan(data, lab)
    assert {(e.line, e.column) for e in preview.errors} == {(2, "brand"), (2, "product_age")}


def test_lab_managers_import_only_into_their_territorys_labs(lab, make_lab, make_user, other_territory):
    manager = make_user(Role.LAB_MANAGER)
    elsewhere = make_lab("Atelier de Marseille", territory_=other_territory)
    data = f"{HEADER}\np_1,P,CAN,,Lamp,15,,,,Fixed,,G,2025-06-07,\n".encode()
    for target in (elsewhere, None):
        with pytest.raises(PermissionDenied):
            ords_import.import_file(manager, target, data)
    assert len(ords_import.import_file(manager, lab, data).new) == 1


def _desk_ticket(lab, category: str, *, outcome=Outcome.FIXED, problem="", code="RBX-0001", **extra) -> RepairTicket:
    fields = {
        "status": TicketStatus.RETURNED,
        "closed_at": datetime(2026, 3, 14, 15, tzinfo=UTC),
        "event_date": date(2026, 3, 14),
        "owner_first_name": "Marie",
        "owner_email": "marie@exemple.fr",
    } | extra
    ticket = RepairTicket(
        code=code,
        lab=lab,
        territory_id=lab.territory_id,
        source=TicketSource.DESK,
        category=_category(category),
        outcome=outcome,
        problem=problem,
        **fields,
    )
    db.session.add(ticket)
    db.session.flush()
    return ticket


def test_desk_tickets_export_pseudonymised_and_valid(app, lab, admin, tmp_path):
    _desk_ticket(
        lab,
        "Kettle",
        problem="Ne chauffe plus. Rappeler au 06 12 34 56 78 ou marie@exemple.fr",
        work_done="Thermostat changé",
        brand="Seb",
        product_age=Decimal("4.5"),
    )
    _desk_ticket(lab, "Laptop", outcome=Outcome.END_OF_LIFE, barrier=Barrier.NO_WAY_TO_OPEN, code="RBX-0002")
    _desk_ticket(lab, "Toaster", outcome=None, code="RBX-0003", status=TicketStatus.IN_REPAIR, closed_at=None)
    _desk_ticket(lab, "Bicycle", code="RBX-0004", estimated_weight_kg=Decimal(12))
    db.session.commit()
    text = _export_all()
    rows = _csv_rows(text.encode())
    assert [r["product_category"] for r in rows] == ["Kettle", "Laptop", "Toaster"]  # the bicycle is not an ORDS record
    kettle, laptop, toaster = rows
    assert kettle["id"].startswith("repairlab-")
    assert "RBX" not in text and "Marie" not in text and "exemple.fr" not in text and "06 12" not in text
    assert (kettle["data_provider"], kettle["country"], kettle["group_identifier"]) == ("RepairLab", "FRA", lab.name)
    assert kettle["problem"] == "Ne chauffe plus. Rappeler au [phone] ou [e-mail]\nThermostat changé"
    assert (kettle["brand"], kettle["product_age"], kettle["repair_status"]) == ("Seb", "4.5", "Fixed")
    assert (laptop["repair_status"], laptop["repair_barrier_if_end_of_life"]) == (
        "End of life",
        "No way to open product",
    )
    assert toaster["repair_status"] == "Unknown"
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    assert ords.validate(path) == []
    # The same export twice gives the same ids; imported back here, the tickets are found already there.
    assert _export_all() == text
    again = ords_import.plan(text.encode(), lab)
    assert (len(again.new), again.already_there, again.errors) == (0, 3, [])
    summary = ords_export.unpowered_summary(None, ords_export.ExportFilters())
    assert summary == "data_provider,product_category,repair_status,total\nRepairLab,Unpowered - Bicycle,Fixed,1\n"


def test_the_pseudonymous_ids_follow_the_configured_secret(app, lab):
    ticket = _desk_ticket(lab, "Lamp")
    first = ords_export.to_record(ticket, "Lamp", 15, lab.name, ords_export.Naming.from_config()).id
    app.config["ORDS_ID_SECRET"] = "another key"
    try:
        assert ords_export.to_record(ticket, "Lamp", 15, lab.name, ords_export.Naming.from_config()).id != first
    finally:
        app.config["ORDS_ID_SECRET"] = None


def test_the_export_follows_the_selection(lab, make_lab, admin, other_territory):
    elsewhere = make_lab("Atelier de Marseille", territory_=other_territory)
    _desk_ticket(lab, "Lamp")
    _desk_ticket(elsewhere, "Lamp", code="MRS-0001")
    _desk_ticket(lab, "Kettle", code="RBX-0002", outcome=Outcome.REPAIRABLE)
    db.session.commit()

    def groups(scope=None, **filters):
        stmt = ords_export.ticket_query(scope, ords_export.ExportFilters(**filters))
        return [r.group_identifier for r in ords_export.records(db.session, stmt, ords_export.Naming.from_config())]

    assert groups() == [lab.name, elsewhere.name, lab.name]
    assert groups(scope=lab.territory_id) == [lab.name, lab.name]
    assert groups(lab_id=elsewhere.id) == [elsewhere.name]
    assert groups(outcome=Outcome.REPAIRABLE) == [lab.name]
    assert groups(scope=lab.territory_id, territory_id=other_territory.id) == []
    assert groups(date_from=date(2026, 3, 15)) == []


def _generated(rows: int) -> bytes:
    out = io.StringIO()
    out.write(HEADER + "\n")
    statuses = ["Fixed", "Repairable", "Unknown", "End of life"]
    for n in range(rows):
        status = statuses[n % 4]
        barrier = "No way to open the product" if status == "End of life" else ""
        out.write(
            f"gen_{n},Générateur,FRA,Objet {n},{ords.CATEGORIES[n % 40 + 1]},{n % 40 + 1},Marque,2015,{n % 12},"
            f'{status},{barrier},Atelier,2025-{n % 12 + 1:02d}-{n % 28 + 1:02d},"Panne {n}\nligne deux"\n'
        )
    return out.getvalue().encode()


def test_thirty_thousand_rows_import_in_bulk(lab, admin):
    data = _generated(30_000)
    statements = []

    def count(*_args):
        statements.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    started = time.perf_counter()
    try:
        done = ords_import.import_file(admin, lab, data)
        db.session.commit()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    elapsed = time.perf_counter() - started
    print(f"\n30,000 ORDS rows imported in {elapsed:.2f} s with {len(statements)} SQL statements")
    assert len(done.new) == 30_000
    assert _tickets() == 30_000
    assert len(statements) < 120  # batches, never one statement per row
    started = time.perf_counter()
    assert len(_csv_rows(_export_all().encode())) == 30_000
    print(f"30,000 ORDS rows exported in {time.perf_counter() - started:.2f} s")


# --- The commands ----------------------------------------------------------------------------------------------------


def test_the_import_command_reports_and_imports(app, lab, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["ords-import", str(FIXIT), "--lab", lab.name, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Rows read: 1033\nTo import: 1033\nSkipped as already there: 0\nRefused: 0\n" in result.output
    assert "Dry run: nothing imported." in result.output
    assert _tickets() == 0
    result = runner.invoke(args=["ords-import", str(FIXIT), "--lab", str(lab.id)])
    assert result.exit_code == 0, result.output
    assert "Imported: 1033\nSkipped as already there: 0\n" in result.output
    result = runner.invoke(args=["ords-import", str(FIXIT), "--lab", lab.name])
    assert "Imported: 0\nSkipped as already there: 1033\n" in result.output
    db.session.expire_all()
    assert _tickets() == 1033


def test_the_import_command_refuses_a_file_with_a_bad_row_with_status_1(app, lab, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "\np_1,P,CAN,,Lamp,15,,,,Fixed,,G,2025-06-07,\np_2,P,CAN,,Spaceship,,,,,Fixed,,G,2025-06-07,\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["ords-import", str(path), "--lab", lab.name])
    assert result.exit_code == 1
    assert "Rows read: 2" in result.output
    assert "Refused: line 3, product_category:" in result.output
    assert "Refused rows: 1. Nothing imported." in result.output
    assert _tickets() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lab", "Nowhere"], "No lab with the id or name"),
        ([], "Give --lab LAB or --reference"),
    ],
)
def test_the_import_command_needs_a_known_lab(app, lab, args, message):
    result = app.test_cli_runner().invoke(args=["ords-import", str(FIXIT), *args])
    assert result.exit_code != 0
    assert message in result.output


def test_the_import_command_imports_reference_data(app):
    result = app.test_cli_runner().invoke(args=["ords-import", str(TORONTO), "--reference"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).where(RepairTicket.source == TicketSource.REFERENCE)) == 5567


def test_the_export_command_writes_the_file(app, lab, make_lab, other_territory, tmp_path):
    elsewhere = make_lab("Atelier de Marseille", territory_=other_territory)
    _desk_ticket(lab, "Lamp")
    _desk_ticket(elsewhere, "Kettle", code="MRS-0001")
    _desk_ticket(lab, "Textile", code="RBX-0002")
    db.session.commit()
    out, unpowered = tmp_path / "ords.csv", tmp_path / "unpowered.csv"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["ords-export", "-o", str(out), "--unpowered", str(unpowered)])
    assert result.exit_code == 0, result.output
    assert f"Records written to {out}: 2" in result.output
    assert [r["product_category"] for r in _csv_rows(out.read_bytes())] == ["Lamp", "Kettle"]
    assert "Unpowered - Textile,Fixed,1" in unpowered.read_text()
    result = runner.invoke(args=["ords-export", "-o", str(out), "--territory", other_territory.code.lower()])
    assert [r["product_category"] for r in _csv_rows(out.read_bytes())] == ["Kettle"]
    result = runner.invoke(args=["ords-export", "-o", str(out), "--lab", lab.name])
    assert [r["product_category"] for r in _csv_rows(out.read_bytes())] == ["Lamp"]
    result = runner.invoke(args=["ords-export", "-o", str(out), "--territory", "ZZZ"])
    assert result.exit_code != 0
    assert "No territory" in result.output
