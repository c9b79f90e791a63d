"""The timeline sources of a talent's path: what each domain holds about them, as dated lines (registered in
init_app into people's timeline_sources; every other domain registers its own from its `person_data.py`)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.people.registry import TIMELINE_SOURCE_ROWS, TimelineEntry
from repairlab.programme.models import (
    ActivitySession,
    ExitFollowUp,
    PathEvent,
    SessionAttendance,
    TalentExit,
    TalentIntake,
)

# The kinds of line, in words (the page shows them beside each line).
_KIND_LABELS = {
    "intake": _l("Intake"),
    "path": _l("Path"),
    "attendance": _l("Session"),
    "exit": _l("Exit"),
    "follow_up": _l("Follow-up"),
}


def _kind_label(key: str) -> str:
    """A kind's name in the current language."""
    return str(_KIND_LABELS[key])


def programme_entries(talent: User, viewer: User) -> list[TimelineEntry]:
    """Intake, path steps, exit and follow-ups (four small queries)."""
    out: list[TimelineEntry] = []
    intake = db.session.scalar(sa.select(TalentIntake).where(TalentIntake.talent_id == talent.id))
    if intake is not None:
        consent = (
            _(
                "Consent to the evaluation given on %(day)s (notice %(version)s)",
                day=format_date(intake.consent_date),
                version=intake.consent_notice_version,
            )
            if intake.evaluation_consent
            else _("No consent to the evaluation")
        )
        out.append(TimelineEntry(intake.intake_date, "intake", _kind_label("intake"), _("Intake"), consent))
    events = db.session.scalars(
        sa.select(PathEvent)
        .options(joinedload(PathEvent.cohort))
        .where(PathEvent.talent_id == talent.id)
        .order_by(PathEvent.occurred_on)
        .limit(TIMELINE_SOURCE_ROWS)
    )
    for event in events:
        detail = event.track.label if event.track else (event.cohort.name if event.cohort else "")
        if event.note:
            detail = f"{detail} — {event.note}" if detail else event.note
        out.append(TimelineEntry(event.occurred_on, "path", _kind_label("path"), str(event.kind.label), detail))
    talent_exit = db.session.scalar(
        sa.select(TalentExit).options(joinedload(TalentExit.project)).where(TalentExit.talent_id == talent.id)
    )
    if talent_exit is not None:
        detail = f"{talent_exit.subtype.label} ({talent_exit.evidence.label})"
        if talent_exit.project is not None:
            detail += f" — {talent_exit.project.name}"
        out.append(
            TimelineEntry(
                talent_exit.exit_date,
                "exit",
                _kind_label("exit"),
                _("Exit: %(category)s", category=talent_exit.category.label),
                detail,
            )
        )
        for follow_up in db.session.scalars(
            sa.select(ExitFollowUp).where(ExitFollowUp.talent_exit_id == talent_exit.id)
        ):
            situation = (
                _(
                    "%(category)s: %(situation)s (%(evidence)s)",
                    category=follow_up.category.label,
                    situation=follow_up.subtype.label,
                    evidence=follow_up.evidence.label,
                )
                if follow_up.reached
                else _("Not reached")
            )
            out.append(
                TimelineEntry(
                    follow_up.contacted_on,
                    "follow_up",
                    _kind_label("follow_up"),
                    _("Follow-up at %(months)d months", months=follow_up.months_after_exit),
                    situation,
                )
            )
    return out


def attendance_entries(talent: User, viewer: User) -> list[TimelineEntry]:
    """Sessions attended (one query)."""
    sessions = db.session.scalars(
        sa.select(ActivitySession)
        .join(SessionAttendance, SessionAttendance.session_id == ActivitySession.id)
        .where(SessionAttendance.talent_id == talent.id)
        .order_by(ActivitySession.held_on.desc())
        .limit(TIMELINE_SOURCE_ROWS)
    )
    return [
        TimelineEntry(
            s.held_on,
            "attendance",
            _kind_label("attendance"),
            _("Attended: %(title)s", title=s.title),
            str(s.kind.label),
            url_for("programme.session", session_id=s.id),
        )
        for s in sessions
    ]


SOURCES = {
    "programme.path": (programme_entries, 10),
    "programme.attendance": (attendance_entries, 20),
}
