"""When a questionnaire is asked of whom: computed from the dates of each talent's path (intake, enrolment + N weeks,
exit, exit + 6, 12, 24 months), never stored until the talent starts answering.

A moment falls due on its day and stays open for ANSWER_WINDOW_DAYS; a response begun may be finished within a
second window. It is overdue OVERDUE_AFTER_DAYS after its day. Questionnaires are asked only of talents who consented
to the evaluation and did not withdraw, whose account is active, and only while the moment makes sense (nothing "at
intake" or "after N weeks" once the talent has left).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from repairlab import clock
from repairlab.extensions import db
from repairlab.people.models import Role, User
from repairlab.programme.models import PathEvent, PathEventKind, TalentExit, TalentIntake
from repairlab.programme.questionnaires.models import (
    FOLLOW_UP_MOMENTS,
    MomentKind,
    Questionnaire,
    QuestionnaireResponse,
    QuestionnaireVersion,
    ResponseStatus,
    VersionStatus,
)
from repairlab.programme.services import add_months

# A moment stays open six weeks after its day (then it is missed, unless the talent had begun): an answer given
# later would no longer say how things were at that moment.
ANSWER_WINDOW_DAYS = 42
# Mentors see a questionnaire as overdue this many days after its day.
OVERDUE_AFTER_DAYS = 14
# "Later": the default postponement.
DEFAULT_POSTPONE_DAYS = 7
# The moments that precede the exit: not asked once the talent has left.
_BEFORE_EXIT = frozenset({MomentKind.INTAKE, MomentKind.WEEKS_AFTER_ENROLMENT})


@dataclass(frozen=True)
class PathDates:
    """The days of a talent's path that moments hang on, and whether the talent's consent to the evaluation holds
    (given and not withdrawn)."""

    talent_id: int
    territory_id: int | None
    intake_on: date | None = None
    enrolled_on: date | None = None
    exited_on: date | None = None
    consented: bool = False


def due_on(moment: MomentKind, weeks: int, dates: PathDates) -> date | None:
    """The day a moment falls due on this path, or None when the path has no such day (yet), or when the moment
    comes after the talent left although it belongs before the exit."""
    if moment == MomentKind.INTAKE:
        day = dates.intake_on
    elif moment == MomentKind.WEEKS_AFTER_ENROLMENT:
        day = dates.enrolled_on + timedelta(weeks=weeks) if dates.enrolled_on is not None else None
    elif moment == MomentKind.EXIT:
        day = dates.exited_on
    else:
        day = add_months(dates.exited_on, FOLLOW_UP_MOMENTS[moment]) if dates.exited_on is not None else None
    if day is None:
        return None
    if moment in _BEFORE_EXIT and dates.exited_on is not None and dates.exited_on <= day:
        return None
    return day


def closes_on(due: date) -> date:
    """The last day a moment due on that day may be begun."""
    return due + timedelta(days=ANSWER_WINDOW_DAYS)


def finishes_on(due: date) -> date:
    """The last day a response begun for a moment due on that day may be finished (a second window): after it, a
    response left half-way is no longer asked, and counts as not answered."""
    return due + timedelta(days=2 * ANSWER_WINDOW_DAYS)


@dataclass
class ScheduledMoment:
    """A moment of a talent's path at which a questionnaire is (or was) asked, with its response if one exists."""

    talent_id: int
    territory_id: int | None
    questionnaire: Questionnaire
    version: QuestionnaireVersion  # the response's version, or the version published now
    moment: MomentKind
    weeks: int
    due_on: date
    response: QuestionnaireResponse | None = None

    @property
    def key(self) -> tuple[int, MomentKind, int]:
        """(questionnaire id, moment, weeks): what a response is unique by, with the talent."""
        return (self.questionnaire.id, self.moment, self.weeks)

    @property
    def status(self) -> ResponseStatus | None:
        """The response's status; None when not begun."""
        return self.response.status if self.response is not None else None

    @property
    def answered(self) -> bool:
        """Completed or declined: nothing more is asked."""
        return self.status in (ResponseStatus.COMPLETED, ResponseStatus.DECLINED)

    def is_open(self, today: date) -> bool:
        """Whether it may be answered today: due, not answered, within its window (a second one when begun)."""
        if self.answered or self.due_on > today:
            return False
        return today <= (finishes_on(self.due_on) if self.response is not None else closes_on(self.due_on))

    def is_postponed(self, today: date) -> bool:
        """Whether the talent chose to answer later than today."""
        return (
            self.response is not None
            and self.response.postponed_until is not None
            and (self.response.postponed_until > today)
        )

    def is_overdue(self, today: date) -> bool:
        """Open, and more than OVERDUE_AFTER_DAYS past its day."""
        return self.is_open(today) and (today - self.due_on).days > OVERDUE_AFTER_DAYS

    def is_missed(self, today: date) -> bool:
        """Not answered, and no longer asked: never begun within its window, or left half-way."""
        return not self.answered and self.due_on <= today and not self.is_open(today)


@dataclass(frozen=True)
class AskedMoment:
    """A moment at which a questionnaire is asked, with the version published now."""

    questionnaire: Questionnaire
    version: QuestionnaireVersion
    moment: MomentKind
    weeks: int


def asked_moments() -> list[AskedMoment]:
    """Every moment of every questionnaire that has a published version (one query, and one for the moments)."""
    versions = db.session.scalars(
        sa.select(QuestionnaireVersion)
        .where(QuestionnaireVersion.status == VersionStatus.PUBLISHED)
        .options(
            selectinload(QuestionnaireVersion.questionnaire).selectinload(Questionnaire.moments),
        )
        .order_by(QuestionnaireVersion.questionnaire_id)
    )
    return [
        AskedMoment(version.questionnaire, version, moment.moment, moment.weeks)
        for version in versions
        for moment in version.questionnaire.moments
    ]


def followed_talents(territory_id: int | None = None) -> sa.Select:
    """The ids of the talents questionnaires may be asked of: active talents' accounts, not erased."""
    stmt = sa.select(User.id).where(User.role == Role.PARTICIPANT, User.active.is_(True), User.erased_at.is_(None))
    if territory_id is not None:
        stmt = stmt.where(User.territory_id == territory_id)
    return stmt


def consent_holds() -> sa.ColumnElement[bool]:
    """The SQL condition on TalentIntake: consent to the evaluation given and not withdrawn."""
    return sa.and_(TalentIntake.evaluation_consent.is_(True), TalentIntake.consent_withdrawn_on.is_(None))


def path_dates(talent_ids: sa.Select) -> dict[int, PathDates]:
    """The path's days and consent of each talent of the statement (one query)."""
    enrolment = aliased(PathEvent)
    rows = db.session.execute(
        sa.select(
            User.id,
            User.territory_id,
            TalentIntake.intake_date,
            enrolment.occurred_on,
            TalentExit.exit_date,
            sa.func.coalesce(consent_holds(), sa.false()),
        )
        .outerjoin(TalentIntake, TalentIntake.talent_id == User.id)
        .outerjoin(enrolment, sa.and_(enrolment.talent_id == User.id, enrolment.kind == PathEventKind.ENROLMENT))
        .outerjoin(TalentExit, TalentExit.talent_id == User.id)
        .where(User.id.in_(talent_ids))
    )
    return {
        talent_id: PathDates(talent_id, territory_id, intake_on, enrolled_on, exited_on, bool(consented))
        for talent_id, territory_id, intake_on, enrolled_on, exited_on, consented in rows
    }


def schedule(talent_ids: sa.Select, *, today: date | None = None) -> list[ScheduledMoment]:
    """Every moment due by today for the consenting talents of the statement, with its response if begun; and
    every response of theirs, even one whose moment no longer applies (four queries)."""
    today = today or clock.today()
    dates = {k: v for k, v in path_dates(talent_ids).items() if v.consented}
    if not dates:
        return []
    asked = asked_moments()
    responses = db.session.scalars(
        sa.select(QuestionnaireResponse)
        .where(QuestionnaireResponse.talent_id.in_(list(dates)))
        .options(selectinload(QuestionnaireResponse.version), selectinload(QuestionnaireResponse.questionnaire))
    ).all()
    by_key = {(r.talent_id, r.questionnaire_id, r.moment, r.weeks): r for r in responses}
    out: list[ScheduledMoment] = []
    for path in dates.values():
        for one in asked:
            day = due_on(one.moment, one.weeks, path)
            if day is None or day > today:
                continue
            response = by_key.pop((path.talent_id, one.questionnaire.id, one.moment, one.weeks), None)
            version = response.version if response is not None else one.version
            out.append(
                ScheduledMoment(
                    path.talent_id, path.territory_id, one.questionnaire, version, one.moment, one.weeks, day, response
                )
            )
    # Begun, but the moment no longer applies (moved, or taken off the questionnaire): still shown as it is.
    out.extend(
        ScheduledMoment(r.talent_id, r.territory_id, r.questionnaire, r.version, r.moment, r.weeks, r.due_on, r)
        for r in by_key.values()
    )
    return sorted(out, key=lambda s: (s.talent_id, s.due_on, s.questionnaire.id, s.weeks))


def to_answer(talent: User, *, today: date | None = None) -> list[ScheduledMoment]:
    """What the talent has to answer today: open moments, not postponed past today, oldest first."""
    today = today or clock.today()
    found = schedule(followed_talents().where(User.id == talent.id), today=today)
    return [s for s in found if s.is_open(today) and not s.is_postponed(today)]


def open_in_territory(territory_id: int | None, *, today: date | None = None) -> list[ScheduledMoment]:
    """The moments open today for the followed talents of a territory (all for None), postponed ones included."""
    today = today or clock.today()
    return [s for s in schedule(followed_talents(territory_id), today=today) if s.is_open(today)]
