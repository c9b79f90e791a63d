"""CSV import (all-or-nothing, with a per-row error report) and export of items."""

from __future__ import annotations

import csv
import io
import os
import secrets
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from repairlab.audit.services import record
from repairlab.errors import DomainError, ValidationError
from repairlab.extensions import db
from repairlab.inventory import services
from repairlab.inventory.models import (
    CONDITION_LABELS,
    KIND_LABELS,
    SOURCE_LABELS,
    Condition,
    Item,
    ItemKind,
    Location,
    Source,
)
from repairlab.inventory.queries import category_finder
from repairlab.people.models import Lab, User
from repairlab.text import guard_cell, unguard_cell

EXPORT_BATCH = 500  # items read from the database at a time while the export streams

COLUMNS = [
    "code",
    "name",
    "kind",
    "category",
    "location",
    "status",
    "condition",
    "brand",
    "model",
    "serial_number",
    "value",
    "acquired_on",
    "source",
    "quantity",
    "low_stock_threshold",
    "description",
    "manual_url",
    "safety_notes",
    "notes",
]
REQUIRED = {"name", "kind"}
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class RowError:
    """What is wrong with one line of the file (line 1 is the header)."""

    line: int
    column: str
    message: str


@dataclass
class ImportPreview:
    """The parsed file: rows ready to import, or the errors that stop it."""

    rows: list[services.ItemFields] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _enum_value(enum_cls, labels: dict, text: str):
    """Accept the stored value (tool) or the label in French or English (Outil, Tool or equipment)."""
    text = (text or "").strip().lower()
    for member in enum_cls:
        if text in (member.value, str(labels[member]).lower()):
            return member
    return None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is not readable text. Save it as CSV (UTF-8)."), field="file")


def parse(data: bytes, lab: Lab) -> ImportPreview:
    """Read a CSV file of items for a lab and check every row without writing anything."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is too large (5 MB at most)."), field="file")
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return _parse_rows(csv.DictReader(io.StringIO(text), dialect=dialect), lab)
    except csv.Error:  # e.g. an unclosed quote that swallows the rest of the file
        raise ValidationError(
            _("This file cannot be read as CSV. Save it again as CSV from your spreadsheet."), field="file"
        ) from None


def _parse_rows(reader: csv.DictReader, lab: Lab) -> ImportPreview:
    """Check the header and every row of a CSV reader."""
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = REQUIRED - set(header)
    if missing:
        raise ValidationError(
            _("The file needs these columns: %(columns)s.", columns=", ".join(sorted(missing))), field="file"
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    preview = ImportPreview()
    if unknown:
        preview.errors.append(
            RowError(1, unknown[0], _("Unknown column. Allowed: %(columns)s.", columns=", ".join(COLUMNS)))
        )
    find_category = category_finder()
    locations = {loc.code: loc for loc in db.session.scalars(sa.select(Location).where(Location.lab_id == lab.id))}
    seen_serials: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            preview.errors.append(RowError(number, "", _("Too many rows (%(max)d at most).", max=MAX_ROWS)))
            break
        row = {(k or "").strip().lower(): unguard_cell((v or "").strip()) for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue
        errors_before = len(preview.errors)

        def fail(column: str, message: str, line: int = number) -> None:
            preview.errors.append(RowError(line, column, message))

        kind = _enum_value(ItemKind, KIND_LABELS, row.get("kind", ""))
        if kind is None:
            fail("kind", _("Write tool, object or part."))
        condition = Condition.GOOD
        if row.get("condition"):
            condition = _enum_value(Condition, CONDITION_LABELS, row["condition"])
            if condition is None:
                fail("condition", _("Write new, good, fair, poor or broken."))
        source = None
        if row.get("source"):
            source = _enum_value(Source, SOURCE_LABELS, row["source"])
            if source is None:
                fail("source", _("Write bought, donated or recovered."))
        category = None
        if row.get("category"):
            category = find_category(row["category"])
            if category is None:
                fail("category", _("Unknown category “%(name)s”.", name=row["category"][:80]))
        location = None
        if row.get("location"):
            location = locations.get(row["location"].upper())
            if location is None:
                fail("location", _("No place of this lab has the code “%(code)s”.", code=row["location"][:20]))
        value = None
        if row.get("value"):
            try:
                value = Decimal(row["value"].replace(",", ".").replace("€", "").replace(" ", ""))
            except InvalidOperation:
                fail("value", _("Write a number, e.g. 129.90."))
        acquired_on = None
        if row.get("acquired_on"):
            try:
                acquired_on = date.fromisoformat(row["acquired_on"])
            except ValueError:
                fail("acquired_on", _("Write the date as YYYY-MM-DD, e.g. 2026-03-14."))
        ints = {}
        for column in ("quantity", "low_stock_threshold"):
            if row.get(column):
                try:
                    ints[column] = int(row[column])
                except ValueError:
                    fail(column, _("Write a whole number."))
        if row.get("code"):
            fail("code", _("Leave the code empty: new items get the next code of the territory."))
        serial = row.get("serial_number", "")
        if serial:
            if serial in seen_serials:
                fail("serial_number", _("Same serial number as line %(line)d.", line=seen_serials[serial]))
            seen_serials[serial] = number
        if len(preview.errors) > errors_before:
            continue
        fields_ = services.ItemFields(
            name=row.get("name", ""),
            kind=kind,
            category_id=category.id if category else None,
            location_id=location.id if location else None,
            condition=condition,
            description=row.get("description", ""),
            brand=row.get("brand", ""),
            model=row.get("model", ""),
            serial_number=serial,
            value=value,
            acquired_on=acquired_on,
            source=source,
            manual_url=row.get("manual_url", ""),
            safety_notes=row.get("safety_notes", ""),
            notes=row.get("notes", ""),
            quantity=ints.get("quantity"),
            low_stock_threshold=ints.get("low_stock_threshold"),
        )
        try:
            preview.rows.append(services.check_item_fields(fields_, lab))
        except DomainError as error:
            fail(error.field or "", str(error))
    if not preview.rows and not preview.errors:
        preview.errors.append(RowError(2, "", _("The file has no rows.")))
    return preview


def _upload_path(token: str) -> Path:
    if not token.isalnum() or len(token) != 32:
        raise ValidationError(_("This import has expired. Upload the file again."))
    return Path(current_app.config["STORAGE_PATH"]) / "imports" / f"{token}.csv"


STASH_MAX_AGE_SECONDS = 24 * 3600  # a preview left unconfirmed for a day has expired


def purge_stash(now: float | None = None) -> int:
    """Delete stashed files older than a day (previews never confirmed); return how many went."""
    folder = Path(current_app.config["STORAGE_PATH"]) / "imports"
    limit = (now if now is not None else time.time()) - STASH_MAX_AGE_SECONDS
    gone = 0
    # (*.taken: files claimed by a confirmation whose server died before it could put them back or delete them.)
    for path in [*folder.glob("*.csv"), *folder.glob("*.taken")] if folder.is_dir() else ():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
                gone += 1
        except OSError:  # taken or deleted meanwhile by another app server
            continue
    return gone


def stash(data: bytes) -> str:
    """Keep an uploaded file between the preview and the confirmation (stateless app servers share storage)."""
    purge_stash()  # each new preview sweeps the ones abandoned long ago: the folder never grows without bound
    token = secrets.token_hex(16)
    path = _upload_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    now = time.time()  # stamped by the app's clock, which the sweep reads, not only the file system's
    os.utime(path, (now, now))
    return token


@contextmanager
def claimed(token: str) -> Iterator[bytes]:
    """Hold a stashed file while its import is saved: `with claimed(token) as data: import, commit`.

    Of two confirmations at once (a double click), only one gets the file. It is deleted only once the block ends
    without an error, that is once the import is committed; if the import is refused or fails (a crash, a lost
    database), the file is put back, so that the user can confirm again without uploading it again.
    """
    path = _upload_path(token)
    taken = path.with_name(f"{token}.{secrets.token_hex(8)}.taken")
    try:
        os.replace(path, taken)  # atomic, also on storage shared by several app servers
    except OSError:
        raise ValidationError(_("This import has expired. Upload the file again.")) from None
    try:
        yield taken.read_bytes()
    except BaseException:
        os.replace(taken, path)
        raise
    taken.unlink(missing_ok=True)


def import_items(actor: User, lab: Lab, data: bytes) -> list[Item]:
    """Import every row or none: any error refuses the whole file."""
    preview = parse(data, lab)
    if preview.errors:
        first = preview.errors[0]
        raise ValidationError(
            _(
                "Line %(line)d, column %(column)s: %(message)s",
                line=first.line,
                column=first.column or "—",
                message=first.message,
            )
        )
    created = [services.create_item(actor, lab, row) for row in preview.rows]
    record(actor, "import", lab, after={"items": len(created), "first": created[0].code, "last": created[-1].code})
    return created


def export_stream(stmt: sa.Select) -> Iterator[str]:
    """CSV lines for the items a statement selects, read in batches by a session that lives as long as the stream.

    A streamed body is sent after the view has returned, when the request's session is already closed (under the
    development server and gunicorn alike): its rows must come from a session of their own, closed at the end of the
    body or when the client goes away (the server closes the generator).
    """
    engine = db.engine  # needs the app context, which the view has and the streaming body may not

    def rows() -> Iterator[str]:
        with Session(engine) as session:
            # No .unique(): SQLAlchemy refuses it with yield_per, and the list loads no joined collection.
            yield from export_rows(session.scalars(stmt.execution_options(yield_per=EXPORT_BATCH)))

    return rows()


def export_rows(items: Iterable[Item]) -> Iterator[str]:
    """CSV lines (header first) for items, streamed; the format re-imports."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        out = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return out

    writer.writerow(COLUMNS)
    yield "\ufeff" + flush()  # a BOM, so that spreadsheet software reads the accents right
    for item in items:
        writer.writerow(
            [
                guard_cell(cell)
                for cell in [
                    item.code,
                    item.name,
                    item.kind.value,
                    item.category.path if item.category else "",
                    item.location.code if item.location else "",
                    item.status.value,
                    item.condition.value,
                    item.brand,
                    item.model,
                    item.serial_number,
                    "" if item.value is None else str(item.value),
                    item.acquired_on.isoformat() if item.acquired_on else "",
                    item.source.value if item.source else "",
                    "" if item.quantity is None else item.quantity,
                    "" if item.low_stock_threshold is None else item.low_stock_threshold,
                    item.description,
                    item.manual_url,
                    item.safety_notes,
                    item.notes,
                ]
            ]
        )
        yield flush()
