"""Recording audit entries; every service that changes data calls record()."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Iterable
from typing import Any

from repairlab.audit.models import AuditEntry
from repairlab.extensions import db
from repairlab.people.models import User

# Never copied into the log, whatever the model.
SENSITIVE_FIELDS = frozenset({"password_hash", "session_token"})


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """Return the JSON-safe values of some attributes of a model, for before/after."""
    return {f: _jsonable(getattr(obj, f)) for f in fields if f not in SENSITIVE_FIELDS}


def record(
    actor: User | None,
    action: str,
    obj: Any,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    territory_id: int | None = None,
    label: str | None = None,
) -> AuditEntry:
    """Add an audit entry for a change of obj to the session (committed with the change itself)."""
    # Views may pass flask_login's current_user proxy: record the real objects.
    obj = obj._get_current_object() if hasattr(obj, "_get_current_object") else obj
    actor = actor._get_current_object() if hasattr(actor, "_get_current_object") else actor
    if obj.id is None:
        db.session.flush()
    if territory_id is None:
        territory_id = getattr(obj, "territory_id", None)
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.full_name if actor is not None else "system",
        action=action,
        object_type=type(obj).__tablename__,
        object_id=str(obj.id),
        object_label=(label if label is not None else str(obj))[:200],
        territory_id=territory_id,
        before={k: _jsonable(v) for k, v in before.items()} if before is not None else None,
        after={k: _jsonable(v) for k, v in after.items()} if after is not None else None,
    )
    db.session.add(entry)
    return entry
