"""The indicators page's sections on the talents' paths (the programme domain): enrolment against the periods'
targets, active and suspended paths, exits by category with their rates, follow-ups at +6/+12/+24 months, and
attendance. The counting is the programme's read-side queries' (aggregates in SQL), and a few queries here.

Definitions (each also written next to its number on the page):

- enrolled: talents of the selection with an enrolment recorded in their path, on or before today;
- exited: with an exit recorded on or before today; suspended: not exited, whose last suspension or resumption
  is a suspension; active: enrolled, neither exited nor suspended;
- durable-employment rate: exits into durable employment / every exit recorded (exit date within the dates);
- "sorties dynamiques" rate: exits into durable employment, transition employment or a positive exit / every exit;
- durable employment at +N months: follow-ups at +N whose situation is durable employment / follow-ups at +N
  where the person was reached ("not reached" is counted apart, as are follow-ups due and not recorded).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from repairlab.extensions import db
from repairlab.people.models import Territory
from repairlab.programme import queries as programme
from repairlab.programme.models import (
    ACTIVITY_KIND_LABELS,
    EXIT_CATEGORY_LABELS,
    EXIT_SUBTYPE_LABELS,
    FOLLOW_UP_MONTHS,
    ActivitySession,
    ExitCategory,
    SessionAttendance,
)
from repairlab.reporting.rates import durable_employment_rate, dynamic_exit_rate, rate
from repairlab.reporting.registry import ChartSpec, Column, Figure, Section, SectionData, Table, sections
from repairlab.reporting.selection import Selection

DURABLE, TRANSITION, POSITIVE, OTHER = (
    ExitCategory.DURABLE_EMPLOYMENT,
    ExitCategory.TRANSITION_EMPLOYMENT,
    ExitCategory.POSITIVE_EXIT,
    ExitCategory.OTHER_EXIT,
)


def register_sections() -> None:
    """Put the path sections on the indicators page, after enrolment."""
    sections.register(
        "paths",
        Section(
            _l("Paths"),
            _l("Where the talents' paths stand today, and enrolment against each period's target."),
            paths,
            clock="day",
        ),
        order=20,
    )
    sections.register(
        "exits",
        Section(
            _l("Exits"),
            _l("How the talents left the programme, in the French inclusion categories."),
            exits,
            clock="day",
        ),
        order=25,
    )
    sections.register(
        "follow_ups",
        Section(
            _l("Follow-ups"),
            _l("What became of the talents 6, 12 and 24 months after their exit."),
            follow_ups,
            clock="day",
        ),
        order=30,
    )
    sections.register(
        "attendance",
        Section(
            _l("Attendance at activities"),
            _l("Workshops and activities the talents attended."),
            attendance,
            clock="day",
        ),
        order=35,
    )


def paths(sel: Selection) -> SectionData:
    """Path states (one query) and the periods' targets by territory (two queries)."""
    status = programme.path_status_counts(sel.path_filters())
    targets = programme.enrolment_against_targets(sel.territory_id)
    if sel.period_id is not None:
        targets = [t for t in targets if t.period.id == sel.period_id]
    codes = dict(db.session.execute(sa.select(Territory.id, Territory.code)).all())
    return SectionData(
        figures=[
            Figure(
                _l("Talents enrolled"), status.enrolled, _l("Talents of the selection with an enrolment in their path.")
            ),
            Figure(
                _l("Active talents"),
                status.active,
                _l("Enrolled talents who have neither left nor been suspended."),
            ),
            Figure(
                _l("Suspended"),
                status.suspended,
                _l("Talents not exited whose last suspension or resumption is a suspension."),
            ),
            Figure(_l("Exited"), status.exited, _l("Talents with an exit recorded.")),
        ],
        tables=[
            Table(
                "period_targets",
                _l("Enrolment against the period's target, by territory"),
                _l(
                    "Talents enrolled in the period's cohorts of the territory, against the period's target there "
                    "(whatever the cohort and track chosen)."
                ),
                [
                    Column("territory", _l("Territory")),
                    Column("period", _l("Period of the programme")),
                    Column("enrolled", _l("Talents enrolled"), "int"),
                    Column("target", _l("Target"), "int"),
                    Column("rate", _l("Of target"), "percent"),
                ],
                [
                    (
                        codes.get(t.territory_id, ""),
                        t.period.name,
                        t.enrolled,
                        t.target_talents,
                        rate(t.enrolled, t.target_talents),
                    )
                    for t in sorted(targets, key=lambda t: (codes.get(t.territory_id, ""), t.period.number))
                ],
                ChartSpec((0, 1), (2, 3)),
            )
        ],
    )


def exits(sel: Selection) -> SectionData:
    """Exits by category and sub-type, with the two rates: two queries."""
    filters = sel.path_filters()
    by_category = programme.exit_counts_by_category(filters)
    by_subtype = programme.exit_counts_by_subtype(filters)
    total = sum(by_category.values())
    return SectionData(
        figures=[
            Figure(_l("Exits"), total, _l("Talents of the selection who left, exit date within the dates.")),
            Figure(
                _l("Durable-employment rate"),
                durable_employment_rate(by_category[DURABLE], total),
                _l(
                    "Exits into durable employment (CDI, CDD or temping of 6 months or more, civil service, business "
                    "creation) divided by every exit."
                ),
                "percent",
            ),
            Figure(
                _l("“Sorties dynamiques” rate"),
                dynamic_exit_rate(by_category[DURABLE], by_category[TRANSITION], by_category[POSITIVE], total),
                _l("Exits into durable employment, transition employment or a positive exit, divided by every exit."),
                "percent",
            ),
        ],
        tables=[
            Table(
                "by_category",
                _l("Exits by category"),
                _l("Every exit recorded, by its category, and its share of all exits."),
                [
                    Column("category", _l("Category")),
                    Column("exits", _l("Exits"), "int"),
                    Column("share", _l("Share"), "percent"),
                ],
                [
                    (str(EXIT_CATEGORY_LABELS[c]), by_category[c], rate(by_category[c], total))
                    for c in (DURABLE, TRANSITION, POSITIVE, OTHER)
                ],
                ChartSpec((0,), (1,)),
            ),
            Table(
                "by_subtype",
                _l("Exits by situation"),
                _l("The situation within each category."),
                [
                    Column("category", _l("Category")),
                    Column("situation", _l("Situation at exit")),
                    Column("exits", _l("Exits"), "int"),
                ],
                [
                    (str(EXIT_CATEGORY_LABELS[c]), str(EXIT_SUBTYPE_LABELS[s]), n)
                    for (c, s), n in sorted(
                        by_subtype.items(),
                        key=lambda kv: ((DURABLE, TRANSITION, POSITIVE, OTHER).index(kv[0][0]), -kv[1]),
                    )
                ],
            ),
        ],
    )


def follow_ups(sel: Selection) -> SectionData:
    """Follow-ups by milestone and situation, and those due: two queries."""
    counts = programme.follow_up_counts(sel.path_filters())
    rows = []
    for months in FOLLOW_UP_MONTHS:
        c = counts[months]
        reached = sum(c.get(k.value, 0) for k in (DURABLE, TRANSITION, POSITIVE, OTHER))
        rows.append(
            (
                _("At +%(months)d months", months=months),
                *(c.get(k.value, 0) for k in (DURABLE, TRANSITION, POSITIVE, OTHER)),
                c.get("not_reached", 0),
                c.get("due", 0),
                durable_employment_rate(c.get(DURABLE.value, 0), reached),
            )
        )
    return SectionData(
        figures=[
            Figure(
                _("Durable employment at +%(months)d months", months=months),
                row[-1],
                _l("Follow-ups in durable employment divided by the follow-ups where the person was reached."),
                "percent",
            )
            for months, row in zip(FOLLOW_UP_MONTHS, rows, strict=True)
        ],
        tables=[
            Table(
                "by_milestone",
                _l("Situation after the exit"),
                _l(
                    "Follow-ups recorded at each milestone by situation; “not reached” is an answer; “due” are "
                    "milestones passed with no follow-up recorded yet."
                ),
                [
                    Column("milestone", _l("Follow-up milestone")),
                    *(Column(k.value, EXIT_CATEGORY_LABELS[k], "int") for k in (DURABLE, TRANSITION, POSITIVE, OTHER)),
                    Column("not_reached", _l("People not reached"), "int"),
                    Column("due", _l("Due, not recorded"), "int"),
                    Column("durable_rate", _l("Durable-employment rate"), "percent"),
                ],
                rows,
                ChartSpec((0,), (1, 2, 3, 4, 5)),
            )
        ],
    )


def attendance(sel: Selection) -> SectionData:
    """Attendance totals (one query), the share of talents who came (one), and by kind of activity (one)."""
    filters = sel.path_filters()
    totals = programme.attendance_counts(filters)
    talents = db.session.scalar(sa.select(sa.func.count()).select_from(programme.talents_stmt(filters).subquery()))
    by_kind = db.session.execute(
        sa.select(
            ActivitySession.kind,
            sa.func.count(sa.distinct(ActivitySession.id)),
            sa.func.count(SessionAttendance.id),
            sa.func.count(sa.distinct(SessionAttendance.talent_id)),
        )
        .select_from(SessionAttendance)
        .join(ActivitySession, ActivitySession.id == SessionAttendance.session_id)
        .where(SessionAttendance.talent_id.in_(programme.talents_stmt(filters)), *sel.on_days(ActivitySession.held_on))
        .group_by(ActivitySession.kind)
        .order_by(sa.func.count(SessionAttendance.id).desc())
    ).all()
    return SectionData(
        figures=[
            Figure(
                _l("Sessions held"),
                totals.sessions,
                _l("Workshops and activities with at least one talent of the selection present."),
            ),
            Figure(_l("Attendances"), totals.attendances, _l("Presences recorded: one per talent per session.")),
            Figure(
                _l("Talents who came"),
                rate(totals.talents, talents),
                _l("Share of the selection's talents present at least once."),
                "percent",
            ),
            Figure(
                _l("Average attendances per talent present"),
                rate(totals.attendances, totals.talents),
                _l("Attendances divided by the talents present at least once."),
                "number",
            ),
        ],
        tables=[
            Table(
                "by_kind",
                _l("Attendance by kind of activity"),
                _l("Sessions, presences and distinct talents present, by kind of activity."),
                [
                    Column("kind", _l("Activity")),
                    Column("sessions", _l("Sessions held"), "int"),
                    Column("attendances", _l("Attendances"), "int"),
                    Column("talents", _l("Talents present"), "int"),
                ],
                [(str(ACTIVITY_KIND_LABELS[k]), s, a, t) for k, s, a, t in by_kind],
                ChartSpec((0,), (2, 3)),
            )
        ],
    )
