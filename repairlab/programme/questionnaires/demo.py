"""Demo data of the questionnaires: "Mon parcours", written for the programme in plain French (and English), four
scales, asked at intake, after 8 and 40 weeks, at exit and 6, 12, 24 months after; the talents' answers at intake,
after 8 weeks and at exit (so that their progress and the indicators show something), a declined one, an assisted
one, a withdrawn consent, and a few mentors' observations."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from repairlab import clock
from repairlab.demo import DemoContext
from repairlab.extensions import db
from repairlab.people.models import Role, User
from repairlab.programme.questionnaires import answering, definitions, observations, scheduling
from repairlab.programme.questionnaires.models import (
    ItemKind,
    MomentKind,
    ObservationDimension,
    QuestionnaireAnswer,
    QuestionnaireResponse,
    QuestionnaireVersion,
    ResponseStatus,
    ScaleMethod,
)

KEY = "mon-parcours"
TITLE = ("Mon parcours", "My path")
INTRO = (
    "Ce questionnaire nous aide à comprendre ce que le programme change pour vous. Il n’y a pas de bonne ou de "
    "mauvaise réponse. Cela prend environ 5 minutes. Vous pouvez passer une question, revenir en arrière, ou "
    "continuer plus tard. Votre mentor voit seulement que vous avez répondu, pas vos réponses.",
    "This questionnaire helps us understand what the programme changes for you. There is no right or wrong "
    "answer. It takes about 5 minutes. You can pass a question, go back, or go on later. Your mentor only sees "
    "that you answered, not your answers.",
)
# (key, French name, English name)
SCALES = (
    ("confiance", "Confiance en soi", "Self-confidence"),
    ("pouvoir-agir", "Pouvoir d’agir", "Power to act"),
    ("liens", "Liens avec les autres", "Ties with others"),
    ("travail-reparation", "Travail et réparation", "Work and repair"),
)
# (key, scale key or None, reversed, French, English); every item on 4 points of agreement, the last a free text.
ITEMS = (
    (
        "confiance-1",
        "confiance",
        False,
        "Je me sens capable d’apprendre des choses nouvelles.",
        "I feel able to learn new things.",
    ),
    (
        "confiance-2",
        "confiance",
        False,
        "Quand un problème arrive, je trouve souvent une solution.",
        "When a problem comes up, I often find a solution.",
    ),
    (
        "confiance-3",
        "confiance",
        True,
        "J’ai souvent peur de ne pas y arriver.",
        "I am often afraid I will not manage.",
    ),
    ("agir-1", "pouvoir-agir", False, "Je peux changer des choses dans ma vie.", "I can change things in my life."),
    (
        "agir-2",
        "pouvoir-agir",
        False,
        "Je sais à qui demander de l’aide quand j’en ai besoin.",
        "I know who to ask for help when I need it.",
    ),
    (
        "agir-3",
        "pouvoir-agir",
        True,
        "Ce qui m’arrive dépend surtout des autres, pas de moi.",
        "What happens to me depends mostly on others, not on me.",
    ),
    ("liens-1", "liens", False, "Je connais des personnes sur qui je peux compter.", "I know people I can count on."),
    (
        "liens-2",
        "liens",
        False,
        "J’aime faire des choses avec d’autres personnes.",
        "I like doing things with other people.",
    ),
    ("liens-3", "liens", True, "Je me sens souvent seul ou seule.", "I often feel lonely."),
    (
        "travail-1",
        "travail-reparation",
        False,
        "Je me vois travailler dans les prochains mois.",
        "I can see myself working in the coming months.",
    ),
    (
        "travail-2",
        "travail-reparation",
        False,
        "Réparer un objet me rend fier ou fière.",
        "Repairing an object makes me proud.",
    ),
    (
        "travail-3",
        "travail-reparation",
        False,
        "Je sais ce que je sais faire de mes mains.",
        "I know what I can do with my hands.",
    ),
)
FREE_TEXT = (
    "mot-libre",
    "Voulez-vous ajouter quelque chose ? (facultatif)",
    "Would you like to add something? (optional)",
)
MOMENTS = (
    (MomentKind.INTAKE, 0),
    (MomentKind.WEEKS_AFTER_ENROLMENT, 8),
    (MomentKind.WEEKS_AFTER_ENROLMENT, 40),
    (MomentKind.EXIT, 0),
    (MomentKind.FOLLOW_UP_6, 0),
    (MomentKind.FOLLOW_UP_12, 0),
    (MomentKind.FOLLOW_UP_24, 0),
)
WORDS = (
    "L’atelier vélo m’a redonné envie de me lever le matin.",
    "J’ai rencontré des gens bien.",
    "Je voudrais plus d’ateliers d’électronique.",
)


def _questionnaire(ctx: DemoContext) -> QuestionnaireVersion:
    admin = ctx.admin
    version = definitions.create_questionnaire(
        admin, key=KEY, title_fr=TITLE[0], title_en=TITLE[1], intro_fr=INTRO[0], intro_en=INTRO[1]
    )
    scales = {}
    for key, label_fr, label_en in SCALES:
        scales[key] = definitions.save_scale(
            admin, version, None, key=key, label_fr=label_fr, label_en=label_en, method=ScaleMethod.MEAN, max_missing=1
        )
    for key, scale, reversed_, text_fr, text_en in ITEMS:
        definitions.save_item(
            admin,
            version,
            None,
            key=key,
            kind=ItemKind.LIKERT4,
            text_fr=text_fr,
            text_en=text_en,
            scale=scales[scale],
            reversed=reversed_,
        )
    definitions.save_item(
        admin, version, None, key=FREE_TEXT[0], kind=ItemKind.TEXT, text_fr=FREE_TEXT[1], text_en=FREE_TEXT[2]
    )
    for moment, weeks in MOMENTS:
        definitions.add_moment(admin, version.questionnaire, moment, weeks or None)
    definitions.publish(admin, version)
    return version


def _at(day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=clock.LAB_TZ)


def _answer(ctx: DemoContext, level: float) -> int:
    """A point near the talent's level (1 to 4)."""
    return max(1, min(4, round(level + ctx.rng.uniform(-0.7, 0.7))))


def _respond(
    ctx: DemoContext,
    version: QuestionnaireVersion,
    talent: User,
    scheduled: scheduling.ScheduledMoment,
    level: float,
    *,
    assisted_by: User | None = None,
    words: str | None = None,
) -> None:
    """A completed response given on the moment's day (or a few days later), as if answered then."""
    answered_on = min(scheduled.due_on + timedelta(days=ctx.rng.randint(0, 6)), clock.today())
    when = _at(answered_on)
    response = QuestionnaireResponse(
        talent_id=talent.id,
        territory_id=talent.territory_id,
        questionnaire_id=version.questionnaire_id,
        version_id=version.id,
        moment=scheduled.moment,
        weeks=scheduled.weeks,
        due_on=scheduled.due_on,
        status=ResponseStatus.COMPLETED,
        assisted_by_id=assisted_by.id if assisted_by is not None else None,
        started_at=when,
        updated_at=when,
        completed_at=when + timedelta(minutes=6),
    )
    db.session.add(response)
    db.session.flush()
    for item in version.items:
        if item.kind == ItemKind.TEXT:
            if words:
                answer = QuestionnaireAnswer(text=words)
            else:
                continue
        elif ctx.rng.random() < 0.04:
            answer = QuestionnaireAnswer(skipped=True)
        else:
            point = _answer(ctx, level)
            answer = QuestionnaireAnswer(value=Decimal(5 - point if item.reversed else point))
        answer.response_id, answer.item_id = response.id, item.id
        answer.answered_at = when + timedelta(seconds=20 * item.position)
        answer.assisted_by_id = response.assisted_by_id
        db.session.add(answer)


def _begun(
    ctx: DemoContext, version: QuestionnaireVersion, talent: User, scheduled: scheduling.ScheduledMoment, level: float
) -> None:
    """A response begun a few days ago, its first three questions answered: it may be finished now."""
    when = _at(clock.today() - timedelta(days=3))
    response = QuestionnaireResponse(
        talent_id=talent.id,
        territory_id=talent.territory_id,
        questionnaire_id=version.questionnaire_id,
        version_id=version.id,
        moment=scheduled.moment,
        weeks=scheduled.weeks,
        due_on=scheduled.due_on,
        started_at=when,
        updated_at=when,
    )
    db.session.add(response)
    db.session.flush()
    for item in version.items[:3]:
        point = _answer(ctx, level)
        db.session.add(
            QuestionnaireAnswer(
                response_id=response.id,
                item_id=item.id,
                value=Decimal(5 - point if item.reversed else point),
                answered_at=when,
            )
        )


def _declined(version: QuestionnaireVersion, talent: User, scheduled: scheduling.ScheduledMoment) -> None:
    when = _at(scheduled.due_on + timedelta(days=2))
    db.session.add(
        QuestionnaireResponse(
            talent_id=talent.id,
            territory_id=talent.territory_id,
            questionnaire_id=version.questionnaire_id,
            version_id=version.id,
            moment=scheduled.moment,
            weeks=scheduled.weeks,
            due_on=scheduled.due_on,
            status=ResponseStatus.DECLINED,
            started_at=when,
            updated_at=when,
            declined_at=when,
        )
    )


def _observe(ctx: DemoContext, mentor: User, talent: User, scheduled: scheduling.ScheduledMoment, level: float) -> None:
    comments = {
        ObservationDimension.AUTONOMY: "Prend des initiatives à l’atelier." if level > 2.6 else "",
        ObservationDimension.TECHNICAL_PROGRESS: "Progresse vite en soudure." if level > 2.8 else "",
    }
    observations.save_observation(
        mentor,
        talent,
        None,
        moment=scheduled.moment,
        weeks=scheduled.weeks,
        observed_on=min(scheduled.due_on + timedelta(days=7), clock.today()),
        ratings={d: observations.RatingInput(_answer(ctx, level), comments.get(d, "")) for d in ObservationDimension},
    )


def seed_questionnaires(ctx: DemoContext) -> None:
    """The questionnaire, then the answers of every consenting demo talent at the moments already past."""
    version = _questionnaire(ctx)
    today = clock.today()
    for territory in ctx.territories.values():
        talents = list(
            db.session.scalars(
                sa.select(User)
                .where(User.territory_id == territory.id, User.role == Role.PARTICIPANT)
                .order_by(User.id)
            )
        )
        mentor = db.session.scalar(
            sa.select(User).where(User.territory_id == territory.id, User.role == Role.MENTOR).order_by(User.id)
        )
        found = scheduling.schedule(sa.select(User.id).where(User.id.in_([t.id for t in talents])), today=today)
        by_talent: dict[int, list[scheduling.ScheduledMoment]] = {}
        for scheduled in found:
            by_talent.setdefault(scheduled.talent_id, []).append(scheduled)
        for n, talent in enumerate(talents, start=1):
            level = ctx.rng.uniform(1.7, 2.7)
            gain = ctx.rng.uniform(0.5, 1.0) if n == 1 else ctx.rng.uniform(-0.1, 0.9)  # the demo talent: progress
            for scheduled in by_talent.get(talent.id, []):
                if scheduled.is_open(today):
                    continue  # still to answer: the talent's home page asks it
                if scheduled.moment == MomentKind.INTAKE:
                    at = level
                elif scheduled.moment == MomentKind.WEEKS_AFTER_ENROLMENT:
                    at = level + gain * min(scheduled.weeks / 40, 1)
                else:
                    at = level + gain
                if n == 1 and scheduled.moment == MomentKind.WEEKS_AFTER_ENROLMENT and scheduled.weeks == 40:
                    _begun(ctx, version, talent, scheduled, at)  # the demo talent's home page: "go on"
                elif n == 3 and scheduled.moment == MomentKind.WEEKS_AFTER_ENROLMENT and scheduled.weeks == 8:
                    _declined(version, talent, scheduled)
                elif n == 11 and scheduled.moment != MomentKind.INTAKE:
                    continue  # missed: never answered
                else:
                    _respond(
                        ctx,
                        version,
                        talent,
                        scheduled,
                        at,
                        assisted_by=mentor if n == 4 else None,
                        words=WORDS[n % len(WORDS)] if n in (1, 5, 8) else None,
                    )
                if mentor is not None and n in (1, 2, 5) and scheduled.moment != MomentKind.FOLLOW_UP_6:
                    _observe(ctx, mentor, talent, scheduled, at)
        # One talent withdrew their consent after their exit: their answers leave later exports.
        if mentor is not None and len(talents) >= 10 and answering.consent_holds(talents[9]):
            answering.withdraw_consent(mentor, talents[9], on=today - timedelta(days=30))
    db.session.flush()
