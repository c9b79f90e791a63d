"""Answering a questionnaire: begin it at a moment that is due, save each answer as it is given (so that a dropped
connection loses nothing), postpone, decline (an answer too), complete; and the withdrawal of the talent's consent
to the evaluation, after which nothing more is asked.

The talent answers for themselves; a member of the staff following their path may fill it in with them, and the
answers then record who assisted. Changes of a response (begun, postponed, declined, completed) are in the audit
log; the answers themselves are not copied there (they carry their own time and assistance).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from repairlab import clock, dates
from repairlab.audit.services import record
from repairlab.clock import utcnow
from repairlab.database import flush_or_conflict, lock_row
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.programme.models import TalentIntake
from repairlab.programme.questionnaires import scheduling
from repairlab.programme.questionnaires.access import answers_as_self, can_answer_for, can_withdraw_consent
from repairlab.programme.questionnaires.models import (
    MAX_ANSWER_TEXT,
    ItemKind,
    MomentKind,
    QuestionnaireAnswer,
    QuestionnaireItem,
    QuestionnaireResponse,
    ResponseStatus,
)
from repairlab.programme.questionnaires.scheduling import ScheduledMoment
from repairlab.text import clean_text

# The furthest a talent may postpone a questionnaire.
MAX_POSTPONE_DAYS = 60


def _assistant(actor: User, talent: User) -> int | None:
    """Who assisted: None when the talent answers alone."""
    if not can_answer_for(actor, talent):
        raise PermissionDenied(_("You may not answer this talent's questionnaires."))
    return None if answers_as_self(actor, talent) else actor.id


def _label(response: QuestionnaireResponse, talent: User) -> str:
    return f"{talent.full_name}: {response.version.title_fr} ({response.moment.value})"


def scheduled_for(
    talent: User, questionnaire_id: int, moment: MomentKind, weeks: int, *, today: date | None = None
) -> ScheduledMoment | None:
    """The talent's moment of this questionnaire, if it is due (with its response if begun); None otherwise."""
    found = scheduling.schedule(scheduling.followed_talents().where(User.id == talent.id), today=today)
    for scheduled in found:
        if scheduled.key == (questionnaire_id, moment, weeks):
            return scheduled
    return None


def _open_slot(talent: User, questionnaire_id: int, moment: MomentKind, weeks: int) -> ScheduledMoment:
    today = clock.today()
    scheduled = scheduled_for(talent, questionnaire_id, moment, weeks, today=today)
    if scheduled is None or not scheduled.is_open(today):
        raise Conflict(_("This questionnaire is not to be answered now."))
    return scheduled


def _response_for(actor: User, talent: User, scheduled: ScheduledMoment) -> QuestionnaireResponse:
    """The slot's response, made (on the version published now) when it does not exist yet."""
    if scheduled.response is not None:
        return scheduled.response
    response = QuestionnaireResponse(
        talent_id=talent.id,
        territory_id=talent.territory_id,
        questionnaire_id=scheduled.questionnaire.id,
        version_id=scheduled.version.id,
        moment=scheduled.moment,
        weeks=scheduled.weeks,
        due_on=scheduled.due_on,
        assisted_by_id=_assistant(actor, talent),
    )
    flush_or_conflict(_("This questionnaire was begun at the same time elsewhere."), new=response)
    record(actor, "questionnaires.begin", response, after={"due_on": response.due_on}, label=_label(response, talent))
    return response


def begin(
    actor: User, talent: User, questionnaire_id: int, moment: MomentKind, weeks: int = 0
) -> QuestionnaireResponse:
    """Begin (or go back to) a questionnaire due to the talent: its response, on the version published now."""
    _assistant(actor, talent)
    lock_row(User.locale, talent.id)
    response = _response_for(actor, talent, _open_slot(talent, questionnaire_id, moment, weeks))
    if response.postponed_until is not None:
        response.postponed_until = None  # answering now ends the postponement
        db.session.flush()
    return response


def postpone(
    actor: User, talent: User, questionnaire_id: int, moment: MomentKind, weeks: int = 0, *, until: date | None
) -> QuestionnaireResponse:
    """Answer later: the questionnaire leaves the talent's home page until that day (a week by default)."""
    assisted_by = _assistant(actor, talent)
    today = clock.today()
    until = until or today + timedelta(days=scheduling.DEFAULT_POSTPONE_DAYS)
    dates.check_day(until, "until")
    if until <= today:
        raise ValidationError(_("Choose a day after today."), field="until")
    if until > today + timedelta(days=MAX_POSTPONE_DAYS):
        raise ValidationError(
            _("A questionnaire can be postponed by %(days)d days at most.", days=MAX_POSTPONE_DAYS), field="until"
        )
    lock_row(User.locale, talent.id)
    response = _response_for(actor, talent, _open_slot(talent, questionnaire_id, moment, weeks))
    response.postponed_until = until
    if assisted_by is not None:
        response.assisted_by_id = assisted_by
    db.session.flush()
    record(
        actor,
        "questionnaires.postpone",
        response,
        after={"postponed_until": until},
        label=_label(response, talent),
    )
    return response


def decline(
    actor: User, talent: User, questionnaire_id: int, moment: MomentKind, weeks: int = 0
) -> QuestionnaireResponse:
    """The talent prefers not to answer: recorded as their answer; the answers already given are removed."""
    assisted_by = _assistant(actor, talent)
    lock_row(User.locale, talent.id)
    response = _response_for(actor, talent, _open_slot(talent, questionnaire_id, moment, weeks))
    response.answers.clear()
    response.status, response.declined_at, response.postponed_until = ResponseStatus.DECLINED, utcnow(), None
    if assisted_by is not None:
        response.assisted_by_id = assisted_by
    db.session.flush()
    record(actor, "questionnaires.decline", response, after={"status": "declined"}, label=_label(response, talent))
    return response


def _check_open(actor: User, response: QuestionnaireResponse) -> int | None:
    talent = response.talent
    assisted_by = _assistant(actor, talent)
    if response.status != ResponseStatus.IN_PROGRESS:
        raise Conflict(_("This questionnaire is already finished: its answers can no longer change."))
    if not consent_holds(talent):
        raise Conflict(_("The talent no longer takes part in the evaluation: nothing more is asked."))
    if clock.today() > scheduling.finishes_on(response.due_on):
        raise Conflict(_("This questionnaire is no longer asked: it was left unfinished too long ago."))
    return assisted_by


def _value(item: QuestionnaireItem, value: str | int | Decimal | None, text: str | None) -> tuple:
    """(value, text) for an answer to the item, checked."""
    if item.kind == ItemKind.TEXT:
        text = clean_text(text, field="text", limit=MAX_ANSWER_TEXT)
        if not text:
            raise ValidationError(_("Write your answer, or pass this question."), field="text")
        return None, text
    if value is None or str(value).strip() == "":
        raise ValidationError(_("Choose an answer, or pass this question."), field="value")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("Enter a number."), field="value")
    if not number.is_finite():
        raise ValidationError(_("Enter a number."), field="value")
    if item.kind == ItemKind.NUMBER:
        if item.min_value is not None and number < item.min_value:
            raise ValidationError(_("Enter a number from %(low)d.", low=item.min_value), field="value")
        if item.max_value is not None and number > item.max_value:
            raise ValidationError(_("Enter a number up to %(high)d.", high=item.max_value), field="value")
        if abs(number) >= 10**10 or number != number.quantize(Decimal("0.01")):
            raise ValidationError(_("Enter a number with two decimals at most."), field="value")
        return number, None
    if number not in {Decimal(o.value) for o in item.options}:
        raise ValidationError(_("Choose one of the answers offered."), field="value")
    return number, None


def save_answer(
    actor: User,
    response: QuestionnaireResponse,
    item: QuestionnaireItem,
    *,
    value: str | int | Decimal | None = None,
    text: str | None = None,
    skipped: bool = False,
) -> QuestionnaireAnswer:
    """Save the answer to one item as given (replacing an earlier one): the chosen option or number, the text, or
    nothing when the talent passes the question."""
    assisted_by = _check_open(actor, response)
    if item.version_id != response.version_id:
        raise ValidationError(_("This question is not part of this questionnaire."))
    answer_value, answer_text = (None, None) if skipped else _value(item, value, text)
    answer = db.session.scalar(
        sa.select(QuestionnaireAnswer).where(
            QuestionnaireAnswer.response_id == response.id, QuestionnaireAnswer.item_id == item.id
        )
    )
    if answer is None:
        answer = QuestionnaireAnswer(response_id=response.id, item_id=item.id)
        db.session.add(answer)
    answer.value, answer.text, answer.skipped = answer_value, answer_text, skipped
    answer.assisted_by_id, answer.answered_at = assisted_by, utcnow()
    if assisted_by is not None:
        response.assisted_by_id = assisted_by
    response.postponed_until = None
    response.updated_at = utcnow()
    flush_or_conflict(_("This answer was saved at the same time elsewhere: go back to the question."), new=answer)
    return answer


def complete(actor: User, response: QuestionnaireResponse) -> QuestionnaireResponse:
    """Send the answers: the response is complete and no longer changes. Questions not answered count as missing."""
    assisted_by = _check_open(actor, response)
    answered = db.session.scalar(
        sa.select(sa.func.count(QuestionnaireAnswer.id)).where(
            QuestionnaireAnswer.response_id == response.id, QuestionnaireAnswer.skipped.is_(False)
        )
    )
    if not answered:
        raise ValidationError(_("Answer at least one question, or say that you prefer not to answer."))
    response.status, response.completed_at, response.postponed_until = ResponseStatus.COMPLETED, utcnow(), None
    if assisted_by is not None:
        response.assisted_by_id = assisted_by
    db.session.flush()
    record(
        actor,
        "questionnaires.complete",
        response,
        after={"status": "completed", "answered": answered, "assisted": response.assisted_by_id is not None},
        label=_label(response, response.talent),
    )
    return response


# --- Consent to the evaluation --------------------------------------------------------------------------------------


def intake_of(talent: User) -> TalentIntake | None:
    """The talent's intake (where the consent is kept)."""
    return db.session.scalar(sa.select(TalentIntake).where(TalentIntake.talent_id == talent.id))


def consent_holds(talent: User) -> bool:
    """Whether the talent consented to the evaluation and did not withdraw."""
    intake = intake_of(talent)
    return intake is not None and intake.evaluation_consent and intake.consent_withdrawn_on is None


def withdraw_consent(actor: User, talent: User, *, on: date | None = None) -> TalentIntake:
    """The talent withdraws their consent to the evaluation (today by default): no questionnaire is asked any more,
    and exports made from now on leave their answers out. What they answered stays theirs to see and download."""
    if not can_withdraw_consent(actor, talent):
        raise PermissionDenied(_("You may not change this talent's consent."))
    on = on or clock.today()
    dates.check_day(on, "on")
    lock_row(User.locale, talent.id)
    intake = intake_of(talent)
    if intake is None or not intake.evaluation_consent:
        raise Conflict(_("No consent to the evaluation is recorded."))
    if intake.consent_withdrawn_on is not None:
        raise Conflict(_("The consent was already withdrawn on %(day)s.", day=format_date(intake.consent_withdrawn_on)))
    if on > clock.today():
        raise ValidationError(_("This date cannot be in the future."), field="on")
    if on < intake.consent_date:
        raise ValidationError(_("The consent cannot be withdrawn before it was given."), field="on")
    intake.consent_withdrawn_on = on
    db.session.flush()
    record(
        actor,
        "programme.consent_withdrawn",
        intake,
        before={"consent_withdrawn_on": None},
        after={"consent_withdrawn_on": on},
        label=talent.full_name,
    )
    return intake
