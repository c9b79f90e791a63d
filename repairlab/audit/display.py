"""Audit entries in words: labels for actions, objects and fields, names for ids, local dates for ISO values."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from repairlab.audit.labels import VALUES, Reference, field_label, object_label, reference_for
from repairlab.audit.models import AuditEntry
from repairlab.extensions import db
from repairlab.timefmt import local_datetime

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# Where a name alone is ambiguous, the code comes first (an item is known by its label).
_WITH_CODE = {"items"}


@dataclass(frozen=True)
class Change:
    """One field that changed, in words."""

    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class EntryView:
    """An audit entry ready to show."""

    entry: AuditEntry
    actor: str
    territory: str
    action: str
    object_kind: str
    object_name: str
    changes: list[Change] = field(default_factory=list)

    @property
    def raw_before(self) -> str:
        """The stored before values, as recorded (for administrators)."""
        return _json(self.entry.before)

    @property
    def raw_after(self) -> str:
        """The stored after values, as recorded (for administrators)."""
        return _json(self.entry.after)


def _json(values: dict | None) -> str:
    return json.dumps(values, ensure_ascii=False, indent=1, sort_keys=True) if values is not None else "—"


def _ids(value: Any) -> list[int]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, str) and value.isdigit() and len(value) < 12:
        return [int(value)]
    return []


def _names(entries: Sequence[AuditEntry]) -> dict[Reference, dict[int, str]]:
    """The names of every record the entries' values point to: one query per kind of record."""
    wanted: dict[Reference, set[int]] = defaultdict(set)
    for entry in entries:
        for values in (entry.before or {}, entry.after or {}):
            for key, value in values.items():
                ref = reference_for(entry.object_type, key)
                if ref is not None:
                    wanted[ref].update(_ids(value))
    names: dict[Reference, dict[int, str]] = {}
    for ref, ids in wanted.items():
        table = db.metadata.tables[ref.table]
        columns = [table.c.id, table.c[ref.column]]
        if ref.table in _WITH_CODE:
            columns.append(table.c.name)
        rows = db.session.execute(sa.select(*columns).where(table.c.id.in_(sorted(ids)))).all()
        names[ref] = {row[0]: " ".join(str(part) for part in row[1:]) for row in rows}
    return names


def _when(value: str) -> str | None:
    """A stored ISO date or time in the reader's words (times in the labs' time zone), or None."""
    try:
        if _ISO_DATE.match(value):
            return format_date(date.fromisoformat(value), "medium")
        if _ISO_DATETIME.match(value):
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:  # stored in UTC
                moment = moment.replace(tzinfo=UTC)
            return local_datetime(moment, "medium")  # "23 h 59" in French, as every page writes times
    except ValueError:
        return None
    return None


def show_value(object_type: str, key: str, value: Any, names: dict[Reference, dict[int, str]]) -> str:
    """One stored value in words."""
    if value is None or value in ("", []):
        return "—"
    ref = reference_for(object_type, key)
    if ref is not None and _ids(value):
        found = names.get(ref, {}).get(_ids(value)[0])
        return found if found is not None else _("deleted (no. %(id)s)", id=value)
    if isinstance(value, bool | str) and (key, value) in VALUES:
        return str(VALUES[(key, value)])
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return _when(value) or value
    if isinstance(value, list):
        return ", ".join(show_value(object_type, key, v, names) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _actor(entry: AuditEntry) -> str:
    if entry.actor is not None:
        return entry.actor.full_name
    # record(None, ...): a command or a scheduled job, not a person.
    return entry.actor_label if entry.actor_label not in ("", "system") else _("RepairLab (automatic)")


def present(entries: Sequence[AuditEntry]) -> list[EntryView]:
    """The entries in words (a bounded number of queries: one per kind of record their values point to)."""
    names = _names(entries)
    views = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        changes = [
            Change(
                field=key,
                label=field_label(key),
                before=show_value(entry.object_type, key, before.get(key), names) if entry.before is not None else "",
                after=show_value(entry.object_type, key, after.get(key), names) if entry.after is not None else "",
            )
            for key, old, new in entry.changed_fields
            # A creation (or a deletion) lists only the fields that hold something.
            if not ((entry.before is None and new in ("", [])) or (entry.after is None and old in ("", [])))
        ]
        views.append(
            EntryView(
                entry=entry,
                actor=_actor(entry),
                territory=entry.territory.name if entry.territory is not None else _("All territories"),
                action=entry.action_label,
                object_kind=object_label(entry.object_type),
                object_name=entry.object_label or _("no. %(id)s", id=entry.object_id),
                changes=changes,
            )
        )
    return views
