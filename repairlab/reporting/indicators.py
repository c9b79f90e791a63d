"""The indicators page's sections on what every domain already records: enrolment, skills and Open Badges, loans
and tool use, projects by stage and the time they spend there, businesses, jobs and revenue.

Each section counts in the database (GROUP BY, COUNT, SUM, window functions), in a fixed number of queries
whatever the number of talents; Python only shapes the few rows that come back.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from repairlab.clock import utcnow
from repairlab.extensions import UTCDateTime, db
from repairlab.inventory.models import Category, Item
from repairlab.lending.models import Loan, LoanKind
from repairlab.people.models import TRACK_LABELS, Cohort, Territory, Track, User
from repairlab.projects.models import (
    PROJECT_STATUS_LABELS,
    FigureEntry,
    MentorSession,
    Metric,
    Project,
    ProjectStage,
    ProjectStatus,
    StageChange,
)
from repairlab.reporting.rates import rate
from repairlab.reporting.registry import ChartSpec, Column, Figure, Section, SectionData, Table, sections
from repairlab.reporting.selection import Selection
from repairlab.reporting.sql import count_distinct_if, count_if, days_between
from repairlab.skills.models import LEVEL_LABELS, Skill, SkillDomain, SkillLevel, SkillValidation, ValidationKind
from repairlab.skills.models import ValidationStatus as VS

TOP_CATEGORIES = 10


def register_sections() -> None:
    """Put this module's sections on the indicators page (the programme's and the repairs' come between)."""
    sections.register(
        "enrolment",
        Section(
            _l("Enrolment in the cohorts"),
            _l("Talents enrolled in the cohorts, against each cohort's target."),
            enrolment,
            clock="day",
        ),
        order=10,
    )
    sections.register(
        "skills",
        Section(
            _l("Skills and Open Badges"), _l("Skills validated by the staff, by domain and level."), skills, clock="day"
        ),
        order=40,
    )
    sections.register(
        "loans",
        Section(_l("Loans and tool use"), _l("Tools lent to the talents, and which kinds of tools."), loans),
        order=50,
    )
    sections.register(
        "projects",
        Section(
            _l("Projects by stage"),
            _l("Incubated projects, where they stand and how long they stay at each stage."),
            projects,
        ),
        order=70,
    )
    sections.register(
        "economy",
        Section(
            _l("Businesses, jobs and revenue"), _l("What the projects report in their figures."), economy, clock="day"
        ),
        order=80,
    )


# --- Enrolment ------------------------------------------------------------------------------------------------


def enrolment(sel: Selection) -> SectionData:
    """Talents by cohort against its target, and by track: two queries."""
    talent = aliased(User)
    in_cohort = sa.and_(talent.cohort_id == Cohort.id, *sel.talent_conditions(talent))
    by_cohort = db.session.execute(
        sa.select(Territory.code, Cohort.name, Cohort.target_talents, sa.func.count(talent.id))
        .select_from(Cohort)
        .join(Territory, Cohort.territory_id == Territory.id)
        .outerjoin(talent, in_cohort)
        .where(*sel.cohort_conditions())
        .group_by(Territory.code, Cohort.id, Cohort.name, Cohort.target_talents, Cohort.start_date)
        .order_by(Territory.code, Cohort.start_date, Cohort.name)
    ).all()
    by_track = db.session.execute(
        sa.select(User.track, sa.func.count(User.id), count_if(User.active.is_(True)))
        .where(*sel.talent_conditions())
        .group_by(User.track)
    ).all()
    enrolled = sum(n for _t, n, _a in by_track)
    active = sum(a for _t, _n, a in by_track)
    in_cohorts = sum(n for *_x, n in by_cohort)
    target = sum(t for _c, _n, t, _x in by_cohort)
    tracks = {track: (n, a) for track, n, a in by_track}
    return SectionData(
        figures=[
            Figure(_l("Talents enrolled"), enrolled, _l("Accounts with the talent role in the selection.")),
            Figure(_l("Cohorts' target"), target, _l("Sum of the targets of the cohorts shown.")),
            Figure(
                _l("Enrolled against target"),
                rate(in_cohorts, target),
                _l("Talents in the cohorts shown divided by the sum of their targets."),
                "percent",
            ),
            Figure(
                _l("Accounts still open"),
                active,
                _l("Talents whose account is active (not closed by an administrator)."),
            ),
        ],
        tables=[
            Table(
                "by_cohort",
                _l("Enrolment against target, by cohort"),
                _l("Talents whose cohort is this one, and the cohort's target."),
                [
                    Column("territory", _l("Territory")),
                    Column("cohort", _l("Cohort")),
                    Column("enrolled", _l("Talents enrolled"), "int"),
                    Column("target", _l("Target"), "int"),
                    Column("rate", _l("Of target"), "percent"),
                ],
                [(code, name, n, t, rate(n, t)) for code, name, t, n in by_cohort],
                ChartSpec((0, 1), (2, 3)),
            ),
            Table(
                "by_track",
                _l("Talents by track"),
                _l("Talents by the track they chose; “none yet” when they have not chosen."),
                [
                    Column("track", _l("Track")),
                    Column("talents", _l("Talents"), "int"),
                    Column("active", _l("Accounts still open"), "int"),
                ],
                [
                    (str(TRACK_LABELS[t]) if t else _("None yet"), *tracks.get(t, (0, 0)))
                    for t in (*Track, None)
                    if sel.track is None or t == sel.track
                ],
                ChartSpec((0,), (1,)),
            ),
        ],
    )


# --- Skills and Open Badges -----------------------------------------------------------------------------------


def _validations(sel: Selection):
    return (
        sa.select()
        .select_from(SkillValidation)
        .join(User, User.id == SkillValidation.talent_id)
        .where(*sel.talent_conditions(), *sel.on_days(SkillValidation.validated_on))
    )


def skills(sel: Selection) -> SectionData:
    """Validations by domain and level, and the totals: two queries."""
    staff = sa.and_(SkillValidation.kind == ValidationKind.VALIDATED, SkillValidation.status != VS.WITHDRAWN)
    rows = db.session.execute(
        _validations(sel)
        .join(Skill, Skill.id == SkillValidation.skill_id)
        .join(SkillDomain, SkillDomain.id == Skill.domain_id)
        .add_columns(SkillDomain.name, SkillValidation.level, sa.func.count())
        .where(staff)
        .group_by(SkillDomain.id, SkillDomain.name, SkillDomain.position, SkillValidation.level)
        .order_by(SkillDomain.position, SkillDomain.name)
    ).all()
    totals = db.session.execute(
        _validations(sel).add_columns(
            count_if(staff),
            count_distinct_if(staff, SkillValidation.talent_id),
            count_if(SkillValidation.kind == ValidationKind.VALIDATED),
            count_if(SkillValidation.status == VS.WITHDRAWN),
            count_if(SkillValidation.kind == ValidationKind.DECLARED),
        )
    ).one()
    validated, talents, badges, withdrawn, declared = totals
    levels = list(SkillLevel)
    grid: dict[str, dict[int, int]] = {}
    for domain, level, n in rows:
        grid.setdefault(domain, {})[level] = n
    table_rows = [
        (domain, *(counts.get(int(level), 0) for level in levels), sum(counts.values()))
        for domain, counts in grid.items()
    ]
    return SectionData(
        figures=[
            Figure(
                _l("Skills validated"),
                validated,
                _l("Validations recorded by a mentor or lab manager in the period, not withdrawn."),
            ),
            Figure(
                _l("Talents with a validated skill"),
                talents,
                _l("Talents with at least one such validation in the period."),
            ),
            Figure(
                _l("Open Badges issued"),
                badges,
                _l("Every staff validation is published as an Open Badge; those withdrawn since are counted too."),
            ),
            Figure(
                _l("Open Badges withdrawn"), withdrawn, _l("Validations of the period withdrawn since, with a reason.")
            ),
            Figure(
                _l("Skills declared by talents"),
                declared,
                _l("Skills the talents declared themselves, not yet vouched for by the staff."),
            ),
        ],
        tables=[
            Table(
                "by_domain_level",
                _l("Skills validated, by domain and level"),
                _l("Staff validations of the period, not withdrawn, by the level reached."),
                [
                    Column("domain", _l("Domain")),
                    *(Column(f"level_{int(level)}", LEVEL_LABELS[level], "int") for level in levels),
                    Column("total", _l("Total"), "int"),
                ],
                table_rows,
                ChartSpec((0,), tuple(range(1, len(levels) + 1))),
            )
        ],
    )


# --- Loans and tool use ---------------------------------------------------------------------------------------


def _loans(sel: Selection):
    return (
        sa.select()
        .select_from(Loan)
        .join(User, User.id == Loan.borrower_id)
        .where(*sel.talent_conditions(), *sel.at_times(Loan.started_at))
    )


def loans(sel: Selection) -> SectionData:
    """Loans, borrowers, late returns, and the kinds of tools most lent: two queries."""
    now = sa.literal(utcnow(), UTCDateTime())
    late = sa.or_(Loan.returned_at > Loan.due_at, sa.and_(Loan.returned_at.is_(None), Loan.due_at < now))
    total, borrowers, take_home, late_n = db.session.execute(
        _loans(sel).add_columns(
            sa.func.count(),
            sa.func.count(sa.distinct(Loan.borrower_id)),
            count_if(Loan.kind == LoanKind.TAKE_HOME),
            count_if(late),
        )
    ).one()
    by_category = db.session.execute(
        _loans(sel)
        .join(Item, Item.id == Loan.item_id)
        .outerjoin(Category, Category.id == Item.category_id)
        .add_columns(Category.path, sa.func.count(), sa.func.count(sa.distinct(Loan.borrower_id)))
        .group_by(Category.id, Category.path)
        .order_by(sa.func.count().desc(), Category.path)
        .limit(TOP_CATEGORIES)
    ).all()
    return SectionData(
        figures=[
            Figure(_l("Loans"), total, _l("Tools lent to talents of the selection, started in the period.")),
            Figure(_l("Talents who borrowed"), borrowers, _l("Talents with at least one such loan.")),
            Figure(
                _l("Taken home"),
                rate(take_home, total),
                _l("Share of the loans taken home rather than used in the lab."),
                "percent",
            ),
            Figure(
                _l("Returned late"),
                rate(late_n, total),
                _l("Share of the loans returned after their due time, or still out past it."),
                "percent",
            ),
        ],
        tables=[
            Table(
                "by_category",
                _l("Most lent kinds of tools"),
                _l("Loans of the period by the tool's category (the ten most lent)."),
                [
                    Column("category", _l("Category")),
                    Column("loans", _l("Loans"), "int"),
                    Column("borrowers", _l("Talents who borrowed"), "int"),
                ],
                [(path or _("No category"), n, b) for path, n, b in by_category],
                ChartSpec((0,), (1,)),
            )
        ],
    )


# --- Projects by stage ----------------------------------------------------------------------------------------


def projects(sel: Selection) -> SectionData:
    """Projects by stage and status, time spent per stage, mentor sessions: three queries."""
    in_stage = sa.and_(Project.stage_id == ProjectStage.id, *sel.project_conditions())
    rows = db.session.execute(
        sa.select(ProjectStage.id, ProjectStage.name, Project.status, sa.func.count(Project.id))
        .select_from(ProjectStage)
        .outerjoin(Project, in_stage)
        .group_by(ProjectStage.id, ProjectStage.name, ProjectStage.position, Project.status)
        .order_by(ProjectStage.position, ProjectStage.name)
    ).all()
    statuses = list(ProjectStatus)
    stages: dict[int, tuple[str, dict]] = {}
    for stage_id, name, status, n in rows:
        stages.setdefault(stage_id, (name, {}))[1][status] = n
    by_stage = [
        (name, *(counts.get(s, 0) for s in statuses), sum(n for s, n in counts.items() if s is not None))
        for name, counts in stages.values()
    ]
    times = _time_per_stage(sel)
    time_rows = [(name, *times.get(stage_id, (0, None, 0, None))) for stage_id, (name, _c) in stages.items()]
    sessions, minutes = db.session.execute(
        sa.select(sa.func.count(MentorSession.id), sa.func.coalesce(sa.func.sum(MentorSession.duration_minutes), 0))
        .join(Project, Project.id == MentorSession.project_id)
        .where(*sel.project_conditions(), *sel.on_days(MentorSession.held_on))
    ).one()
    total = sum(row[-1] for row in by_stage)
    return SectionData(
        figures=[
            Figure(_l("Projects"), total, _l("Incubated projects of the selection, whatever their status.")),
            Figure(
                _l("Mentor sessions"),
                sessions,
                _l("Mentoring sessions held in the period with the teams of these projects."),
            ),
            Figure(
                _l("Hours of mentoring"),
                Decimal(minutes) / 60,
                _l("Total length of those sessions, in hours."),
                "number",
            ),
        ],
        tables=[
            Table(
                "by_stage",
                _l("Projects by stage and status"),
                _l("Where each project stands today: its current stage, and whether it is active."),
                [
                    Column("stage", _l("Stage")),
                    *(Column(s.value, PROJECT_STATUS_LABELS[s], "int") for s in statuses),
                    Column("total", _l("Total"), "int"),
                ],
                by_stage,
                ChartSpec((0,), tuple(range(1, len(statuses) + 1))),
            ),
            Table(
                "time_per_stage",
                _l("Time spent per stage"),
                _l(
                    "From the stage changes: a stay runs from the move into a stage to the next move (finished) "
                    "or to today (still there); stays that began in the period."
                ),
                [
                    Column("stage", _l("Stage")),
                    Column("finished", _l("Finished stays"), "int"),
                    Column("finished_days", _l("Average days (finished)"), "days"),
                    Column("ongoing", _l("Projects still there"), "int"),
                    Column("ongoing_days", _l("Average days so far"), "days"),
                ],
                time_rows,
                ChartSpec((0,), (2, 4)),
            ),
        ],
    )


def _time_per_stage(sel: Selection) -> dict[int, tuple[int, float | None, int, float | None]]:
    """stage id -> (finished stays, their average days, ongoing stays, their average days so far): one query.

    Each stage change opens a stay in its stage; the project's next change (LEAD over its changes) closes it.
    """
    next_change = sa.func.lead(StageChange.changed_at).over(
        partition_by=StageChange.project_id, order_by=(StageChange.changed_at, StageChange.id)
    )
    stays = (
        sa.select(
            StageChange.to_stage_id.label("stage_id"),
            StageChange.changed_at.label("start"),
            next_change.label("end"),
        )
        .join(Project, Project.id == StageChange.project_id)
        .where(*sel.project_conditions())
        .subquery()
    )
    now = sa.literal(utcnow(), UTCDateTime())
    finished = stays.c.end.is_not(None)
    rows = db.session.execute(
        sa.select(
            stays.c.stage_id,
            count_if(finished),
            sa.func.avg(sa.case((finished, days_between(stays.c.start, stays.c.end)))),
            count_if(~finished),
            sa.func.avg(sa.case((~finished, days_between(stays.c.start, now)))),
        )
        .where(*sel.at_times(stays.c.start))
        .group_by(stays.c.stage_id)
    ).all()
    return {
        stage_id: (done, _round(done_days), ongoing, _round(ongoing_days))
        for stage_id, done, done_days, ongoing, ongoing_days in rows
    }


def _round(days) -> float | None:
    return None if days is None else round(float(days), 1)


# --- Businesses, jobs and revenue -----------------------------------------------------------------------------


def economy(sel: Selection) -> SectionData:
    """Launched businesses, revenue in the period and jobs (latest figure of each project) by territory: three
    queries."""
    launched_rows = db.session.execute(
        sa.select(Territory.code, count_if(Project.status == ProjectStatus.LAUNCHED), sa.func.count(Project.id))
        .join(Territory, Territory.id == Project.territory_id)
        .where(*sel.project_conditions())
        .group_by(Territory.code)
    ).all()
    revenue_rows = db.session.execute(
        sa.select(Territory.code, sa.func.sum(FigureEntry.value))
        .join(Project, Project.id == FigureEntry.project_id)
        .join(Territory, Territory.id == Project.territory_id)
        .where(FigureEntry.metric == Metric.REVENUE, *sel.project_conditions(), *sel.on_days(FigureEntry.recorded_on))
        .group_by(Territory.code)
    ).all()
    up_to = [FigureEntry.recorded_on <= sel.date_to] if sel.date_to is not None else []
    latest = (
        sa.select(FigureEntry.project_id, sa.func.max(FigureEntry.recorded_on).label("day"))
        .where(FigureEntry.metric == Metric.JOBS, *up_to)
        .group_by(FigureEntry.project_id)
        .subquery()
    )
    jobs_rows = db.session.execute(
        sa.select(Territory.code, sa.func.sum(FigureEntry.value))
        .join(latest, sa.and_(FigureEntry.project_id == latest.c.project_id, FigureEntry.recorded_on == latest.c.day))
        .join(Project, Project.id == FigureEntry.project_id)
        .join(Territory, Territory.id == Project.territory_id)
        .where(FigureEntry.metric == Metric.JOBS, *sel.project_conditions())
        .group_by(Territory.code)
    ).all()
    table: dict[str, list] = defaultdict(lambda: [0, 0, Decimal(0), Decimal(0)])
    for code, launched, total in launched_rows:
        table[code][0:2] = [launched, total]
    for code, value in revenue_rows:
        table[code][2] = value or Decimal(0)
    for code, value in jobs_rows:
        table[code][3] = value or Decimal(0)
    rows = [(code, *values) for code, values in sorted(table.items())]
    return SectionData(
        figures=[
            Figure(
                _l("Businesses created"),
                sum(r[1] for r in rows),
                _l("Projects whose activity is launched (status “launched”)."),
            ),
            Figure(
                _l("Revenue"),
                sum((r[3] for r in rows), Decimal(0)),
                _l("Sum of the revenue figures the projects recorded in the period, in euros."),
                "euros",
            ),
            Figure(
                _l("Jobs created"),
                sum((r[4] for r in rows), Decimal(0)),
                _l("Sum of each project's latest “jobs created” figure (full-time equivalent) up to the period's end."),
                "number",
            ),
        ],
        tables=[
            Table(
                "by_territory",
                _l("Businesses, revenue and jobs, by territory"),
                _l("Launched businesses among the projects, revenue of the period, latest jobs figure."),
                [
                    Column("territory", _l("Territory")),
                    Column("launched", _l("Businesses created"), "int"),
                    Column("projects", _l("Projects"), "int"),
                    Column("revenue", _l("Revenue"), "euros"),
                    Column("jobs", _l("Jobs created"), "number"),
                ],
                rows,
                ChartSpec((0,), (1, 2)),
            )
        ],
    )
