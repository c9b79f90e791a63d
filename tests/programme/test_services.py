"""The rules of a talent's path: intake and consent, path steps, exits, follow-ups, attendance, periods."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, NotFound, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.lending import cards
from repairlab.people.models import Role, Track
from repairlab.programme import attendance, periods, services
from repairlab.programme.models import (
    ActivityKind,
    AgeBand,
    AttendanceMethod,
    Evidence,
    ExitCategory,
    ExitFollowUp,
    ExitSubtype,
    Gender,
    PathEvent,
    PathEventKind,
    SessionAttendance,
    TalentExit,
    TalentIntake,
)
from repairlab.programme.services import add_months


def _exit(actor, talent, when, category=ExitCategory.OTHER_EXIT, subtype=ExitSubtype.JOB_SEEKING, **extra):
    return services.record_exit(
        actor, talent, exit_date=when, category=category, subtype=subtype, evidence=Evidence.DECLARED, **extra
    )


# --- Intake ---------------------------------------------------------------------------------------------------------


def test_an_intake_with_consent_keeps_the_answers_and_the_notice(mentor, talent, days_ago):
    intake = services.record_intake(
        mentor,
        talent,
        intake_date=days_ago(10),
        evaluation_consent=True,
        consent_date=days_ago(10),
        consent_notice_version=" 2026-01 ",
        age_band=AgeBand.UNDER_26,
        gender=None,
        is_neet=True,
    )
    db.session.commit()
    saved = db.session.get(TalentIntake, intake.id)
    assert (saved.consent_notice_version, saved.age_band, saved.gender, saved.is_neet) == (
        "2026-01",
        AgeBand.UNDER_26,
        None,
        True,
    )
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "programme.intake"))
    assert entry.after["age_band"] == "under_26"


def test_without_consent_no_evaluation_answer_is_taken(mentor, talent, days_ago):
    with pytest.raises(ValidationError) as refused:
        services.record_intake(mentor, talent, intake_date=days_ago(1), evaluation_consent=False, gender=Gender.WOMAN)
    assert refused.value.field == "evaluation_consent"
    intake = services.record_intake(
        mentor, talent, intake_date=days_ago(1), evaluation_consent=False, consent_notice_version="v1"
    )
    assert intake.consent_notice_version is None and intake.consent_date is None


def test_consent_needs_its_date_and_the_notice_version(mentor, talent, days_ago):
    with pytest.raises(ValidationError) as refused:
        services.record_intake(mentor, talent, intake_date=days_ago(1), evaluation_consent=True)
    assert refused.value.field == "consent_date"
    with pytest.raises(ValidationError) as refused:
        services.record_intake(
            mentor, talent, intake_date=days_ago(1), evaluation_consent=True, consent_date=days_ago(1)
        )
    assert refused.value.field == "consent_notice_version"


def test_the_database_refuses_answers_without_consent(talent, territory, days_ago):
    db.session.add(
        TalentIntake(
            talent_id=talent.id,
            territory_id=territory.id,
            intake_date=days_ago(1),
            evaluation_consent=False,
            gender=Gender.MAN,
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()


def test_a_second_intake_corrects_the_first(mentor, talent, days_ago):
    first = services.record_intake(mentor, talent, intake_date=days_ago(5), evaluation_consent=False)
    second = services.record_intake(mentor, talent, intake_date=days_ago(4), evaluation_consent=False)
    assert first.id == second.id and second.intake_date == days_ago(4)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TalentIntake)) == 1


def test_dates_in_the_future_are_refused(mentor, talent):
    with pytest.raises(ValidationError) as refused:
        services.record_intake(mentor, talent, intake_date=clock.today() + timedelta(days=1), evaluation_consent=False)
    assert refused.value.field == "intake_date"


def test_staff_of_another_territory_and_talents_may_not_record(make_user, make_territory, talent, days_ago):
    elsewhere = make_user(Role.MENTOR, territory_=make_territory("PAR", "Paris"))
    for actor in (elsewhere, make_user(Role.RESEARCHER), make_user(Role.PARTICIPANT)):
        with pytest.raises(PermissionDenied):
            services.record_intake(actor, talent, intake_date=days_ago(1), evaluation_consent=False)


# --- Path events ----------------------------------------------------------------------------------------------------


def test_enrolment_once_in_a_cohort_of_the_territory(mentor, talent, make_cohort, make_territory, days_ago):
    other = make_cohort("Ailleurs", make_territory("PAR", "Paris"))
    with pytest.raises(ValidationError):
        services.add_path_event(mentor, talent, PathEventKind.ENROLMENT, days_ago(3), cohort=other)
    cohort = make_cohort("Promotion B")
    services.add_path_event(mentor, talent, PathEventKind.ENROLMENT, days_ago(3), cohort=cohort)
    assert talent.cohort_id == cohort.id
    with pytest.raises(Conflict):
        services.add_path_event(mentor, talent, PathEventKind.ENROLMENT, days_ago(2), cohort=cohort)


def test_one_enrolment_per_talent_in_the_database(talent, territory, make_cohort, days_ago):
    cohort = make_cohort()
    for _ in range(2):
        db.session.add(
            PathEvent(
                talent_id=talent.id,
                territory_id=territory.id,
                kind=PathEventKind.ENROLMENT,
                occurred_on=days_ago(1),
                cohort_id=cohort.id,
            )
        )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()


def test_a_track_is_chosen_once_then_changed(mentor, talent, days_ago):
    with pytest.raises(ValidationError):
        services.add_path_event(mentor, talent, PathEventKind.TRACK_CHANGED, days_ago(9), track=Track.EMPLOYMENT)
    services.add_path_event(mentor, talent, PathEventKind.TRACK_CHOSEN, days_ago(9), track=Track.EMPLOYMENT)
    with pytest.raises(Conflict):
        services.add_path_event(mentor, talent, PathEventKind.TRACK_CHOSEN, days_ago(8), track=Track.EMPLOYMENT)
    with pytest.raises(ValidationError):
        services.add_path_event(mentor, talent, PathEventKind.TRACK_CHANGED, days_ago(8), track=Track.EMPLOYMENT)
    services.add_path_event(mentor, talent, PathEventKind.TRACK_CHANGED, days_ago(7), track=Track.ENTREPRENEURSHIP)
    assert talent.track == Track.ENTREPRENEURSHIP
    assert services.current_track(services.path_events_of(talent)) == Track.ENTREPRENEURSHIP


def test_the_database_keeps_tracks_on_track_events_only(talent, territory, days_ago):
    db.session.add(
        PathEvent(
            talent_id=talent.id,
            territory_id=territory.id,
            kind=PathEventKind.SUSPENSION,
            occurred_on=days_ago(1),
            track=Track.EMPLOYMENT,
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()


def test_suspension_and_resumption_alternate(mentor, talent, days_ago):
    with pytest.raises(Conflict):
        services.add_path_event(mentor, talent, PathEventKind.RESUMPTION, days_ago(5))
    services.add_path_event(mentor, talent, PathEventKind.SUSPENSION, days_ago(5), note="Santé")
    with pytest.raises(Conflict):
        services.add_path_event(mentor, talent, PathEventKind.SUSPENSION, days_ago(4))
    with pytest.raises(ValidationError):
        services.add_path_event(mentor, talent, PathEventKind.RESUMPTION, days_ago(6))
    services.add_path_event(mentor, talent, PathEventKind.RESUMPTION, days_ago(2))
    events = services.path_events_of(talent)
    assert not services.is_suspended(events) and services.is_suspended(events, on=days_ago(3))


def test_a_long_note_is_refused_not_cut(mentor, talent, days_ago):
    with pytest.raises(ValidationError, match="500"):
        services.add_path_event(mentor, talent, PathEventKind.SUSPENSION, days_ago(1), note="x" * 501)


def test_no_step_after_the_exit(mentor, talent, days_ago):
    _exit(mentor, talent, days_ago(10))
    with pytest.raises(ValidationError):
        services.add_path_event(mentor, talent, PathEventKind.SUSPENSION, days_ago(5))


# --- Exit -----------------------------------------------------------------------------------------------------------


def test_an_exit_is_recorded_once(mentor, talent, days_ago):
    talent_exit = _exit(mentor, talent, days_ago(3), ExitCategory.DURABLE_EMPLOYMENT, ExitSubtype.PERMANENT_CONTRACT)
    db.session.commit()
    assert db.session.get(TalentExit, talent_exit.id).category == ExitCategory.DURABLE_EMPLOYMENT
    with pytest.raises(Conflict):
        _exit(mentor, talent, days_ago(2))


def test_the_situation_must_belong_to_the_category(mentor, talent, days_ago):
    with pytest.raises(ValidationError) as refused:
        _exit(mentor, talent, days_ago(3), ExitCategory.DURABLE_EMPLOYMENT, ExitSubtype.FIXED_TERM_UNDER_6_MONTHS)
    assert refused.value.field == "subtype"


def test_the_database_checks_category_and_situation(talent, territory, days_ago):
    db.session.add(
        TalentExit(
            talent_id=talent.id,
            territory_id=territory.id,
            exit_date=days_ago(1),
            category=ExitCategory.POSITIVE_EXIT,
            subtype=ExitSubtype.PERMANENT_CONTRACT,
            evidence=Evidence.PROVEN,
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()


def test_one_exit_per_talent_in_the_database(talent, territory, days_ago):
    for _ in range(2):
        db.session.add(
            TalentExit(
                talent_id=talent.id,
                territory_id=territory.id,
                exit_date=days_ago(1),
                category=ExitCategory.OTHER_EXIT,
                subtype=ExitSubtype.UNKNOWN,
                evidence=Evidence.DECLARED,
            )
        )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()


def test_the_exit_is_not_before_the_last_step(mentor, talent, days_ago):
    services.add_path_event(mentor, talent, PathEventKind.SUSPENSION, days_ago(5))
    with pytest.raises(ValidationError):
        _exit(mentor, talent, days_ago(6))


def _launched_project(mentor, talent, territory):
    from repairlab.projects import services as projects
    from repairlab.projects.models import ProjectStatus, Sector

    projects.create_stage(None, "Idée")
    project = projects.create_project(
        None,
        territory,
        projects.ProjectFields(name="Vélos du quartier", sector=Sector.BIKES, start_date=clock.today()),
        team=[talent],
        mentors=[mentor],
    )
    projects.set_status(mentor, project, ProjectStatus.LAUNCHED)
    return project


def test_a_business_creation_links_the_launched_project(mentor, make_user, territory, days_ago):
    entrepreneur = make_user(Role.PARTICIPANT, track=Track.ENTREPRENEURSHIP)
    project = _launched_project(mentor, entrepreneur, territory)
    with pytest.raises(ValidationError):
        _exit(mentor, entrepreneur, days_ago(1), project=project)  # not a business creation
    talent_exit = _exit(
        mentor,
        entrepreneur,
        days_ago(1),
        ExitCategory.DURABLE_EMPLOYMENT,
        ExitSubtype.BUSINESS_CREATION,
        project=project,
    )
    assert talent_exit.project_id == project.id
    assert services.launched_projects_of(entrepreneur) == [project]


def test_a_correction_keeps_the_old_values_in_the_log(mentor, talent, days_ago):
    talent_exit = _exit(mentor, talent, days_ago(3))
    services.correct_exit(
        mentor,
        talent_exit,
        exit_date=days_ago(3),
        category=ExitCategory.TRANSITION_EMPLOYMENT,
        subtype=ExitSubtype.SUBSIDISED_CONTRACT,
        evidence=Evidence.PROVEN,
    )
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "programme.exit_correct"))
    assert entry.before["category"] == "other_exit" and entry.after["category"] == "transition_employment"


# --- Follow-ups -----------------------------------------------------------------------------------------------------


def test_add_months_keeps_the_day_or_the_month_end():
    from datetime import date

    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)
    assert add_months(date(2026, 12, 15), -6) == date(2026, 6, 15)


def test_a_follow_up_once_per_milestone_and_not_too_early(mentor, talent, days_ago):
    talent_exit = _exit(mentor, talent, add_months(clock.today(), -7))
    with pytest.raises(ValidationError):
        services.record_follow_up(mentor, talent_exit, 12, contacted_on=clock.today(), reached=False)
    with pytest.raises(ValidationError):
        services.record_follow_up(mentor, talent_exit, 3, contacted_on=clock.today(), reached=False)
    services.record_follow_up(mentor, talent_exit, 6, contacted_on=clock.today(), reached=False)
    with pytest.raises(Conflict):
        services.record_follow_up(mentor, talent_exit, 6, contacted_on=clock.today(), reached=False)


def test_not_reached_is_an_answer_without_situation(mentor, talent):
    talent_exit = _exit(mentor, talent, add_months(clock.today(), -6))
    follow_up = services.record_follow_up(
        mentor,
        talent_exit,
        6,
        contacted_on=clock.today(),
        reached=False,
        category=ExitCategory.DURABLE_EMPLOYMENT,
        subtype=ExitSubtype.CIVIL_SERVICE,
        evidence=Evidence.PROVEN,
    )
    assert (follow_up.reached, follow_up.category, follow_up.subtype) == (False, None, None)


def test_a_reached_talent_has_a_situation(mentor, talent):
    talent_exit = _exit(mentor, talent, add_months(clock.today(), -6))
    with pytest.raises(ValidationError):
        services.record_follow_up(mentor, talent_exit, 6, contacted_on=clock.today(), reached=True)
    follow_up = services.record_follow_up(
        mentor,
        talent_exit,
        6,
        contacted_on=clock.today(),
        reached=True,
        category=ExitCategory.DURABLE_EMPLOYMENT,
        subtype=ExitSubtype.CIVIL_SERVICE,
        evidence=Evidence.PROVEN,
    )
    assert follow_up.subtype == ExitSubtype.CIVIL_SERVICE


def test_the_database_checks_follow_up_milestones_and_situations(mentor, talent):
    talent_exit = _exit(mentor, talent, add_months(clock.today(), -6))
    base = {
        "talent_exit_id": talent_exit.id,
        "talent_id": talent.id,
        "territory_id": talent.territory_id,
        "contacted_on": clock.today(),
    }
    for values in (
        {"months_after_exit": 9, "reached": False},
        {"months_after_exit": 6, "reached": True},
        {"months_after_exit": 6, "reached": False, "category": ExitCategory.OTHER_EXIT},
    ):
        db.session.add(ExitFollowUp(**base, **values))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


# --- Attendance -----------------------------------------------------------------------------------------------------


@pytest.fixture
def session(mentor, territory):
    return attendance.create_session(
        mentor, territory, kind=ActivityKind.WORKSHOP, title="  Atelier soudure ", held_on=clock.today()
    )


def test_a_session_gets_a_whole_list_at_once_and_ignores_repeats(mentor, session, make_user):
    first, second = make_user(Role.PARTICIPANT), make_user(Role.PARTICIPANT)
    added = attendance.record_attendance(mentor, session, [first.id, second.id])
    assert {t.id for t in added} == {first.id, second.id} and session.title == "Atelier soudure"
    assert attendance.record_attendance(mentor, session, [first.id]) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SessionAttendance)) == 2


def test_only_talents_of_the_territory_are_marked(mentor, session, make_user, make_territory):
    stranger = make_user(Role.PARTICIPANT, territory_=make_territory("PAR", "Paris"))
    with pytest.raises(ValidationError):
        attendance.record_attendance(mentor, session, [stranger.id])
    with pytest.raises(ValidationError):
        attendance.record_attendance(mentor, session, [mentor.id])


def test_a_member_card_marks_its_talent(mentor, session, talent):
    card = cards.card_for(talent)
    person, added = attendance.record_attendance_by_card(mentor, session, card.token.lower())
    assert person.id == talent.id and added
    row = db.session.scalar(sa.select(SessionAttendance))
    assert row.method == AttendanceMethod.CARD
    assert attendance.record_attendance_by_card(mentor, session, card.token) == (talent, False)
    with pytest.raises(NotFound):
        attendance.record_attendance_by_card(mentor, session, "M-NOPE")


def test_staff_of_another_territory_may_not_record_attendance(session, make_user, make_territory, talent):
    other = make_user(Role.LAB_MANAGER, territory_=make_territory("PAR", "Paris"))
    with pytest.raises(PermissionDenied):
        attendance.record_attendance(other, session, [talent.id])


def test_one_attendance_per_talent_and_session_in_the_database(session, talent, mentor):
    for _ in range(2):
        db.session.add(SessionAttendance(session_id=session.id, talent_id=talent.id, method=AttendanceMethod.LIST))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()


def test_a_session_title_and_duration_are_checked(mentor, territory):
    with pytest.raises(ValidationError):
        attendance.create_session(mentor, territory, kind=ActivityKind.OTHER, title=" ", held_on=clock.today())
    with pytest.raises(ValidationError):
        attendance.create_session(
            mentor, territory, kind=ActivityKind.OTHER, title="A", held_on=clock.today(), duration_minutes=2000
        )


# --- Periods --------------------------------------------------------------------------------------------------------


def test_periods_are_admins_data(admin, mentor, territory, make_cohort, days_ago):
    with pytest.raises(PermissionDenied):
        periods.save_period(
            mentor, None, number=1, name="P1", start_date=days_ago(1), end_date=days_ago(0), target_talents=1
        )
    period = periods.save_period(
        admin, None, number=2, name="Prototypage", start_date=days_ago(10), end_date=days_ago(0), target_talents=300
    )
    with pytest.raises(Conflict):
        periods.save_period(
            admin, None, number=2, name="Autre", start_date=days_ago(10), end_date=days_ago(0), target_talents=0
        )
    db.session.rollback()
    period = periods.save_period(
        admin, None, number=2, name="Prototypage", start_date=days_ago(10), end_date=days_ago(0), target_talents=300
    )
    with pytest.raises(ValidationError):
        periods.set_territory_target(
            admin, period, territory, start_date=days_ago(0), end_date=days_ago(5), target_talents=100
        )
    target = periods.set_territory_target(
        admin, period, territory, start_date=days_ago(10), end_date=days_ago(0), target_talents=100
    )
    again = periods.set_territory_target(
        admin, period, territory, start_date=days_ago(10), end_date=days_ago(0), target_talents=120
    )
    assert target.id == again.id and again.target_talents == 120
    cohort = make_cohort()
    periods.set_cohort_period(admin, cohort, period)
    with pytest.raises(Conflict):
        periods.delete_period(admin, period)
    periods.set_cohort_period(admin, cohort, None)
    periods.delete_period(admin, period)
