"""Mentors' observations of a talent at the moments of the path: a point from 1 to 4 and a short comment for each
dimension (autonomy, punctuality, teamwork, technical progress), kept apart from the talent's own answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from repairlab import clock, dates
from repairlab.audit.services import record
from repairlab.database import flush_or_conflict
from repairlab.errors import PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.people.models import Role, User
from repairlab.programme.questionnaires.access import can_observe
from repairlab.programme.questionnaires.definitions import MAX_WEEKS
from repairlab.programme.questionnaires.models import (
    MAX_OBSERVATION_COMMENT,
    OBSERVATION_POINTS,
    MentorObservation,
    MomentKind,
    ObservationDimension,
    ObservationRating,
)
from repairlab.text import clean_text


@dataclass(frozen=True)
class RatingInput:
    """One dimension as the mentor gave it: a point (None: not observed) and a comment."""

    value: int | None = None
    comment: str = ""


def save_observation(
    actor: User,
    talent: User,
    observation: MentorObservation | None,
    *,
    moment: MomentKind | None,
    weeks: int | None,
    observed_on: date | None,
    ratings: dict[ObservationDimension, RatingInput],
) -> MentorObservation:
    """Record (or correct) the actor's observation of the talent at a moment: one per mentor, talent and moment;
    at least one dimension rated. Only its author (or an admin) corrects an observation."""
    if not can_observe(actor, talent):
        raise PermissionDenied(_("You may not record an observation of this talent."))
    if observation is not None and observation.talent_id != talent.id:
        raise ValidationError(_("This observation is of another talent."))
    if observation is not None and observation.mentor_id != actor.id and actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only its author corrects an observation."))
    if moment is None:
        raise ValidationError(_("Choose the moment."), field="moment")
    if moment == MomentKind.WEEKS_AFTER_ENROLMENT:
        if weeks is None or not 1 <= weeks <= MAX_WEEKS:
            raise ValidationError(_("Enter a number of weeks from 1 to %(max)d.", max=MAX_WEEKS), field="weeks")
    else:
        weeks = 0
    if observed_on is None:
        raise ValidationError(_("Enter the date of the observation."), field="observed_on")
    dates.check_day(observed_on, "observed_on")
    if observed_on > clock.today():
        raise ValidationError(_("This date cannot be in the future."), field="observed_on")
    cleaned = {}
    for dimension in ObservationDimension:
        given = ratings.get(dimension, RatingInput())
        if given.value is not None and not 1 <= given.value <= OBSERVATION_POINTS:
            raise ValidationError(_("Choose a point from 1 to 4."), field=f"{dimension.value}_value")
        comment = clean_text(given.comment, field=f"{dimension.value}_comment", limit=MAX_OBSERVATION_COMMENT)
        cleaned[dimension] = (given.value, comment)
    if all(value is None for value, _comment in cleaned.values()):
        raise ValidationError(_("Rate at least one dimension."), field=f"{ObservationDimension.AUTONOMY.value}_value")
    message = _("You already recorded an observation of this talent at this moment: correct it instead.")
    if observation is None:
        observation = MentorObservation(talent_id=talent.id, territory_id=talent.territory_id, mentor_id=actor.id)
        observation.ratings = []
        db.session.add(observation)
    before = _snapshot(observation) if observation.id is not None else None
    observation.moment, observation.weeks, observation.observed_on = moment, weeks, observed_on
    existing = {r.dimension: r for r in observation.ratings}
    for dimension, (value, comment) in cleaned.items():
        rating = existing.get(dimension)
        if rating is None:
            rating = ObservationRating(dimension=dimension)
            observation.ratings.append(rating)
        rating.value, rating.comment = value, comment
    flush_or_conflict(message, "moment")
    record(
        actor,
        "questionnaires.observation" if before is None else "questionnaires.observation_update",
        observation,
        before=before,
        after=_snapshot(observation),
        label=f"{talent.full_name}: {moment.label}",
    )
    return observation


def _snapshot(observation: MentorObservation) -> dict:
    return {
        "moment": observation.moment.value,
        "weeks": observation.weeks,
        "observed_on": observation.observed_on,
        **{r.dimension.value: r.value for r in observation.ratings},
    }


def observations_of(talent: User) -> list[MentorObservation]:
    """The observations of a talent, newest first, with their ratings and authors (two queries)."""
    return list(
        db.session.scalars(
            sa.select(MentorObservation)
            .where(MentorObservation.talent_id == talent.id)
            .options(sa.orm.selectinload(MentorObservation.ratings), sa.orm.joinedload(MentorObservation.mentor))
            .order_by(MentorObservation.observed_on.desc(), MentorObservation.id.desc())
        )
    )
