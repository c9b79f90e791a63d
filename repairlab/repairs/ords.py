"""The Open Repair Data Standard (ORDS v0.3) as plain data: read a partner's CSV, write ours, scrub, pseudonymise.

No database access here (the category names come from the reference table's constants): `ords_import` and
`ords_export` turn these rows into tickets and back. Reference: the standard (standard.openrepair.org, v0.3) and the
Open Repair Alliance's aggregate files and their Frictionless table schema (`tableschema_aggregate_202507.json`),
CC BY-SA 4.0.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import hmac
import io
import json
import re
import string
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from flask_babel import gettext as _

from repairlab.dates import FIRST_YEAR, LAST_YEAR, in_range, out_of_range_message
from repairlab.repairs.reference import ORDS_CATEGORIES, UNPOWERED_CATEGORIES
from repairlab.text import guard_cell, plain_text, unguard_cell

# The columns of an ORDS v0.3 record, in the standard's order.
COLUMNS = (
    "id",
    "data_provider",
    "country",
    "partner_product_category",
    "product_category",
    "product_category_id",
    "brand",
    "year_of_manufacture",
    "product_age",
    "repair_status",
    "repair_barrier_if_end_of_life",
    "group_identifier",
    "event_date",
    "problem",
)
REQUIRED_COLUMNS = ("id", "data_provider", "country", "repair_status", "event_date")

# The 40 ORDS v0.3 product categories (OpenRepairData_v0.3_Product_Categories.csv), id -> name: the reference table's.
CATEGORIES: dict[int, str] = {ords_id: name for ords_id, name, _weight, _footprint in ORDS_CATEGORIES}

# Unpowered objects. ORDS v0.3 is a standard for small electricals: its 40 categories are all powered, and a record
# needs a `product_category_id` among them. The Open Repair Alliance does not publish unpowered repairs as records;
# its aggregate releases count them in a separate summary file (OpenRepairData_v0.3_unpowered_<release>.csv:
# data_provider, product_category "Unpowered - Bicycle", repair_status, total) whose schema is the third resource of
# the table schema. RepairLab does the same: a ticket of an unpowered category is never written to the records file
# (it could not be valid there), it is counted in the unpowered summary (`write_unpowered_summary`). On import, a
# record naming an unpowered category ("Bicycle" or "Unpowered - Bicycle", without an id) is accepted, since partners'
# own exports sometimes carry them.
UNPOWERED = UNPOWERED_CATEGORIES  # Bicycle, Furniture, Household, Jewellery, Textile, Other
UNPOWERED_PREFIX = "Unpowered - "
UNPOWERED_COLUMNS = ("data_provider", "product_category", "repair_status", "total")

# Repair status (the schema's enum).
FIXED, REPAIRABLE, END_OF_LIFE, UNKNOWN = "Fixed", "Repairable", "End of life", "Unknown"
STATUSES = (FIXED, REPAIRABLE, END_OF_LIFE, UNKNOWN)

# The six barriers to repair: our key -> the spelling of the table schema's enum, which the export writes.
BARRIERS: dict[str, str] = {
    "spare_parts_not_available": "Spare parts not available",
    "spare_parts_too_expensive": "Spare parts too expensive",
    "no_way_to_open": "No way to open product",
    "repair_information_not_available": "Repair information not available",
    "lack_of_equipment": "Lack of equipment",
    "too_worn_out": "Too worn out",
}

# Partners spell things their own way: "No way to open the product" (the Fixometer), "Item too worn out" (Fixit
# Clinic), "End-of-life"; and a French partner may write French. Variants are compared once folded (`_fold`: lower
# case, accents, punctuation and filler words such as "the", "item" gone, spaces collapsed).
_STATUS_VARIANTS = {
    "fixed": FIXED,
    "repaired": FIXED,
    "réparé": FIXED,
    "repairable": REPAIRABLE,
    "réparable": REPAIRABLE,
    "end of life": END_OF_LIFE,
    "eol": END_OF_LIFE,
    "fin de vie": END_OF_LIFE,
    "unknown": UNKNOWN,
    "inconnu": UNKNOWN,
}
_BARRIER_VARIANTS = {
    "spare parts not available": "spare_parts_not_available",
    "spare parts unavailable": "spare_parts_not_available",
    "parts not available": "spare_parts_not_available",
    "pièces détachées indisponibles": "spare_parts_not_available",
    "spare parts too expensive": "spare_parts_too_expensive",
    "parts too expensive": "spare_parts_too_expensive",
    "pièces détachées trop chères": "spare_parts_too_expensive",
    "no way to open product": "no_way_to_open",
    "no way to open": "no_way_to_open",
    "impossible d’ouvrir le produit": "no_way_to_open",
    "repair information not available": "repair_information_not_available",
    "repair info not available": "repair_information_not_available",
    "informations de réparation indisponibles": "repair_information_not_available",
    "lack of equipment": "lack_of_equipment",
    "manque d’équipement": "lack_of_equipment",
    "too worn out": "too_worn_out",
    "trop usé": "too_worn_out",
}
_DROPPED_WORDS = {"the", "item", "a", "an", "le", "la", "l", "de"}

# Lengths beyond which a value is refused (never cut). The real files stay well within them.
MAX_ID = 64
MAX_NAME = 255  # data_provider, partner_product_category, brand, group_identifier
MAX_PROBLEM = 10_000
MAX_AGE = 200

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_COUNTRY_RE = re.compile(r"^[A-Z]{3}$")
_YEAR_RE = re.compile(r"^[0-9]{4}$")

# Header spellings seen or likely in partners' files, after folding (lower case, spaces and dashes as "_").
_HEADER_ALIASES = {
    "repair_barrier": "repair_barrier_if_end_of_life",
    "barrier": "repair_barrier_if_end_of_life",
    "category": "product_category",
    "category_id": "product_category_id",
    "status": "repair_status",
    "date": "event_date",
}


@dataclass(frozen=True)
class Record:
    """One repair in ORDS terms, checked: what a file's row reads as, and what the export writes."""

    id: str
    data_provider: str
    country: str
    event_date: date
    status: str  # one of STATUSES
    category: str  # an ORDS category name (CATEGORIES) or an unpowered one (UNPOWERED)
    category_id: int | None = None  # None for an unpowered category
    partner_product_category: str = ""
    brand: str = ""
    year_of_manufacture: int | None = None
    product_age: Decimal | None = None
    barrier: str | None = None  # a key of BARRIERS, only with END_OF_LIFE
    group_identifier: str = ""
    problem: str = ""

    @property
    def powered(self) -> bool:
        """Whether the category is one of the 40 ORDS (powered) categories."""
        return self.category_id is not None


@dataclass(frozen=True)
class RowError:
    """Why one row is refused: its line in the file (line 1 is the header), the column and the reason."""

    line: int
    column: str
    message: str


@dataclass
class ReadResult:
    """A file read: the records (with the line each starts on), or the reasons rows are refused."""

    records: list[tuple[int, Record]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        """Rows found in the file, good or bad."""
        return len(self.records) + len({e.line for e in self.errors if e.line > 1})


class OrdsFileError(ValueError):
    """The file as a whole cannot be read (not text, not CSV, a required column missing)."""


@functools.lru_cache(maxsize=4096)  # a file repeats its categories, statuses and barriers on every row
def _fold(text: str) -> str:
    """A value compared loosely: lower case, accents, punctuation and filler words gone, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = "".join(" " if c in string.punctuation else c for c in text)
    return " ".join(w for w in text.split() if w not in _DROPPED_WORDS)


_STATUS_BY_FOLD = {_fold(k): v for k, v in _STATUS_VARIANTS.items()}
_BARRIER_BY_FOLD = {_fold(k): v for k, v in _BARRIER_VARIANTS.items()}
_CATEGORY_BY_NAME = {_fold(name): (cid, name) for cid, name in CATEGORIES.items()}
_UNPOWERED_BY_NAME = {_fold(name): name for name in UNPOWERED} | {
    _fold(UNPOWERED_PREFIX + name): name for name in UNPOWERED
}


def status_of(text: str) -> str | None:
    """The ORDS repair status a partner's spelling means, or None."""
    return _STATUS_BY_FOLD.get(_fold(text))


def barrier_of(text: str) -> str | None:
    """The barrier key (of BARRIERS) a partner's spelling means, or None."""
    return _BARRIER_BY_FOLD.get(_fold(text))


def category_of(name: str, category_id: str) -> tuple[int | None, str] | None:
    """The ORDS category (id, name), or (None, name) for an unpowered one, from a name and/or an id; None if neither
    names one or they disagree."""
    name, category_id = name.strip(), category_id.strip()
    by_id = None
    if category_id:
        try:
            number = int(Decimal(category_id))  # "15" or "15.0" (a spreadsheet's number)
        except (InvalidOperation, ValueError):
            return None
        if number not in CATEGORIES or Decimal(category_id) != number:
            return None
        by_id = (number, CATEGORIES[number])
    if not name:
        return by_id
    by_name = _CATEGORY_BY_NAME.get(_fold(name))
    if by_name is None and _fold(name) in _UNPOWERED_BY_NAME:
        by_name = (None, _UNPOWERED_BY_NAME[_fold(name)])
    if by_id is not None and by_name != by_id:
        return None
    return by_name


def _decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a BOM), else Windows-1252 (a spreadsheet's "CSV")."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise OrdsFileError(_("The file is not readable text. Save it as CSV (UTF-8)."))


def _header_name(name: str) -> str:
    folded = "_".join(name.strip().lower().replace("-", " ").replace("_", " ").split())
    return _HEADER_ALIASES.get(folded, folded)


def _one_line(value: str) -> str:
    """A one-line value as given (a partner's data is kept, not tidied): control characters and surrounding spaces
    gone, a line break made a space."""
    return plain_text(value).replace("\r\n", " ").replace("\r", " ").replace("\n", " ").strip()


def read(data: bytes) -> ReadResult:
    """Read an ORDS CSV file: every row checked, every refused row with its reasons; nothing is written.

    Raises OrdsFileError when the file as a whole is unreadable."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header:
            raise OrdsFileError(_("The file is empty."))
        names = [_header_name(h) for h in header]
        missing = [c for c in REQUIRED_COLUMNS if c not in names]
        if "product_category" not in names and "product_category_id" not in names:
            missing.append("product_category")
        if missing:
            raise OrdsFileError(_("The file needs these columns: %(columns)s.", columns=", ".join(missing)))
        result = ReadResult(ignored_columns=[h for h, n in zip(header, names, strict=True) if n not in COLUMNS])
        index = {n: i for i, n in reversed(list(enumerate(names))) if n in COLUMNS}
        seen: dict[tuple[str, str], int] = {}
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                result.errors.append(
                    RowError(
                        start,
                        "",
                        _(
                            "This row has %(found)d cells, the header %(expected)d.",
                            found=len(cells),
                            expected=len(header),
                        ),
                    )
                )
                continue
            row = {n: (cells[i] if i < len(cells) else "") for n, i in index.items()}
            record, errors = _check_row(start, row)
            if record is not None:
                key = (record.data_provider, record.id)  # the database's unique key, as exact
                if key in seen:
                    errors.append(RowError(start, "id", _("Same id as line %(line)d.", line=seen[key])))
                else:
                    seen[key] = start
            if errors:
                result.errors.extend(errors)
            else:
                result.records.append((start, record))
    except csv.Error:  # an unclosed quote that swallows the rest of the file, a cell over the csv module's limit
        raise OrdsFileError(
            _("This file cannot be read as CSV (line %(line)d). Save it again as CSV.", line=reader.line_num)
        ) from None
    if not result.records and not result.errors:
        raise OrdsFileError(_("The file has no rows."))
    return result


def _check_row(line: int, row: dict[str, str]) -> tuple[Record | None, list[RowError]]:
    """One row read into a Record, or the reasons it cannot be."""
    errors: list[RowError] = []

    def fail(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    def name(column: str, *, required: bool = False) -> str:
        value = unguard_cell(_one_line(row.get(column, "")))
        if required and not value:
            fail(column, _("This value is required."))
        if len(value) > MAX_NAME:
            fail(column, _("This text is too long (%(max)d characters at most).", max=MAX_NAME))
        return value

    record_id = _one_line(row.get("id", ""))
    if not record_id:
        fail("id", _("This value is required."))
    elif len(record_id) > MAX_ID or not _ID_RE.match(record_id):
        fail("id", _("Write an id of letters, digits, dashes or underscores (e.g. rctoronto_6912)."))
    provider = name("data_provider", required=True)
    country = _one_line(row.get("country", "")).upper()
    if not _COUNTRY_RE.match(country):
        fail("country", _("Write the country as its 3-letter ISO code (e.g. FRA)."))
    partner_category = name("partner_product_category")
    brand = name("brand")
    if brand.casefold() == "unknown":  # the schema's missing value for a brand
        brand = ""
    group = name("group_identifier")

    category = category_of(row.get("product_category", ""), row.get("product_category_id", ""))
    if category is None:
        given = _one_line(row.get("product_category", "")) or _one_line(row.get("product_category_id", ""))
        if given:
            message = _("Unknown product category “%(name)s”, or its name and id disagree.", name=given[:80])
        else:
            message = _("Give the ORDS product category, by name or by id.")
        fail("product_category", message)

    year = None
    year_text = _one_line(row.get("year_of_manufacture", ""))
    if year_text:
        if _YEAR_RE.match(year_text) and FIRST_YEAR <= int(year_text) <= LAST_YEAR:
            year = int(year_text)
        else:
            fail(
                "year_of_manufacture",
                _("Write a year between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR),
            )
    age = None
    age_text = _one_line(row.get("product_age", "")).replace(",", ".")
    if age_text:
        try:
            age = Decimal(age_text)
            if not age.is_finite() or not 0 <= age <= MAX_AGE:
                raise InvalidOperation
        except InvalidOperation:
            age = None
            fail("product_age", _("Write the age in years, a number from 0 to %(max)d.", max=MAX_AGE))

    status = status_of(row.get("repair_status", ""))
    if status is None:
        fail("repair_status", _("Write Fixed, Repairable, End of life or Unknown."))
    barrier = None
    barrier_text = _one_line(row.get("repair_barrier_if_end_of_life", ""))
    if barrier_text:
        barrier = barrier_of(barrier_text)
        if barrier is None:
            fail(
                "repair_barrier_if_end_of_life",
                _("Unknown barrier to repair “%(name)s”.", name=barrier_text[:80]),
            )
        elif status is not None and status != END_OF_LIFE:
            fail("repair_barrier_if_end_of_life", _("A barrier to repair goes only with End of life."))

    event_date = None
    date_text = _one_line(row.get("event_date", ""))
    try:
        # "2025-06-07", or with a time after it ("2025-06-07 14:00:00", "2025-06-07T14:00")
        if len(date_text) > 10 and date_text[10] not in " T":
            raise ValueError
        event_date = date.fromisoformat(date_text[:10])
        if not in_range(event_date):
            fail("event_date", out_of_range_message())
            event_date = None
    except ValueError:
        fail("event_date", _("Write the date as YYYY-MM-DD, e.g. 2026-03-14."))

    problem = unguard_cell(plain_text(row.get("problem", "")).replace("\r\n", "\n").replace("\r", "\n").strip())
    if len(problem) > MAX_PROBLEM:
        fail("problem", _("This text is too long (%(max)d characters at most).", max=MAX_PROBLEM))

    if errors:
        return None, errors
    return (
        Record(
            id=record_id,
            data_provider=provider,
            country=country,
            event_date=event_date,
            status=status,
            category=category[1],
            category_id=category[0],
            partner_product_category=partner_category,
            brand=brand,
            year_of_manufacture=year,
            product_age=age,
            barrier=barrier,
            group_identifier=group,
            problem=problem,
        ),
        [],
    )


def _number(value: Decimal) -> str:
    """A decimal as the file writes it: 11, 2.5 (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def _cells(record: Record) -> list[str]:
    return [
        record.id,
        guard_cell(record.data_provider),
        record.country,
        guard_cell(record.partner_product_category),
        record.category,
        str(record.category_id),
        guard_cell(record.brand) or "Unknown",  # the schema's missing value for a brand
        "" if record.year_of_manufacture is None else str(record.year_of_manufacture),
        "" if record.product_age is None else _number(record.product_age),
        record.status,
        BARRIERS[record.barrier] if record.barrier else "",
        guard_cell(record.group_identifier),
        record.event_date.isoformat(),
        guard_cell(record.problem),
    ]


def write(records: Iterable[Record]) -> Iterator[str]:
    """The ORDS records file, streamed (header first): the standard's columns in its order, its vocabularies.

    Only powered records (one of the 40 categories) belong in it: an unpowered record raises ValueError (see
    UNPOWERED). UTF-8 without a BOM and LF line ends, as the Open Repair Alliance's own files."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush() -> str:
        out = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return out

    writer.writerow(COLUMNS)
    yield flush()
    for record in records:
        if not record.powered:
            raise ValueError(f"unpowered record {record.id} has no place in an ORDS records file")
        writer.writerow(_cells(record))
        yield flush()


def write_unpowered_summary(counts: Iterable[tuple[str, str, str, int]]) -> str:
    """The unpowered summary file: (data_provider, unpowered category, status, total) rows, as the Alliance's."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(UNPOWERED_COLUMNS)
    for provider, category, status, total in sorted(counts):
        writer.writerow([provider, UNPOWERED_PREFIX + category, status, total])
    return buffer.getvalue()


# --- Personal data in problem texts ------------------------------------------------------------------------------

EMAIL_MARK = "[e-mail]"
PHONE_MARK = "[phone]"
_EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_SEP = r"[ .\-\u00a0]?"
_PHONE_RES = (
    # International: +33 6 12 34 56 78, +33 (0)6 12 34 56 78, 0033 612345678, +44 20 7946 0958, +1 (416) 555-0199.
    re.compile(
        r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}"
        + _SEP
        + r"(?:\(0\)"
        + _SEP
        + r")?(?:\(?\d{1,4}\)?"
        + _SEP
        + r"){1,5}\d{2,4}(?!\w)"
    ),
    # French national numbers: 06 12 34 56 78, 06.12.34.56.78, 06-12-34-56-78, 0612345678.
    re.compile(r"(?<![\w+])0[1-9](?:" + _SEP + r"\d{2}){4}(?!\w)"),
    # North American numbers without the country code: (416) 555-0199, 416-555-0199, 416.555.0199.
    re.compile(r"(?<![\w+])(?:\(\d{3}\)[ ]?|\d{3}[.\-])\d{3}[.\-]\d{4}(?!\w)"),
)


def scrub(text: str) -> str:
    """The text with e-mail addresses and phone numbers (French and international) replaced by a mark."""
    text = _EMAIL_RE.sub(EMAIL_MARK, text)
    for pattern in _PHONE_RES:
        text = pattern.sub(_phone_or_not, text)
    return text


def _phone_or_not(match: re.Match) -> str:
    digits = sum(c.isdigit() for c in match.group())
    return PHONE_MARK if 9 <= digits <= 15 else match.group()


# --- Pseudonymous ids ---------------------------------------------------------------------------------------------

_PREFIX_RE = re.compile(r"^[a-z]+$")


def pseudonymous_id(secret: str, key: object, prefix: str = "repairlab") -> str:
    """A stable id for a ticket in an ORDS file, `prefix-<16 digits>` (the schema's pattern ^[a-z]+-[0-9]+$).

    A keyed hash (HMAC-SHA256) of the ticket's database id: the same ticket always gets the same id, nobody without
    the secret can tell which ticket it is, and the ticket's code (printed on a label, read aloud at the desk) never
    appears. 16 digits keep collisions out of reach (about one chance in 10 million among 100,000 tickets)."""
    if not _PREFIX_RE.match(prefix):
        raise ValueError("the ORDS id prefix must be lower-case letters only")
    digest = hmac.new(secret.encode(), f"ords-ticket:{key}".encode(), hashlib.sha256).digest()
    return f"{prefix}-{int.from_bytes(digest[:8], 'big') % 10**16:016d}"


# --- Validation against the Alliance's table schema ----------------------------------------------------------------

SCHEMA_PATH = Path(__file__).with_name("ords_tableschema_202507.json")


def _enum_list(value: object) -> object:
    """The schema's enums are written as one string, "[Fixed, Repairable, End of life, Unknown]", where the Table
    Schema specification wants a JSON array (Frictionless refuses the string: "is not of type 'array'"). Read the
    string as the list it means: brackets off, split on commas, each value stripped (the barrier enum has no space
    after its commas, the status enum has one)."""
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        return [item.strip() for item in value[1:-1].split(",")]
    return value


def table_schema(path: Path = SCHEMA_PATH) -> dict:
    """The records resource's table schema from the Alliance's file, with its quirks put right for Frictionless.

    Besides the enums (`_enum_list`): `"unique": "true"` is a string (made the boolean it means); the country's
    `"minimum": "3", "maximum": "3"` are number constraints on a string (meant as its length: minLength/maxLength);
    `product_category_id` has a `pattern` on an integer (unsupported: made the range 0..99 that its ^[0-9]{1,2}$
    means); `event_date` has the format "yyyy-mm-dd" (Frictionless reads a date format as a strptime pattern, where
    this one matches nothing: made "default", which is that same ISO 8601 form)."""
    package = json.loads(path.read_text(encoding="utf-8"))
    schema = next(r["schema"] for r in package["resources"] if r["name"].startswith("OpenRepairData_v0.3_aggregate"))
    for column in schema["fields"]:
        constraints = column.get("constraints", {})
        if "enum" in constraints:
            constraints["enum"] = _enum_list(constraints["enum"])
        if constraints.get("unique") in ("true", "false"):
            constraints["unique"] = constraints["unique"] == "true"
        if column["type"] == "string":
            for number, length in (("minimum", "minLength"), ("maximum", "maxLength")):
                if number in constraints:
                    constraints[length] = int(constraints.pop(number))
        if column["type"] == "date" and column.get("format") == "yyyy-mm-dd":
            column["format"] = "default"
        if column["type"] == "integer" and "pattern" in constraints:
            digits = re.fullmatch(r"\^\[0-9\]\{1,(\d)\}\$", constraints.pop("pattern"))
            constraints |= {"minimum": 0, "maximum": 10 ** int(digits.group(1)) - 1} if digits else {}
    return schema


def validate(path: Path, schema_path: Path = SCHEMA_PATH) -> list[str]:
    """The errors Frictionless finds in an ORDS records file against the Alliance's table schema ([] when valid).

    Frictionless is a development dependency (requirements-dev.txt): tests and maintainers check exports with it;
    the app itself writes the vocabularies by construction and never needs it."""
    from frictionless import Resource, Schema

    path = path.resolve()
    # Frictionless reads only paths under its base path (it refuses an absolute one as "not safe").
    resource = Resource(
        path=path.name,
        basepath=str(path.parent),
        format="csv",
        encoding="utf-8",
        schema=Schema.from_descriptor(table_schema(schema_path)),
    )
    report = resource.validate(limit_errors=1000)
    return [
        f"row {e.row_number} {e.field_name}: {e.note}" if hasattr(e, "row_number") else e.message
        for task in report.tasks
        for e in task.errors
    ] + [e.message for e in report.errors]
