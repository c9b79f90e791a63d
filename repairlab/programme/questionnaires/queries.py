"""Read side of the questionnaires, for the talent's pages, the staff's lists and `reporting`.

`reporting` reads only models and queries: the scores (computed by scoring.py), the moments due (scheduling.py) and
the consent's withdrawals are given here. Nothing here shows a talent's answers to anyone but the talent and admins:
the staff's functions say whether a questionnaire was answered, never what.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from repairlab import clock
from repairlab.charts import Chart, line_chart
from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.programme.models import TalentIntake
from repairlab.programme.questionnaires import scheduling, scoring
from repairlab.programme.questionnaires.models import (
    LIKERT_POINTS,
    MentorObservation,
    MomentKind,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireItem,
    QuestionnaireResponse,
    QuestionnaireScale,
    QuestionnaireVersion,
    ResponseStatus,
)
from repairlab.programme.questionnaires.scheduling import ScheduledMoment

# The attention list names at most this many questionnaires due.
ATTENTION_ROWS = 50

# --- Consent ----------------------------------------------------------------------------------------------------


def consenting_talents() -> sa.Select:
    """The ids of the talents whose consent to the evaluation holds (given, not withdrawn): the only ones whose
    answers go into an export."""
    return sa.select(TalentIntake.talent_id).where(scheduling.consent_holds())


def withdrawn_talents() -> sa.Select:
    """The ids of the talents who withdrew their consent to the evaluation: exports made after leave their answers
    out, and the indicators say how many answers were withdrawn."""
    return sa.select(TalentIntake.talent_id).where(TalentIntake.consent_withdrawn_on.is_not(None))


def withdrawn_counts(talent_ids: sa.Select | None = None) -> tuple[int, int]:
    """(responses, answers) given by talents who later withdrew their consent, among the talents of the statement
    (all when None); one query."""
    stmt = (
        sa.select(
            sa.func.count(sa.distinct(QuestionnaireResponse.id)),
            sa.func.count(QuestionnaireAnswer.id),
        )
        .select_from(QuestionnaireResponse)
        .outerjoin(QuestionnaireAnswer, QuestionnaireAnswer.response_id == QuestionnaireResponse.id)
        .where(
            QuestionnaireResponse.talent_id.in_(withdrawn_talents()),
            QuestionnaireResponse.status != ResponseStatus.IN_PROGRESS,
        )
    )
    if talent_ids is not None:
        stmt = stmt.where(QuestionnaireResponse.talent_id.in_(talent_ids))
    responses, answers = db.session.execute(stmt).one()
    return responses, answers


# --- Scores -----------------------------------------------------------------------------------------------------


def scale_rules(version_ids: list[int] | set[int]) -> dict[int, list[scoring.ScaleRule]]:
    """version id -> the rules of its scales, in order (two queries)."""
    if not version_ids:
        return {}
    scales = db.session.scalars(
        sa.select(QuestionnaireScale)
        .where(QuestionnaireScale.version_id.in_(list(version_ids)))
        .options(selectinload(QuestionnaireScale.items))
        .order_by(QuestionnaireScale.version_id, QuestionnaireScale.position)
    )
    out: dict[int, list[scoring.ScaleRule]] = {v: [] for v in version_ids}
    for scale in scales:
        items = tuple(scoring.ScoredItem(i.id, LIKERT_POINTS[i.kind], i.reversed) for i in scale.items)
        out[scale.version_id].append(scoring.ScaleRule(scale.key, scale.method.value, scale.max_missing, items))
    return out


def response_scores(responses: list[QuestionnaireResponse]) -> dict[int, dict[str, Decimal | None]]:
    """response id -> scale key -> score (None: too many items missing); three queries whatever the number."""
    if not responses:
        return {}
    rules = scale_rules({r.version_id for r in responses})
    values: dict[int, dict[int, Decimal]] = defaultdict(dict)
    ids = [r.id for r in responses]
    for start in range(0, len(ids), 5000):
        rows = db.session.execute(
            sa.select(QuestionnaireAnswer.response_id, QuestionnaireAnswer.item_id, QuestionnaireAnswer.value).where(
                QuestionnaireAnswer.response_id.in_(ids[start : start + 5000]), QuestionnaireAnswer.value.is_not(None)
            )
        )
        for response_id, item_id, value in rows:
            values[response_id][item_id] = value
    return {r.id: scoring.scores(rules[r.version_id], values.get(r.id, {})) for r in responses}


@dataclass(frozen=True)
class ScoredResponse:
    """A completed response with its scores, for the indicators (which compare intake with exit)."""

    response_id: int
    talent_id: int
    territory_id: int
    questionnaire_id: int
    version_id: int
    moment: MomentKind
    weeks: int
    due_on: date
    completed_on: date
    assisted: bool
    scores: dict[str, Decimal | None]


def scored_responses(
    talent_ids: sa.Select | None = None, *, questionnaire_id: int | None = None
) -> list[ScoredResponse]:
    """The completed responses of consenting talents (among those of the statement), with their scores: never
    those of a talent who withdrew (four queries)."""
    stmt = (
        sa.select(QuestionnaireResponse)
        .where(
            QuestionnaireResponse.status == ResponseStatus.COMPLETED,
            QuestionnaireResponse.talent_id.in_(consenting_talents()),
        )
        .order_by(QuestionnaireResponse.talent_id, QuestionnaireResponse.due_on, QuestionnaireResponse.id)
    )
    if talent_ids is not None:
        stmt = stmt.where(QuestionnaireResponse.talent_id.in_(talent_ids))
    if questionnaire_id is not None:
        stmt = stmt.where(QuestionnaireResponse.questionnaire_id == questionnaire_id)
    responses = list(db.session.scalars(stmt))
    found = response_scores(responses)
    return [
        ScoredResponse(
            r.id,
            r.talent_id,
            r.territory_id,
            r.questionnaire_id,
            r.version_id,
            r.moment,
            r.weeks,
            r.due_on,
            clock.today(r.completed_at),
            r.assisted_by_id is not None,
            found[r.id],
        )
        for r in responses
    ]


def scheduled_moments(talent_ids: sa.Select, *, today: date | None = None) -> list[ScheduledMoment]:
    """Every moment due by today to the consenting talents of the statement, with its response if begun (the
    denominator of a response rate: see ScheduledMoment.is_missed and .answered)."""
    return scheduling.schedule(talent_ids, today=today)


def questionnaires() -> list[Questionnaire]:
    """Every questionnaire with its versions and moments, by key (three queries)."""
    return list(
        db.session.scalars(
            sa.select(Questionnaire)
            .options(selectinload(Questionnaire.versions), selectinload(Questionnaire.moments))
            .order_by(Questionnaire.key)
        )
    )


def published_version(questionnaire_id: int) -> QuestionnaireVersion | None:
    """The version asked now, if any."""
    return db.session.scalar(
        sa.select(QuestionnaireVersion).where(
            QuestionnaireVersion.questionnaire_id == questionnaire_id,
            QuestionnaireVersion.status == "published",
        )
    )


# --- The talent's own pages ---------------------------------------------------------------------------------------


def to_answer(talent: User, *, today: date | None = None) -> list[ScheduledMoment]:
    """What the talent has to answer today (their home page)."""
    return scheduling.to_answer(talent, today=today)


@dataclass
class ScalePoint:
    """A scale's score at one moment of the talent's path."""

    on: date
    moment: MomentKind
    weeks: int
    score: Decimal


@dataclass
class ScaleProgress:
    """One scale of a questionnaire across the talent's completed responses (matched by the scale's key from one
    version to the next): its name, its top score, the points, and the chart."""

    key: str
    label: str
    high: Decimal
    points: list[ScalePoint] = field(default_factory=list)
    chart: Chart | None = None

    @property
    def first(self) -> ScalePoint | None:
        """The first score."""
        return self.points[0] if self.points else None

    @property
    def last(self) -> ScalePoint | None:
        """The latest score."""
        return self.points[-1] if self.points else None

    @property
    def direction(self) -> str:
        """ "up", "down", "same" between the first and the latest score, or "one" with a single score."""
        if len(self.points) < 2:
            return "one"
        change = scoring.change(self.first.score, self.last.score)
        return "up" if change > 0 else "down" if change < 0 else "same"


@dataclass
class QuestionnaireProgress:
    """A questionnaire's scales over the talent's completed responses."""

    title: str
    responses: int
    scales: list[ScaleProgress]


def progress_of(talent: User, locale: str = "fr") -> list[QuestionnaireProgress]:
    """The talent's own scores over time, per questionnaire and scale, oldest first (a bounded number of queries)."""
    responses = list(
        db.session.scalars(
            sa.select(QuestionnaireResponse)
            .where(
                QuestionnaireResponse.talent_id == talent.id,
                QuestionnaireResponse.status == ResponseStatus.COMPLETED,
            )
            .options(
                selectinload(QuestionnaireResponse.version).selectinload(QuestionnaireVersion.scales),
                selectinload(QuestionnaireResponse.version).selectinload(QuestionnaireVersion.items),
            )
            .order_by(QuestionnaireResponse.due_on, QuestionnaireResponse.id)
        )
    )
    if not responses:
        return []
    found = response_scores(responses)
    out = []
    by_questionnaire: dict[int, list[QuestionnaireResponse]] = defaultdict(list)
    for response in responses:
        by_questionnaire[response.questionnaire_id].append(response)
    rules = scale_rules({r.version_id for r in responses})
    for group in by_questionnaire.values():
        latest = group[-1].version
        scales: dict[str, ScaleProgress] = {}
        for scale in latest.scales:
            rule = next(r for r in rules[latest.id] if r.key == scale.key)
            scales[scale.key] = ScaleProgress(scale.key, scale.label(locale), rule.high)
        for response in group:
            for key, score in found[response.id].items():
                if key in scales and score is not None:
                    scales[key].points.append(ScalePoint(response.due_on, response.moment, response.weeks, score))
        for progress in scales.values():
            progress.chart = line_chart([(p.on, p.score) for p in progress.points], top=progress.high)
        out.append(QuestionnaireProgress(latest.title(locale), len(group), list(scales.values())))
    return out


def answers_of(response: QuestionnaireResponse) -> list[tuple[QuestionnaireItem, QuestionnaireAnswer | None]]:
    """Every item of the response's version with its answer (None: not answered), in order (three queries). For
    the talent themselves and admins only: the views check it."""
    items = db.session.scalars(
        sa.select(QuestionnaireItem)
        .where(QuestionnaireItem.version_id == response.version_id)
        .options(selectinload(QuestionnaireItem.options))
        .order_by(QuestionnaireItem.position)
    ).all()
    answers = {
        a.item_id: a
        for a in db.session.scalars(
            sa.select(QuestionnaireAnswer).where(QuestionnaireAnswer.response_id == response.id)
        )
    }
    return [(item, answers.get(item.id)) for item in items]


# --- What the staff see: answered or not, never what -------------------------------------------------------------


@dataclass(frozen=True)
class DueRow:
    """A questionnaire open for a talent of the territory: who, which, since when, begun or postponed."""

    talent: User
    scheduled: ScheduledMoment
    overdue: bool
    postponed_until: date | None


def due_in_territory(
    territory_id: int | None, *, limit: int = ATTENTION_ROWS, today: date | None = None
) -> list[DueRow]:
    """The questionnaires open for the followed talents of a territory (all for None), oldest first: the
    "who needs attention" list (five queries). Only whether and since when, never an answer."""
    today = today or clock.today()
    found = sorted(scheduling.open_in_territory(territory_id, today=today), key=lambda s: (s.due_on, s.talent_id))
    found = found[:limit]
    talents = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_({s.talent_id for s in found})))}
    return [
        DueRow(
            talents[s.talent_id],
            s,
            s.is_overdue(today),
            s.response.postponed_until if s.is_postponed(today) else None,
        )
        for s in found
    ]


@dataclass(frozen=True)
class MomentStatus:
    """A moment of a talent's path as the staff see it: the questionnaire, when, and whether it was answered."""

    scheduled: ScheduledMoment
    open: bool
    missed: bool
    postponed_until: date | None


def statuses_of(talent: User, *, today: date | None = None) -> list[MomentStatus]:
    """The talent's questionnaires due so far and whether each was answered (never what), newest first; empty when
    the talent did not consent (five queries)."""
    today = today or clock.today()
    found = scheduling.schedule(sa.select(sa.literal(talent.id)), today=today)
    return [
        MomentStatus(
            s, s.is_open(today), s.is_missed(today), s.response.postponed_until if s.is_postponed(today) else None
        )
        for s in sorted(found, key=lambda s: s.due_on, reverse=True)
    ]


def observation_count(talent: User) -> int:
    """How many observations were made of the talent."""
    return db.session.scalar(
        sa.select(sa.func.count(MentorObservation.id)).where(MentorObservation.talent_id == talent.id)
    )
