"""The research export's tables on the talents' paths (programme domain): periods and their targets, path events,
activity sessions and attendance, exits and follow-ups, and exits as an aggregate. No note or title: free text."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from repairlab.people.models import Territory, User
from repairlab.programme.models import (
    ActivitySession,
    ExitFollowUp,
    PathEvent,
    PeriodTerritoryTarget,
    ProgrammePeriod,
    SessionAttendance,
    TalentExit,
)
from repairlab.reporting.export_tables import COHORT, PID, TERRITORY, _stream
from repairlab.reporting.registry import ExportField, ExportTable, export_tables
from repairlab.reporting.selection import Selection

F = ExportField
PERIOD_ID = F("period_id", "integer", _l("Id of the programme's period."))
CATEGORY = F("category", "string", _l("durable_employment, transition_employment, positive_exit or other_exit."))
SUBTYPE = F("subtype", "string", _l("The situation within the category, e.g. permanent_contract, job_seeking."))
EVIDENCE = F("evidence", "string", _l("declared (by the talent) or proven (by a document)."))


def periods(sel: Selection):
    """Every period of the programme."""
    p = ProgrammePeriod
    return _stream(sa.select(p.id, p.number, p.name, p.start_date, p.end_date, p.target_talents).order_by(p.number))


def period_targets(sel: Selection):
    """Each period's dates and target in each territory of the selection."""
    t = PeriodTerritoryTarget
    stmt = sa.select(t.period_id, Territory.code, t.start_date, t.end_date, t.target_talents).join(
        Territory, Territory.id == t.territory_id
    )
    if sel.territory_id is not None:
        stmt = stmt.where(t.territory_id == sel.territory_id)
    if sel.period_id is not None:
        stmt = stmt.where(t.period_id == sel.period_id)
    return _stream(stmt.order_by(t.period_id, Territory.code))


def _of_talents(column, sel: Selection) -> list:
    return [column.in_(sel.talent_ids())]


def path_events(sel: Selection):
    """Every dated step of the talents' paths, without the note."""
    e = PathEvent
    return _stream(
        sa.select(e.id, e.talent_id, Territory.code, e.kind, e.occurred_on, e.track, e.cohort_id)
        .join(Territory, Territory.id == e.territory_id)
        .where(*_of_talents(e.talent_id, sel), *sel.on_days(e.occurred_on))
        .order_by(e.talent_id, e.occurred_on, e.id)
    )


def sessions(sel: Selection):
    """Workshops and activities with a talent of the selection present, without their title."""
    s = ActivitySession
    present = sa.select(SessionAttendance.session_id).where(*_of_talents(SessionAttendance.talent_id, sel))
    return _stream(
        sa.select(s.id, Territory.code, s.lab_id, s.kind, s.held_on, s.duration_minutes)
        .join(Territory, Territory.id == s.territory_id)
        .where(s.id.in_(present), *sel.on_days(s.held_on))
        .order_by(s.id)
    )


def attendance(sel: Selection):
    """Who was present at which session."""
    a = SessionAttendance
    return _stream(
        sa.select(a.session_id, a.talent_id, a.method)
        .join(ActivitySession, ActivitySession.id == a.session_id)
        .where(*_of_talents(a.talent_id, sel), *sel.on_days(ActivitySession.held_on))
        .order_by(a.session_id, a.talent_id)
    )


def exits(sel: Selection):
    """Every exit of a talent of the selection."""
    x = TalentExit
    return _stream(
        sa.select(x.talent_id, Territory.code, x.exit_date, x.category, x.subtype, x.evidence, x.project_id)
        .join(Territory, Territory.id == x.territory_id)
        .where(*_of_talents(x.talent_id, sel), *sel.on_days(x.exit_date))
        .order_by(x.talent_id)
    )


def follow_ups(sel: Selection):
    """Every follow-up after an exit."""
    f = ExitFollowUp
    return _stream(
        sa.select(f.talent_id, f.months_after_exit, f.contacted_on, f.reached, f.category, f.subtype, f.evidence)
        .where(*_of_talents(f.talent_id, sel), *sel.on_days(f.contacted_on))
        .order_by(f.talent_id, f.months_after_exit)
    )


def agg_exits(sel: Selection):
    """Exits by territory, cohort and category."""
    x = TalentExit
    return _stream(
        sa.select(Territory.code, User.cohort_id, x.category, sa.func.count(x.id))
        .join(User, User.id == x.talent_id)
        .join(Territory, Territory.id == x.territory_id)
        .where(*sel.talent_conditions(), *sel.on_days(x.exit_date))
        .group_by(Territory.code, User.cohort_id, x.category)
        .order_by(Territory.code, User.cohort_id, x.category)
    )


def register_tables() -> None:
    """Put the path tables in the research export, after the talents and cohorts."""
    tables = [
        ExportTable(
            "periods",
            _l("Periods"),
            _l("The programme's periods, with their programme-wide target."),
            (
                PERIOD_ID,
                F("number", "integer", _l("1 mass remobilisation, 2 prototyping and incubation, 3 transfer.")),
                F("name", "string", _l("Name of the period.")),
                F("start_date", "date", _l("First day of the period."), "date"),
                F("end_date", "date", _l("Last day of the period."), "date"),
                F("target_talents", "integer", _l("Target number of talents over the programme.")),
            ),
            periods,
            ("period_id",),
        ),
        ExportTable(
            "period_targets",
            _l("Period targets"),
            _l("Each period's dates and target number of talents in a territory."),
            (
                PERIOD_ID,
                TERRITORY,
                F("start_date", "date", _l("First day of the period in the territory."), "date"),
                F("end_date", "date", _l("Last day of the period in the territory."), "date"),
                F("target_talents", "integer", _l("Target number of talents in the territory.")),
            ),
            period_targets,
            ("period_id", "territory"),
        ),
        ExportTable(
            "path_events",
            _l("Path events"),
            _l("Dated steps of each path: enrolment, track chosen or changed, suspension, resumption (no note)."),
            (
                F("event_id", "integer", _l("Id of the event.")),
                PID,
                TERRITORY,
                F("kind", "string", _l("enrolment, track_chosen, track_changed, suspension or resumption.")),
                F("occurred_on", "date", _l("Day of the event."), "date"),
                F("track", "string", _l("Track chosen, for track events.")),
                F("cohort_id", "integer", _l("Cohort of an enrolment.")),
            ),
            path_events,
            ("event_id",),
        ),
        ExportTable(
            "activity_sessions",
            _l("Activity sessions"),
            _l("Workshops and activities attended by talents of the selection (no title)."),
            (
                F("session_id", "integer", _l("Id of the session.")),
                TERRITORY,
                F("lab_id", "integer", _l("Id of the lab where it was held; empty if elsewhere.")),
                F("kind", "string", _l("Kind of activity: workshop, repair_cafe, training, …")),
                F("held_on", "date", _l("Day of the session."), "date"),
                F("duration_minutes", "integer", _l("Length in minutes; empty if not recorded.")),
            ),
            sessions,
            ("session_id",),
        ),
        ExportTable(
            "attendance",
            _l("Attendance at activities"),
            _l("One row per talent present at a session."),
            (
                F("session_id", "integer", _l("Id of the session (see activity_sessions.csv).")),
                PID,
                F("method", "string", _l("How the presence was recorded: list or card.")),
            ),
            attendance,
            ("session_id", "talent_pid"),
        ),
        ExportTable(
            "exits",
            _l("Exits"),
            _l("One row per talent who left the programme."),
            (
                PID,
                TERRITORY,
                F("exit_date", "date", _l("Day of the exit."), "date"),
                CATEGORY,
                SUBTYPE,
                EVIDENCE,
                F("project_id", "integer", _l("Project launched, for a business creation.")),
            ),
            exits,
            ("talent_pid",),
        ),
        ExportTable(
            "follow_ups",
            _l("Follow-ups"),
            _l("The situation 6, 12 or 24 months after the exit; not reached is an answer (then no situation)."),
            (
                PID,
                F("months_after_exit", "integer", _l("6, 12 or 24.")),
                F("contacted_on", "date", _l("Day the talent was contacted."), "date"),
                F("reached", "boolean", _l("Whether the talent was reached.")),
                CATEGORY,
                SUBTYPE,
                EVIDENCE,
            ),
            follow_ups,
            ("talent_pid", "months_after_exit"),
        ),
        ExportTable(
            "agg_exits",
            _l("Exits (aggregate)"),
            _l("Exits by territory, cohort and category; small counts suppressed."),
            (
                TERRITORY,
                COHORT,
                CATEGORY,
                F("talents", "integer", _l("Number of talents; empty when suppressed."), "count"),
            ),
            agg_exits,
            aggregate=True,
        ),
    ]
    for order, table in enumerate(tables):
        export_tables.register(table.name, table, order=(2000 if table.aggregate else 150) + order)
