"""Recording audit entries; every service that changes data calls record()."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Iterable
from typing import Any, Protocol

from repairlab.audit.models import AuditEntry
from repairlab.extensions import db

# Never copied into the log, whatever the model.
SENSITIVE_FIELDS = frozenset({"password_hash", "session_token"})

# territory_id=PROGRAMME_WIDE: the change affects every territory (a shared setting such as a skill or a category).
PROGRAMME_WIDE = None
_FROM_OBJECT: Any = object()


class Actor(Protocol):
    """Who makes a change (people's User): the log keeps the id and the name at the time."""

    id: int
    full_name: str


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
    actor: Actor | None,
    action: str,
    obj: Any,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    territory_id: int | None = _FROM_OBJECT,
    label: str | None = None,
) -> AuditEntry:
    """Add an audit entry for a change of obj to the session (committed with the change itself).

    The entry carries the territory the change affects: obj's territory_id unless one is given; an object without
    a territory must say which (PROGRAMME_WIDE for a setting shared by every territory).
    """
    # Views may pass flask_login's current_user proxy: record the real objects.
    obj = obj._get_current_object() if hasattr(obj, "_get_current_object") else obj
    actor = actor._get_current_object() if hasattr(actor, "_get_current_object") else actor
    if obj.id is None:
        db.session.flush()
    if territory_id is _FROM_OBJECT:
        if not hasattr(obj, "territory_id"):
            # A programming error, caught by any test of the service: every entry must say where it applies.
            raise TypeError(f"record(): say which territory a change of {type(obj).__name__} affects")
        territory_id = obj.territory_id
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
