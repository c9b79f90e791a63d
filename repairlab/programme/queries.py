"""Read-side queries of the programme that other domains, the home page and reporting may call: talents' paths,
who needs attention, follow-ups due, and counts for the indicators (aggregates in SQL, never a loop over talents)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from repairlab import clock
from repairlab.extensions import db
from repairlab.people.models import Cohort, Role, Track, User
from repairlab.people.registry import TimelineEntry, timeline_sources
from repairlab.programme.models import (
    FOLLOW_UP_MONTHS,
    ActivitySession,
    CohortPeriod,
    ExitCategory,
    ExitFollowUp,
    PathEvent,
    PathEventKind,
    PeriodTerritoryTarget,
    ProgrammePeriod,
    SessionAttendance,
    TalentExit,
    TalentIntake,
)
from repairlab.programme.services import add_months

# "No activity for N weeks": the default N of the attention list.
QUIET_WEEKS = 4
ATTENTION_ROWS = 50
# A follow-up is listed as due from this many days before its milestone.
FOLLOW_UP_NOTICE_DAYS = 14


# --- The filters reporting shares ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PathFilters:
    """Which talents a count covers: a territory, a period (through its cohorts), a cohort, a track; dates bound
    the events counted (exits by exit date, follow-ups by contact date, attendance by session date)."""

    territory_id: int | None = None
    period_id: int | None = None
    cohort_id: int | None = None
    track: Track | None = None
    start: date | None = None
    end: date | None = None


def talents_stmt(filters: PathFilters) -> sa.Select:
    """The ids of the talents the filters cover (a subquery for every count below); erased talents included, so
    that an erasure changes no figure."""
    stmt = sa.select(User.id).where(User.role == Role.PARTICIPANT)
    if filters.territory_id is not None:
        stmt = stmt.where(User.territory_id == filters.territory_id)
    if filters.cohort_id is not None:
        stmt = stmt.where(User.cohort_id == filters.cohort_id)
    if filters.track is not None:
        stmt = stmt.where(User.track == filters.track)
    if filters.period_id is not None:
        stmt = stmt.join(CohortPeriod, CohortPeriod.cohort_id == User.cohort_id).where(
            CohortPeriod.period_id == filters.period_id
        )
    return stmt


def _between(column, filters: PathFilters):
    conditions = []
    if filters.start is not None:
        conditions.append(column >= filters.start)
    if filters.end is not None:
        conditions.append(column <= filters.end)
    return sa.and_(sa.true(), *conditions)


# --- Counts for the indicators --------------------------------------------------------------------------------------


def exit_counts_by_category(filters: PathFilters) -> dict[ExitCategory, int]:
    """Exits by category among the talents covered, exit date within the dates (one query)."""
    rows = db.session.execute(
        sa.select(TalentExit.category, sa.func.count(TalentExit.id))
        .where(TalentExit.talent_id.in_(talents_stmt(filters)), _between(TalentExit.exit_date, filters))
        .group_by(TalentExit.category)
    )
    counts = dict.fromkeys(ExitCategory, 0)
    counts.update(rows.tuples().all())
    return counts


def exit_counts_by_subtype(filters: PathFilters) -> dict[tuple[ExitCategory, str], int]:
    """Exits by (category, sub-type) among the talents covered (one query)."""
    rows = db.session.execute(
        sa.select(TalentExit.category, TalentExit.subtype, sa.func.count(TalentExit.id))
        .where(TalentExit.talent_id.in_(talents_stmt(filters)), _between(TalentExit.exit_date, filters))
        .group_by(TalentExit.category, TalentExit.subtype)
    )
    return {(category, subtype): n for category, subtype, n in rows}


@dataclass
class PathStatusCounts:
    """Talents covered by their path's state today: enrolled (an enrolment recorded), exited, suspended (not
    exited), active (enrolled, neither exited nor suspended)."""

    talents: int = 0
    enrolled: int = 0
    exited: int = 0
    suspended: int = 0

    @property
    def active(self) -> int:
        """Enrolled, not exited, not suspended."""
        return max(0, self.enrolled - self.exited - self.suspended)


def path_status_counts(filters: PathFilters, on: date | None = None) -> PathStatusCounts:
    """How many talents covered are enrolled, exited, suspended on a day (today by default), in one query."""
    on = on or clock.today()
    talents = talents_stmt(filters).subquery()
    # The last suspension or resumption up to the day decides whether a path is suspended.
    last_pause = (
        sa.select(
            PathEvent.talent_id,
            PathEvent.kind,
            sa.func.row_number()
            .over(partition_by=PathEvent.talent_id, order_by=(PathEvent.occurred_on.desc(), PathEvent.id.desc()))
            .label("row"),
        )
        .where(PathEvent.kind.in_((PathEventKind.SUSPENSION, PathEventKind.RESUMPTION)), PathEvent.occurred_on <= on)
        .subquery()
    )
    enrolled = sa.select(PathEvent.talent_id).where(
        PathEvent.kind == PathEventKind.ENROLMENT, PathEvent.occurred_on <= on
    )
    exited = sa.select(TalentExit.talent_id).where(TalentExit.exit_date <= on)
    suspended = sa.select(last_pause.c.talent_id).where(
        last_pause.c.row == 1, last_pause.c.kind == PathEventKind.SUSPENSION
    )
    row = db.session.execute(
        sa.select(
            sa.func.count(talents.c.id),
            sa.func.count(talents.c.id).filter(talents.c.id.in_(enrolled)),
            sa.func.count(talents.c.id).filter(talents.c.id.in_(exited)),
            sa.func.count(talents.c.id).filter(talents.c.id.in_(suspended), talents.c.id.not_in(exited)),
        )
    ).one()
    return PathStatusCounts(*row)


def follow_up_counts(filters: PathFilters) -> dict[int, dict[str, int]]:
    """Per milestone (6, 12, 24): follow-ups recorded by situation category, "not_reached", and "due" (milestone
    passed, none recorded), among the talents covered (two queries)."""
    out: dict[int, dict[str, int]] = {m: {} for m in FOLLOW_UP_MONTHS}
    situation = sa.case((ExitFollowUp.reached.is_(False), "not_reached"), else_=ExitFollowUp.category)
    rows = db.session.execute(
        sa.select(ExitFollowUp.months_after_exit, situation, sa.func.count(ExitFollowUp.id))
        .where(ExitFollowUp.talent_id.in_(talents_stmt(filters)), _between(ExitFollowUp.contacted_on, filters))
        .group_by(ExitFollowUp.months_after_exit, situation)
    )
    for months, key, n in rows:
        out[months][str(key)] = n
    today = clock.today()
    due = {}
    for months in FOLLOW_UP_MONTHS:
        done = sa.select(ExitFollowUp.talent_id).where(ExitFollowUp.months_after_exit == months)
        due[months] = sa.func.count(TalentExit.id).filter(
            TalentExit.exit_date <= add_months(today, -months), TalentExit.talent_id.not_in(done)
        )
    row = db.session.execute(sa.select(*due.values()).where(TalentExit.talent_id.in_(talents_stmt(filters)))).one()
    for months, n in zip(FOLLOW_UP_MONTHS, row, strict=True):
        out[months]["due"] = n
    return out


@dataclass
class AttendanceCounts:
    """Sessions held, attendances recorded, distinct talents present, and hours attended (sessions with a
    duration), among the talents covered and the sessions within the dates."""

    sessions: int = 0
    attendances: int = 0
    talents: int = 0
    hours: float = 0.0


def attendance_counts(filters: PathFilters) -> AttendanceCounts:
    """Attendance figures (one query)."""
    stmt = (
        sa.select(
            sa.func.count(sa.distinct(ActivitySession.id)),
            sa.func.count(SessionAttendance.id),
            sa.func.count(sa.distinct(SessionAttendance.talent_id)),
            sa.func.coalesce(sa.func.sum(ActivitySession.duration_minutes), 0),
        )
        .select_from(SessionAttendance)
        .join(ActivitySession, ActivitySession.id == SessionAttendance.session_id)
        .where(SessionAttendance.talent_id.in_(talents_stmt(filters)), _between(ActivitySession.held_on, filters))
    )
    sessions, attendances, talents, minutes = db.session.execute(stmt).one()
    return AttendanceCounts(sessions, attendances, talents, round(minutes / 60, 1))


@dataclass(frozen=True)
class TargetRow:
    """A period's target in a territory, with the talents enrolled in that period's cohorts there."""

    period: ProgrammePeriod
    territory_id: int
    start_date: date
    end_date: date
    target_talents: int
    enrolled: int


def enrolment_against_targets(territory_id: int | None = None) -> list[TargetRow]:
    """Per period and territory: the target and the talents enrolled (an enrolment event in a cohort of that period
    there), in one query."""
    enrolled = (
        sa.select(
            CohortPeriod.period_id,
            Cohort.territory_id,
            sa.func.count(PathEvent.id).label("n"),
        )
        .join(Cohort, Cohort.id == CohortPeriod.cohort_id)
        .join(PathEvent, sa.and_(PathEvent.cohort_id == Cohort.id, PathEvent.kind == PathEventKind.ENROLMENT))
        .group_by(CohortPeriod.period_id, Cohort.territory_id)
        .subquery()
    )
    stmt = (
        sa.select(PeriodTerritoryTarget, ProgrammePeriod, sa.func.coalesce(enrolled.c.n, 0))
        .join(ProgrammePeriod, ProgrammePeriod.id == PeriodTerritoryTarget.period_id)
        .outerjoin(
            enrolled,
            sa.and_(
                enrolled.c.period_id == PeriodTerritoryTarget.period_id,
                enrolled.c.territory_id == PeriodTerritoryTarget.territory_id,
            ),
        )
        .order_by(ProgrammePeriod.number, PeriodTerritoryTarget.territory_id)
    )
    if territory_id is not None:
        stmt = stmt.where(PeriodTerritoryTarget.territory_id == territory_id)
    return [
        TargetRow(period, target.territory_id, target.start_date, target.end_date, target.target_talents, n)
        for target, period, n in db.session.execute(stmt)
    ]


def periods() -> list[ProgrammePeriod]:
    """Every period, by number, with its targets per territory (two queries)."""
    return list(
        db.session.scalars(
            sa.select(ProgrammePeriod)
            .options(sa.orm.selectinload(ProgrammePeriod.territory_targets))
            .order_by(ProgrammePeriod.number)
        )
    )


def cohort_periods() -> dict[int, int]:
    """cohort id -> period id, for every cohort in a period."""
    return dict(db.session.execute(sa.select(CohortPeriod.cohort_id, CohortPeriod.period_id)).tuples().all())


# --- One talent's path ----------------------------------------------------------------------------------------------


def timeline(talent: User, viewer: User) -> list[TimelineEntry]:
    """Every dated entry the domains hold about the talent, newest first (each source runs a bounded query)."""
    entries: list[TimelineEntry] = []
    for source in timeline_sources:
        entries.extend(source(talent, viewer))
    return sorted(entries, key=lambda e: e.on, reverse=True)


def attended_sessions(talent: User, limit: int = 200) -> list[ActivitySession]:
    """The sessions a talent attended, newest first."""
    return list(
        db.session.scalars(
            sa.select(ActivitySession)
            .join(SessionAttendance, SessionAttendance.session_id == ActivitySession.id)
            .where(SessionAttendance.talent_id == talent.id)
            .order_by(ActivitySession.held_on.desc(), ActivitySession.id.desc())
            .limit(limit)
        )
    )


# --- Who needs attention --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueFollowUp:
    """A follow-up to make: the talent, their exit and the milestone."""

    talent: User
    talent_exit: TalentExit
    months: int
    due_on: date


def follow_ups_due(
    territory_id: int | None, *, limit: int = ATTENTION_ROWS, today: date | None = None
) -> list[DueFollowUp]:
    """Follow-ups due (from two weeks before their milestone) and not recorded, oldest first: one query."""
    today = today or clock.today()
    horizon = today + timedelta(days=FOLLOW_UP_NOTICE_DAYS)
    parts = []
    for months in FOLLOW_UP_MONTHS:
        done = sa.select(ExitFollowUp.talent_id).where(ExitFollowUp.months_after_exit == months)
        part = sa.select(TalentExit.id.label("exit_id"), sa.literal(months).label("months")).where(
            TalentExit.exit_date <= add_months(horizon, -months), TalentExit.talent_id.not_in(done)
        )
        if territory_id is not None:
            part = part.where(TalentExit.territory_id == territory_id)
        parts.append(part)
    due = sa.union_all(*parts).subquery()
    rows = db.session.execute(
        sa.select(TalentExit, due.c.months)
        .join(due, due.c.exit_id == TalentExit.id)
        .join(User, User.id == TalentExit.talent_id)
        .where(User.erased_at.is_(None))
        .options(joinedload(TalentExit.talent))
        .order_by(TalentExit.exit_date, due.c.months, TalentExit.id)
        .limit(limit)
    ).all()
    out = [DueFollowUp(e.talent, e, m, add_months(e.exit_date, m)) for e, m in rows]
    return sorted(out, key=lambda d: (d.due_on, d.talent.full_name))


@dataclass(frozen=True)
class QuietTalent:
    """A talent with no recorded activity for a while: the day of their last activity (None: never)."""

    talent: User
    last_activity: date | None


def _followed_talents(territory_id: int | None) -> sa.Select:
    stmt = sa.select(User.id).where(User.role == Role.PARTICIPANT, User.active.is_(True), User.erased_at.is_(None))
    if territory_id is not None:
        stmt = stmt.where(User.territory_id == territory_id)
    return stmt


def quiet_talents(
    territory_id: int | None, *, weeks: int = QUIET_WEEKS, limit: int = ATTENTION_ROWS, today: date | None = None
) -> list[QuietTalent]:
    """Active talents, not exited nor suspended, with no session attended, path step or intake for `weeks` weeks,
    longest quiet first (one query)."""
    today = today or clock.today()
    since = today - timedelta(weeks=weeks)
    followed = _followed_talents(territory_id)

    def of_followed(stmt: sa.Select, talent_id: sa.ColumnElement) -> sa.Select:
        # A territory's talents' activity only, not the whole programme's (each kind read by its talent index).
        return stmt.where(talent_id.in_(followed)) if territory_id is not None else stmt

    activity = sa.union_all(
        of_followed(
            sa.select(SessionAttendance.talent_id.label("talent_id"), ActivitySession.held_on.label("on")).join(
                ActivitySession, ActivitySession.id == SessionAttendance.session_id
            ),
            SessionAttendance.talent_id,
        ),
        of_followed(sa.select(PathEvent.talent_id, PathEvent.occurred_on), PathEvent.talent_id),
        of_followed(sa.select(TalentIntake.talent_id, TalentIntake.intake_date), TalentIntake.talent_id),
    ).subquery()
    last = (
        sa.select(activity.c.talent_id, sa.func.max(activity.c.on).label("last_on"))
        .group_by(activity.c.talent_id)
        .subquery()
    )
    last_pause = (
        sa.select(
            PathEvent.talent_id,
            PathEvent.kind,
            sa.func.row_number()
            .over(partition_by=PathEvent.talent_id, order_by=(PathEvent.occurred_on.desc(), PathEvent.id.desc()))
            .label("row"),
        )
        .where(PathEvent.kind.in_((PathEventKind.SUSPENSION, PathEventKind.RESUMPTION)))
        .subquery()
    )
    suspended = sa.select(last_pause.c.talent_id).where(
        last_pause.c.row == 1, last_pause.c.kind == PathEventKind.SUSPENSION
    )
    stmt = (
        sa.select(User, last.c.last_on)
        .outerjoin(last, last.c.talent_id == User.id)
        .where(
            User.id.in_(followed),
            User.id.not_in(sa.select(TalentExit.talent_id)),
            User.id.not_in(suspended),
            sa.or_(last.c.last_on.is_(None), last.c.last_on < since),
        )
        .order_by(last.c.last_on.asc().nulls_first(), User.full_name)
        .limit(limit)
    )
    return [QuietTalent(user, last_on) for user, last_on in db.session.execute(stmt)]


@dataclass(frozen=True)
class ExitMissing:
    """A talent whose cohort has ended with no exit recorded."""

    talent: User
    cohort: Cohort


def exits_missing(
    territory_id: int | None, *, limit: int = ATTENTION_ROWS, today: date | None = None
) -> list[ExitMissing]:
    """Talents whose cohort ended before today and whose exit is not recorded, by cohort end (one query)."""
    today = today or clock.today()
    stmt = (
        sa.select(User, Cohort)
        .join(Cohort, Cohort.id == User.cohort_id)
        .where(
            User.id.in_(_followed_talents(territory_id)),
            Cohort.end_date < today,
            User.id.not_in(sa.select(TalentExit.talent_id)),
        )
        .order_by(Cohort.end_date, User.full_name)
        .limit(limit)
    )
    return [ExitMissing(user, cohort) for user, cohort in db.session.execute(stmt)]


@dataclass
class Attention:
    """The "who needs attention" list of a territory (all for None)."""

    quiet: list[QuietTalent] = field(default_factory=list)
    follow_ups: list[DueFollowUp] = field(default_factory=list)
    exits: list[ExitMissing] = field(default_factory=list)

    @property
    def total(self) -> int:
        """How many lines in all."""
        return len(self.quiet) + len(self.follow_ups) + len(self.exits)


def attention(territory_id: int | None, *, weeks: int = QUIET_WEEKS, limit: int = ATTENTION_ROWS) -> Attention:
    """Who needs attention: quiet talents, follow-ups due, exits not recorded at cohort end (three queries)."""
    return Attention(
        quiet_talents(territory_id, weeks=weeks, limit=limit),
        follow_ups_due(territory_id, limit=limit),
        exits_missing(territory_id, limit=limit),
    )
