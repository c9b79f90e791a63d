"""What the questionnaires add to other pages: "a questionnaire to answer" on the talent's home page, and "my
progress" (scores over time, in words, and one's answers) on the talent's account page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

from repairlab.extensions import db
from repairlab.pages import HomePanel, home_panels
from repairlab.people.models import Role, User
from repairlab.people.registry import AccountPanel, account_panels
from repairlab.programme.questionnaires import answering, queries
from repairlab.programme.questionnaires.access import (
    can_assist,
    can_observe,
    can_see_answers,
    can_see_observations,
    can_withdraw_consent,
    is_talent,
)
from repairlab.programme.questionnaires.models import MomentKind, QuestionnaireResponse
from repairlab.programme.questionnaires.observations import observations_of
from repairlab.programme.questionnaires.queries import ScaleProgress
from repairlab.programme.questionnaires.scheduling import ScheduledMoment


def _locale() -> str:
    return str(get_locale() or "fr")


def moment_words(moment: MomentKind, weeks: int) -> str:
    """A moment in words ("8 weeks after enrolment")."""
    if moment == MomentKind.WEEKS_AFTER_ENROLMENT:
        return _("%(weeks)d weeks after enrolment", weeks=weeks)
    return str(moment.label)


def answer_url(scheduled: ScheduledMoment) -> str:
    """Where the talent's button leads: back into a questionnaire begun, or to its first page."""
    if scheduled.response is not None:
        return url_for("programme.questionnaire_resume", response_id=scheduled.response.id)
    return url_for(
        "programme.questionnaire_intro",
        talent_id=scheduled.talent_id,
        questionnaire_id=scheduled.questionnaire.id,
        moment=scheduled.moment.value,
        weeks=scheduled.weeks,
    )


def to_answer_context(user: User) -> dict | None:
    """The questionnaires the talent has to answer today; hidden when there is none."""
    if not is_talent(user):
        return None
    due = queries.to_answer(user)
    if not due:
        return None
    locale = _locale()
    return {"due": [(s, s.version.title(locale), answer_url(s)) for s in due]}


def _number(value, places: str = "0") -> str:
    """A score with one decimal ("2,5"), or a top score as it is ("4")."""
    return format_decimal(value, format=f"#,##0.{places}")


def progress_sentence(scale: ScaleProgress) -> str:
    """One scale's progress in plain words."""
    if scale.first is None:
        return ""
    high = _number(scale.high, "#")
    if scale.direction == "one":
        return _(
            "Your score “%(scale)s”: %(score)s out of %(high)s. You will see how it changes at the next questionnaire.",
            scale=scale.label,
            score=_number(scale.first.score),
            high=high,
        )
    since_arrival = scale.first.moment == MomentKind.INTAKE
    values = {
        "scale": scale.label,
        "first": _number(scale.first.score),
        "last": _number(scale.last.score),
        "high": high,
    }
    if scale.direction == "up":
        if since_arrival:
            return _(
                "Since you arrived, your score “%(scale)s” went up: from %(first)s to %(last)s out of %(high)s.",
                **values,
            )
        return _(
            "Since your first questionnaire, your score “%(scale)s” went up: from %(first)s to %(last)s out of "
            "%(high)s.",
            **values,
        )
    if scale.direction == "down":
        if since_arrival:
            return _(
                "Since you arrived, your score “%(scale)s” went down: from %(first)s to %(last)s out of %(high)s.",
                **values,
            )
        return _(
            "Since your first questionnaire, your score “%(scale)s” went down: from %(first)s to %(last)s out of "
            "%(high)s.",
            **values,
        )
    if since_arrival:
        return _("Since you arrived, your score “%(scale)s” stayed the same: %(last)s out of %(high)s.", **values)
    return _(
        "Since your first questionnaire, your score “%(scale)s” stayed the same: %(last)s out of %(high)s.", **values
    )


def progress_context(user: User) -> dict | None:
    """The talent's progress, their responses and their consent; hidden for other roles, and for a talent never
    asked (no consent, nothing answered)."""
    if user.role != Role.PARTICIPANT:
        return None
    responses = list(
        db.session.scalars(
            sa.select(QuestionnaireResponse)
            .where(QuestionnaireResponse.talent_id == user.id)
            .options(sa.orm.selectinload(QuestionnaireResponse.version))
            .order_by(QuestionnaireResponse.due_on.desc(), QuestionnaireResponse.id.desc())
        )
    )
    consent = answering.consent_holds(user)
    if not responses and not consent:
        return None
    locale = _locale()
    progress = queries.progress_of(user, locale)
    return {
        "progress": [
            (
                q,
                [
                    (s, progress_sentence(s), [(moment_words(p.moment, p.weeks), _number(p.score)) for p in s.points])
                    for s in q.scales
                ],
            )
            for q in progress
        ],
        "responses": [(r, r.version.title(locale), moment_words(r.moment, r.weeks)) for r in responses],
        "consent": consent,
    }


def register_panels() -> None:
    """The talent's home panel and account section."""
    home_panels.register(
        "programme.questionnaires",
        HomePanel(frozenset({Role.PARTICIPANT}), "programme/questionnaires/panels/to_answer.html", to_answer_context),
        order=2,
    )
    account_panels.register(
        "programme.progress",
        AccountPanel("programme/questionnaires/panels/progress.html", progress_context),
        order=10,
    )


def path_section_context(viewer: User, talent: User) -> dict:
    """The questionnaires and observations on a talent's path page: whether each questionnaire was answered (never
    what, but for admins through a link), who may fill one in with the talent or record an observation."""
    intake = answering.intake_of(talent)
    return {
        "consent": intake is not None and intake.evaluation_consent and intake.consent_withdrawn_on is None,
        "withdrawn_on": intake.consent_withdrawn_on if intake is not None else None,
        "statuses": queries.statuses_of(talent),
        "observations": observations_of(talent) if can_see_observations(viewer, talent) else [],
        "can_assist": can_assist(viewer, talent),
        "can_observe": can_observe(viewer, talent),
        "can_see_answers": can_see_answers(viewer, talent),
        "can_withdraw": can_withdraw_consent(viewer, talent),
        "answer_url": answer_url,
        "moment_words": moment_words,
    }
