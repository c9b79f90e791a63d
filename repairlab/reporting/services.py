"""The one thing reporting writes: the log of research exports (the view or the command commits)."""

from __future__ import annotations

from repairlab.extensions import db
from repairlab.reporting.models import ResearchExport
from repairlab.reporting.selection import Selection


def log_export(user, selection: Selection, *, source: str, tables: int, rows: int) -> ResearchExport:
    """Record that an export was taken: by whom (None from the command line), when, with which filters."""
    user = user._get_current_object() if hasattr(user, "_get_current_object") else user
    entry = ResearchExport(
        user_id=user.id if user is not None else None,
        source=source,
        filters=selection.query_string(),
        months_only=selection.months,
        tables=tables,
        rows=rows,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
