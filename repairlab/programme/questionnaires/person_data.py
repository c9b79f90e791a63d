"""The questionnaires in a talent's own data ("download my data") and in their erasure on request."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.people.registry import ERASED_TEXT
from repairlab.programme.questionnaires.models import (
    MentorObservation,
    ObservationRating,
    QuestionnaireAnswer,
    QuestionnaireItem,
    QuestionnaireResponse,
    QuestionnaireVersion,
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    return value


def _answer_words(item: QuestionnaireItem, answer: QuestionnaireAnswer, locale: str) -> Any:
    """The answer as it was given: the option's words, the number, or the text."""
    if answer.skipped:
        return None
    if answer.text is not None:
        return answer.text
    option = next((o for o in item.options if o.value == answer.value), None)
    return option.label(locale) if option is not None else _plain(answer.value)


def questionnaire_data(person: User) -> dict[str, list[dict[str, Any]]]:
    """The person's questionnaires (when asked, how answered), every answer with the words of its question, and
    the observations the staff made of them."""
    locale = person.locale or "fr"
    responses = db.session.scalars(
        sa.select(QuestionnaireResponse)
        .where(QuestionnaireResponse.talent_id == person.id)
        .options(
            selectinload(QuestionnaireResponse.version)
            .selectinload(QuestionnaireVersion.items)
            .selectinload(QuestionnaireItem.options),
            selectinload(QuestionnaireResponse.answers),
        )
        .order_by(QuestionnaireResponse.due_on, QuestionnaireResponse.id)
    ).all()
    response_rows, answer_rows = [], []
    for response in responses:
        version = response.version
        common = {
            "questionnaire": version.title(locale),
            "version": version.number,
            "moment": response.moment.value,
            "weeks": response.weeks or None,
        }
        response_rows.append(
            {
                **common,
                "due_on": _plain(response.due_on),
                "status": response.status.value,
                "postponed_until": _plain(response.postponed_until),
                "started_at": _plain(response.started_at),
                "completed_at": _plain(response.completed_at),
                "declined_at": _plain(response.declined_at),
                "assisted": response.assisted_by_id is not None,
            }
        )
        answers = {a.item_id: a for a in response.answers}
        for item in version.items:
            answer = answers.get(item.id)
            if answer is None:
                continue
            answer_rows.append(
                {
                    **common,
                    "position": item.position,
                    "question": item.text(locale),
                    "answer": _answer_words(item, answer, locale),
                    "passed": answer.skipped,
                    "answered_at": _plain(answer.answered_at),
                    "assisted": answer.assisted_by_id is not None,
                }
            )
    observations = db.session.scalars(
        sa.select(MentorObservation)
        .where(MentorObservation.talent_id == person.id)
        .options(selectinload(MentorObservation.ratings))
        .order_by(MentorObservation.observed_on, MentorObservation.id)
    ).all()
    observation_rows = [
        {
            "observed_on": _plain(o.observed_on),
            "moment": o.moment.value,
            "weeks": o.weeks or None,
            "dimension": r.dimension.value,
            "value": r.value,
            "comment": r.comment,
        }
        for o in observations
        for r in o.ratings
    ]
    return {
        "questionnaire_responses": response_rows,
        "questionnaire_answers": answer_rows,
        "mentor_observations": observation_rows,
    }


def scrub_questionnaires(person: User) -> None:
    """What the talent wrote in their free-text answers, and the staff's comments on them; the scores stay (the
    statistics do not change), as do the observations' points."""
    responses = sa.select(QuestionnaireResponse.id).where(QuestionnaireResponse.talent_id == person.id)
    db.session.execute(
        sa.update(QuestionnaireAnswer)
        .where(QuestionnaireAnswer.response_id.in_(responses), QuestionnaireAnswer.text.is_not(None))
        .values(text=ERASED_TEXT)
    )
    observations = sa.select(MentorObservation.id).where(MentorObservation.talent_id == person.id)
    db.session.execute(
        sa.update(ObservationRating).where(ObservationRating.observation_id.in_(observations)).values(comment="")
    )
