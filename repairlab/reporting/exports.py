"""The research export: a ZIP of tidy CSV tables, a Frictionless `datapackage.json` and a README (fr/en).

People appear only as pseudonymous ids: HMAC-SHA256 of the account id under a secret key (RESEARCH_PSEUDONYM_KEY,
else a key derived from SECRET_KEY), so that the same person has the same id in every table and in every export,
and nobody without the key can link an id back to an account. The key never leaves the server. No name, e-mail,
phone, free text or photo is written: the tables list only coded values, numbers and dates.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from flask import current_app
from flask_babel import force_locale

from repairlab.clock import LAB_TZ, utcnow
from repairlab.reporting.rates import suppressed
from repairlab.reporting.registry import ExportTable, export_tables
from repairlab.reporting.selection import Selection

PSEUDONYM_LENGTH = 16  # hex digits: 64 bits, no collision to fear among a few thousand people
DEFAULT_THRESHOLD = 5
_SPOOL_BYTES = 32 * 1024 * 1024


@dataclass
class Archive:
    """A built export: the ZIP (a file positioned at its start), its name and what it holds."""

    file: IO[bytes]
    file_name: str
    tables: int
    rows: int


def pseudonym_key() -> bytes:
    """The secret of the pseudonymous ids: RESEARCH_PSEUDONYM_KEY, else derived from SECRET_KEY (never exported)."""
    key = current_app.config.get("RESEARCH_PSEUDONYM_KEY")
    if key:
        return key.encode() if isinstance(key, str) else key
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, b"repairlab research pseudonyms", hashlib.sha256).digest()


def pseudonym(user_id: int, key: bytes) -> str:
    """A person's pseudonymous id: the same for the same account and key, in every table and every export."""
    return hmac.new(key, f"user:{user_id}".encode(), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def threshold() -> int:
    """Counts of people under this are suppressed in the aggregate tables (RESEARCH_SUPPRESSION_THRESHOLD)."""
    return int(current_app.config.get("RESEARCH_SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD))


class _Writer:
    """Writes one table's values as the export shows them."""

    def __init__(self, selection: Selection, key: bytes, limit: int):
        self.months = selection.months
        self.key = key
        self.limit = limit
        self.suppressed = 0

    def cell(self, value, kind: str):
        if value is None:
            return ""
        if kind == "pid":
            return pseudonym(value, self.key)
        if kind == "date":
            if isinstance(value, datetime):
                value = value.astimezone(LAB_TZ).date()
            return value.strftime("%Y-%m") if self.months else value.isoformat()
        if kind == "count":
            shown = suppressed(value, self.limit)
            if shown is None:
                self.suppressed += 1
                return ""
            return shown
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Decimal):
            return format(value, "f")
        if isinstance(value, date):
            return value.isoformat()
        return getattr(value, "value", value)  # enums: their stored code


def build(selection: Selection) -> Archive:
    """Write every registered table for the selection into a ZIP (spooled to disk when large)."""
    key, limit = pseudonym_key(), threshold()
    out = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115  (the caller sends and closes it)
    writer = _Writer(selection, key, limit)
    counts: dict[str, int] = {}
    tables = list(export_tables)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            with archive.open(f"{table.name}.csv", "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                rows = csv.writer(text, lineterminator="\n")
                rows.writerow(list(table.field_names()))
                n = 0
                for row in table.rows(selection):
                    rows.writerow([writer.cell(v, f.kind) for v, f in zip(row, table.fields, strict=True)])
                    n += 1
                text.flush()
                text.detach()
            counts[table.name] = n
        created = utcnow()
        with force_locale("en"):
            package = datapackage(tables, selection, created)
        archive.writestr("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False))
        text = readme(tables, selection, created, limit=limit, counts=counts, hidden=writer.suppressed)
        archive.writestr("README.md", text)
    out.seek(0)
    stamp = created.astimezone(LAB_TZ).strftime("%Y%m%d-%H%M")
    return Archive(out, f"repairlab-research-{stamp}.zip", len(tables), sum(counts.values()))


def _type(field, selection: Selection) -> str:
    if field.kind == "date":
        return "yearmonth" if selection.months else "date"
    return field.type


def datapackage(tables: list[ExportTable], selection: Selection, created: datetime) -> dict:
    """The Frictionless data package descriptor: every table, every column's type and meaning."""
    return {
        "name": "repairlab-research-export",
        "title": "RepairLab research export",
        "description": "Pseudonymised records and aggregates of the RepairLab programme. See README.md.",
        "created": created.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "keywords": ["repair", "inclusion", "evaluation"],
        "resources": [
            {
                "name": table.name.replace("_", "-"),
                "path": f"{table.name}.csv",
                "title": str(table.title),
                "description": str(table.description),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": f.name, "type": _type(f, selection), "description": str(f.description)}
                        for f in table.fields
                    ],
                    "missingValues": [""],
                    **({"primaryKey": list(table.primary_key)} if table.primary_key else {}),
                },
            }
            for table in tables
        ],
    }


README_FR = """# Export de recherche RepairLab

Créé le {created} (UTC). Filtres : {filters}.

Chaque table est un fichier CSV (UTF-8, virgule, une ligne d’en-tête) ; `datapackage.json` décrit chaque colonne
(type et sens) au format Frictionless Data Package.

- **Identifiants pseudonymes** : chaque personne est désignée par un identifiant calculé par une fonction de
  hachage à clé (HMAC-SHA256) à partir de son compte. Le même identifiant désigne la même personne dans toutes les
  tables et d’un export à l’autre. La clé reste sur le serveur : l’identifiant ne permet pas de retrouver le compte.
- **Aucune donnée directement identifiante** : ni nom, ni courriel, ni téléphone, ni texte libre (notes,
  commentaires), ni photo.
- **Dates** : {dates_fr}
- **Tables agrégées** (`agg_…`) : tout effectif de personnes compris entre 1 et {limit_minus} est masqué (cellule
  vide) ; seuil : {limit}. Cellules masquées dans cet export : {suppressed}.

## Tables

{tables_fr}
"""

README_EN = """# RepairLab research export

Created on {created} (UTC). Filters: {filters}.

Each table is a CSV file (UTF-8, comma-separated, one header row); `datapackage.json` describes every column (type
and meaning) as a Frictionless Data Package.

- **Pseudonymous ids**: each person is named by an id computed with a keyed hash (HMAC-SHA256) of their account.
  The same id names the same person in every table and from one export to the next. The key stays on the server:
  the id does not lead back to the account.
- **No directly identifying data**: no name, e-mail, phone, free text (notes, comments) or photo.
- **Dates**: {dates_en}
- **Aggregate tables** (`agg_…`): any count of people from 1 to {limit_minus} is suppressed (empty cell); threshold:
  {limit}. Cells suppressed in this export: {suppressed}.

## Tables

{tables_en}
"""


def _listing(tables, selection: Selection, counts: dict[str, int], rows_word: str) -> str:
    lines = []
    for table in tables:
        lines.append(f"### `{table.name}.csv` ({counts.get(table.name, 0)} {rows_word})\n\n{table.description}\n")
        lines += [f"- `{f.name}` ({_type(f, selection)}) : {f.description}" for f in table.fields]
        lines.append("")
    return "\n".join(lines)


def readme(tables, selection: Selection, created: datetime, *, limit: int, counts: dict[str, int], hidden: int) -> str:
    """The README, in French then in English (the tables' descriptions in each language)."""
    common = {
        "created": created.strftime("%Y-%m-%d %H:%M"),
        "filters": selection.query_string() or "—",
        "limit": limit,
        "limit_minus": max(limit - 1, 0),
        "suppressed": hidden,
    }
    with force_locale("fr"):
        french = README_FR.format(
            **common,
            dates_fr="réduites au mois (AAAA-MM) à la demande." if selection.months else "au jour (AAAA-MM-JJ).",
            tables_fr=_listing(tables, selection, counts, "lignes"),
        )
    with force_locale("en"):
        english = README_EN.format(
            **common,
            dates_en="shifted to months (YYYY-MM) on request." if selection.months else "to the day (YYYY-MM-DD).",
            tables_en=_listing(tables, selection, counts, "rows").replace(") : ", "): "),
        )
    # French typography: a no-break space before the colon and the semicolon.
    french = french.replace(" :", "\u00a0:").replace(" ;", "\u00a0;")
    return french + "\n---\n\n" + english
