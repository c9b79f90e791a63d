"""Demo data of the programme: the three periods and their targets, and a path for every demo talent (intake,
enrolment, track, sessions attended, suspensions, exits of each category, follow-ups due and done), in French."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from repairlab import clock
from repairlab.demo import DemoContext
from repairlab.extensions import db
from repairlab.people.models import Cohort, Role, Territory, Track, User
from repairlab.programme import attendance, periods, services
from repairlab.programme.models import (
    ActivityKind,
    AgeBand,
    AttendanceMethod,
    DiplomaLevel,
    Evidence,
    ExitCategory,
    ExitSubtype,
    Gender,
    PathEventKind,
    ResidenceArea,
    SourcingPartner,
    TimeOutOfEmployment,
)

NOTICE_VERSION = "2026-01"

PERIODS = (
    (
        1,
        "Période 1 – Remobilisation",
        "Remobilisation de 1 500 talents sur trois territoires : ateliers, réparation, premiers pas vers l’emploi.",
        date(2026, 1, 1),
        date(2027, 12, 31),
        1500,
        500,
    ),
    (
        2,
        "Période 2 – Prototypage et incubation",
        "300 talents prototypent et incubent une activité économique avec les mentors.",
        date(2028, 1, 1),
        date(2028, 12, 31),
        300,
        100,
    ),
    (
        3,
        "Période 3 – Essaimage",
        "Transfert du programme dans trois nouveaux territoires.",
        date(2029, 1, 1),
        date(2029, 12, 31),
        450,
        0,
    ),
)

SESSION_TITLES = (
    (ActivityKind.COLLECTIVE_INFO, "Réunion d’accueil de la promotion"),
    (ActivityKind.WORKSHOP, "Atelier soudure à l’étain"),
    (ActivityKind.REPAIR_CAFE, "Repair café du samedi"),
    (ActivityKind.WORKSHOP, "Atelier vélo : freins et dérailleurs"),
    (ActivityKind.TRAINING, "Sécurité à l’atelier et habilitations"),
    (ActivityKind.COMPANY_VISIT, "Visite d’une recyclerie"),
    (ActivityKind.WORKSHOP, "Atelier petit électroménager"),
    (ActivityKind.REPAIR_CAFE, "Repair café de quartier"),
    (ActivityKind.WORKSHOP, "Atelier menuiserie : réparer une chaise"),
    (ActivityKind.TRAINING, "Préparer un entretien d’embauche"),
)

# Exits by talent number (days before today): each category appears in every territory.
EXITS = {
    2: (240, ExitCategory.DURABLE_EMPLOYMENT, ExitSubtype.PERMANENT_CONTRACT, Evidence.PROVEN),
    4: (200, ExitCategory.TRANSITION_EMPLOYMENT, ExitSubtype.FIXED_TERM_UNDER_6_MONTHS, Evidence.DECLARED),
    5: (195, ExitCategory.POSITIVE_EXIT, ExitSubtype.QUALIFYING_TRAINING, Evidence.PROVEN),
    8: (120, ExitCategory.DURABLE_EMPLOYMENT, ExitSubtype.TEMPING_6_MONTHS_OR_MORE, Evidence.DECLARED),
    10: (100, ExitCategory.OTHER_EXIT, ExitSubtype.MOVED_AWAY, Evidence.DECLARED),
}


def _seed_periods(ctx: DemoContext) -> dict[int, object]:
    made = {}
    for number, name, description, start, end, target, per_territory in PERIODS:
        period = periods.save_period(
            ctx.admin,
            None,
            number=number,
            name=name,
            description=description,
            start_date=start,
            end_date=end,
            target_talents=target,
        )
        made[number] = period
        if per_territory:
            for territory in ctx.territories.values():
                periods.set_territory_target(
                    ctx.admin, period, territory, start_date=start, end_date=end, target_talents=per_territory
                )
    for cohort in db.session.scalars(sa.select(Cohort)):
        periods.set_cohort_period(ctx.admin, cohort, made[1])
    return made


def _intake_values(ctx: DemoContext, n: int) -> dict:
    rng = ctx.rng
    age = rng.choice(list(AgeBand))
    return {
        "age_band": age,
        "gender": rng.choice([Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.MAN, None]),
        "residence_area": rng.choice(
            [ResidenceArea.QPV, ResidenceArea.QPV, ResidenceArea.RURAL, ResidenceArea.NEITHER]
        ),
        "receives_minimum_social_benefits": rng.random() < 0.6,
        "diploma_level": rng.choice(list(DiplomaLevel)),
        "time_out_of_employment": rng.choice(list(TimeOutOfEmployment)),
        "is_neet": (age == AgeBand.UNDER_26 and rng.random() < 0.7) if n % 4 else None,
        "sourcing_partner": rng.choice(list(SourcingPartner)),
    }


def _seed_territory(ctx: DemoContext, territory: Territory, today: date) -> None:
    talents = list(
        db.session.scalars(
            sa.select(User).where(User.territory_id == territory.id, User.role == Role.PARTICIPANT).order_by(User.id)
        )
    )
    staff = db.session.scalar(
        sa.select(User).where(User.territory_id == territory.id, User.role == Role.MENTOR).order_by(User.id)
    )
    if staff is None or not talents:
        return
    exits: dict[int, date] = {}
    for n, talent in enumerate(talents, start=1):
        cohort = talent.cohort
        start = min(cohort.start_date if cohort else today - timedelta(days=300), today - timedelta(days=280))
        consent = n != 6
        intake_date = start - timedelta(days=ctx.rng.randint(3, 12))
        services.record_intake(
            staff,
            talent,
            intake_date=intake_date,
            evaluation_consent=consent,
            consent_date=intake_date if consent else None,
            consent_notice_version=NOTICE_VERSION if consent else None,
            **(_intake_values(ctx, n) if consent else {}),
        )
        if cohort is not None:
            services.add_path_event(staff, talent, PathEventKind.ENROLMENT, start, cohort=cohort)
        track = talent.track or Track.EMPLOYMENT
        first_track = Track.EMPLOYMENT if n == 9 else track
        services.add_path_event(
            staff, talent, PathEventKind.TRACK_CHOSEN, start + timedelta(days=14), track=first_track
        )
        if n == 9 and track != first_track:
            services.add_path_event(
                staff,
                talent,
                PathEventKind.TRACK_CHANGED,
                start + timedelta(days=75),
                track=track,
                note="Veut monter un atelier de réparation de vélos avec deux autres talents.",
            )
        if n == 7:
            services.add_path_event(
                staff, talent, PathEventKind.SUSPENSION, today - timedelta(days=45), note="Raisons de santé."
            )
        if n == 11:
            services.add_path_event(staff, talent, PathEventKind.SUSPENSION, today - timedelta(days=150))
            services.add_path_event(staff, talent, PathEventKind.RESUMPTION, today - timedelta(days=110))
        if n in EXITS:
            exits[talent.id] = today - timedelta(days=EXITS[n][0])
    _seed_sessions(ctx, territory, staff, talents=talents, exits=exits, today=today)
    for n, talent in enumerate(talents, start=1):
        if n not in EXITS:
            continue
        days, category, subtype, evidence = EXITS[n]
        talent_exit = services.record_exit(
            staff,
            talent,
            exit_date=today - timedelta(days=days),
            category=category,
            subtype=subtype,
            evidence=evidence,
        )
        # +6 months: done for some, due for the others (the attention list shows them).
        due = services.follow_up_due_on(talent_exit, 6)
        if due <= today and n == 2:
            services.record_follow_up(
                staff,
                talent_exit,
                6,
                contacted_on=due + timedelta(days=3),
                reached=True,
                category=ExitCategory.DURABLE_EMPLOYMENT,
                subtype=ExitSubtype.PERMANENT_CONTRACT,
                evidence=Evidence.DECLARED,
            )
        elif due <= today and n == 5:
            services.record_follow_up(staff, talent_exit, 6, contacted_on=due + timedelta(days=5), reached=False)
    _seed_business_creations(staff, talents, today)


def _seed_sessions(ctx, territory, staff, *, talents, exits, today: date) -> None:
    """A session every three weeks since the cohort began, the last one this week; most talents come."""
    lab = territory.labs[0] if territory.labs else None
    suspended = {talents[6].id} if len(talents) > 6 else set()
    quiet = {talents[2].id} if len(talents) > 2 else set()  # no session for a while: the attention list
    count = len(SESSION_TITLES)
    for index, (kind, title) in enumerate(SESSION_TITLES):
        held_on = today - timedelta(days=3 + 21 * (count - 1 - index))
        session = attendance.create_session(
            staff, territory, kind=kind, title=title, held_on=held_on, duration_minutes=120 + 60 * (index % 2), lab=lab
        )
        present = [
            t.id
            for t in talents
            if (t.id not in exits or exits[t.id] >= held_on)
            and not (t.id in suspended and held_on > today - timedelta(days=45))
            and not (t.id in quiet and held_on > today - timedelta(days=60))
            and ctx.rng.random() < 0.8
        ]
        method = AttendanceMethod.CARD if index % 3 == 0 else AttendanceMethod.LIST
        attendance.record_attendance(staff, session, present, method=method)


def _seed_business_creations(staff: User, talents: list[User], today: date) -> None:
    """Entrepreneurs whose project launched leave as business creators, the project linked."""
    for talent in talents:
        if talent.track != Track.ENTREPRENEURSHIP or services.exit_of(talent) is not None:
            continue
        launched = services.launched_projects_of(talent)
        if launched and not services.is_suspended(services.path_events_of(talent)):
            services.record_exit(
                staff,
                talent,
                exit_date=today - timedelta(days=20),
                category=ExitCategory.DURABLE_EMPLOYMENT,
                subtype=ExitSubtype.BUSINESS_CREATION,
                evidence=Evidence.PROVEN,
                project=launched[0],
            )


def seed_programme(ctx: DemoContext) -> None:
    """Periods with their targets, then every demo talent's path."""
    _seed_periods(ctx)
    today = clock.today()
    for territory in ctx.territories.values():
        _seed_territory(ctx, territory, today)
