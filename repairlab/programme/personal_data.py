"""A person's own data, as the domains hold it: "download my data" (JSON and CSV), registered as personal data
sources in init_app."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import sqlalchemy as sa

from repairlab.people.models import User
from repairlab.people.registry import personal_data_sources, plain_rows
from repairlab.programme.models import (
    EVALUATION_FIELDS,
    ActivitySession,
    ExitFollowUp,
    PathEvent,
    SessionAttendance,
    TalentExit,
    TalentIntake,
)
from repairlab.text import guard_cell


def programme_data(person: User) -> dict[str, list[dict[str, Any]]]:
    """Intake, path steps, sessions attended, exit and follow-ups."""
    c = TalentIntake
    intake_columns = [c.intake_date, c.evaluation_consent, c.consent_date, c.consent_notice_version]
    intake_columns += [getattr(c, name) for name in EVALUATION_FIELDS]
    return {
        "intake": plain_rows(sa.select(*intake_columns).where(c.talent_id == person.id)),
        "path_events": plain_rows(
            sa.select(PathEvent.occurred_on, PathEvent.kind, PathEvent.track, PathEvent.note)
            .where(PathEvent.talent_id == person.id)
            .order_by(PathEvent.occurred_on)
        ),
        "sessions_attended": plain_rows(
            sa.select(ActivitySession.held_on, ActivitySession.kind, ActivitySession.title)
            .join(SessionAttendance, SessionAttendance.session_id == ActivitySession.id)
            .where(SessionAttendance.talent_id == person.id)
            .order_by(ActivitySession.held_on)
        ),
        "exit": plain_rows(
            sa.select(TalentExit.exit_date, TalentExit.category, TalentExit.subtype, TalentExit.evidence).where(
                TalentExit.talent_id == person.id
            )
        ),
        "follow_ups": plain_rows(
            sa.select(
                ExitFollowUp.months_after_exit,
                ExitFollowUp.contacted_on,
                ExitFollowUp.reached,
                ExitFollowUp.category,
                ExitFollowUp.subtype,
                ExitFollowUp.evidence,
            )
            .where(ExitFollowUp.talent_id == person.id)
            .order_by(ExitFollowUp.months_after_exit)
        ),
    }


SOURCES = {"programme": programme_data}


def personal_data(person: User) -> dict[str, list[dict[str, Any]]]:
    """Every table of the person's own data, from every registered source."""
    out: dict[str, list[dict[str, Any]]] = {}
    for source in personal_data_sources:
        out.update(source(person))
    return out


def as_json(data: dict[str, list[dict[str, Any]]]) -> str:
    """The data as one JSON document."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def as_csv_zip(data: dict[str, list[dict[str, Any]]]) -> bytes:
    """The data as a ZIP of CSV files, one per table (UTF-8 with a BOM, for spreadsheets)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, rows in sorted(data.items()):
            text = io.StringIO()
            columns = list(rows[0]) if rows else []
            writer = csv.DictWriter(text, fieldnames=columns)
            writer.writeheader()
            writer.writerows({key: guard_cell(value) for key, value in row.items()} for row in rows)
            archive.writestr(f"{table}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()
