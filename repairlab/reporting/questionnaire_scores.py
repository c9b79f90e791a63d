"""The questionnaires' scores computed in the database, for the indicators page and the research export, by the rule
of `programme/questionnaires/scoring.py` (which reporting may not import: it reads only models and queries).

For each completed response and each scale of the response's version: the answered items' values, a reversed item
turned round on its scale (on 4 points, 1 counts as 4 and 4 as 1); the score is missing when no item or more items
than the scale's `max_missing` are unanswered; otherwise the mean of the items answered, or for a sum that mean times
the number of items (prorated), rounded half up to two decimals.

The arithmetic is exact on both engines: values are taken in hundredths (integers), and a score in hundredths is
round_half_up(S / a) = (2·S + a) DIV (2·a), with S the sum of the answered values in hundredths (times the number of
items for a sum) and a the number of items answered. Scores, changes and their sums stay integers in hundredths.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from repairlab.programme.models import TalentIntake
from repairlab.programme.questionnaires.models import (
    LIKERT_POINTS,
    QuestionnaireAnswer,
    QuestionnaireItem,
    QuestionnaireResponse,
    QuestionnaireScale,
    ResponseStatus,
    ScaleMethod,
)

HUNDRED = 100


def consenting_talents() -> sa.Select:
    """The ids of the talents whose consent to the evaluation holds (given and not withdrawn): the only ones whose
    answers are counted or exported."""
    return sa.select(TalentIntake.talent_id).where(
        TalentIntake.evaluation_consent.is_(True), TalentIntake.consent_withdrawn_on.is_(None)
    )


def withdrawn_talents() -> sa.Select:
    """The ids of the talents who withdrew their consent to the evaluation: their answers are left out."""
    return sa.select(TalentIntake.talent_id).where(TalentIntake.consent_withdrawn_on.is_not(None))


def item_points(item=QuestionnaireItem) -> sa.ColumnElement[int]:
    """The number of points of a scale item (4 or 5; NULL for another kind)."""
    return sa.case(*((item.kind == kind, points) for kind, points in LIKERT_POINTS.items()))


def counted_hundredths(answer=QuestionnaireAnswer, item=QuestionnaireItem) -> sa.ColumnElement[int]:
    """An answer's value in hundredths as its scale counts it: reversed items turned round (points + 1 − value)."""
    value = sa.cast(sa.func.round(answer.value * HUNDRED), sa.Integer)
    turned = sa.cast((item_points(item) + 1) * HUNDRED, sa.Integer) - value
    return sa.case((item.reversed.is_(True), turned), else_=value)


def scale_scores(*conditions) -> sa.Select:
    """One row per completed response meeting the conditions (on QuestionnaireResponse) and per scale of its
    version: response_id, talent_id, questionnaire_id, moment, weeks, due_on, scale_id, scale_key, items (in the
    scale), answered (items answered), hundredths (the score × 100, an integer; NULL when missing)."""
    r, s = QuestionnaireResponse, QuestionnaireScale
    responses = sa.select(r.id).where(r.status == ResponseStatus.COMPLETED, *conditions)
    sizes = (
        sa.select(QuestionnaireItem.scale_id, sa.func.count(QuestionnaireItem.id).label("items"))
        .where(QuestionnaireItem.scale_id.is_not(None))
        .group_by(QuestionnaireItem.scale_id)
        .subquery("scale_sizes")
    )
    answered = (
        sa.select(
            QuestionnaireAnswer.response_id,
            QuestionnaireItem.scale_id,
            sa.func.count(QuestionnaireAnswer.id).label("answered"),
            sa.func.sum(counted_hundredths()).label("total"),
        )
        .join(QuestionnaireItem, QuestionnaireItem.id == QuestionnaireAnswer.item_id)
        .where(
            QuestionnaireAnswer.value.is_not(None),
            QuestionnaireItem.scale_id.is_not(None),
            QuestionnaireAnswer.response_id.in_(responses),
        )
        .group_by(QuestionnaireAnswer.response_id, QuestionnaireItem.scale_id)
        .subquery("scale_answers")
    )
    items = sa.cast(sa.func.coalesce(sizes.c["items"], 0), sa.Integer)
    count = sa.cast(answered.c.answered, sa.Integer)
    total = sa.cast(answered.c.total, sa.Integer)
    mean = (2 * total + count) // (2 * count)
    prorated = (2 * total * items + count) // (2 * count)
    hundredths = sa.case(
        (sa.or_(answered.c.answered.is_(None), items - count > s.max_missing), sa.null()),
        (s.method == ScaleMethod.MEAN, mean),
        else_=prorated,
    )
    return (
        sa.select(
            r.id.label("response_id"),
            r.talent_id,
            r.questionnaire_id,
            r.moment,
            r.weeks,
            r.due_on,
            s.id.label("scale_id"),
            s.key.label("scale_key"),
            items.label("items"),
            sa.func.coalesce(count, 0).label("answered"),
            sa.cast(hundredths, sa.Integer).label("hundredths"),
        )
        .join(s, s.version_id == r.version_id)
        .outerjoin(sizes, sizes.c.scale_id == s.id)
        .outerjoin(answered, sa.and_(answered.c.response_id == r.id, answered.c.scale_id == s.id))
        .where(r.status == ResponseStatus.COMPLETED, *conditions)
    )


def score(hundredths: int | None) -> Decimal | None:
    """A score in hundredths as the number it is (to two decimals), or None when missing."""
    return None if hundredths is None else Decimal(hundredths).scaleb(-2)
