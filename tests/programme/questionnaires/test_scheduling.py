"""When questionnaires fall due: computed from the path's dates (intake, enrolment + N weeks, exit, exit + months),
open for a while, overdue after two weeks, only for talents who consented."""

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
import time_machine

from repairlab import clock
from repairlab.extensions import db
from repairlab.people.models import Role, User
from repairlab.programme import services as path
from repairlab.programme.models import Evidence, ExitCategory, ExitSubtype
from repairlab.programme.questionnaires import definitions, scheduling
from repairlab.programme.questionnaires.models import MomentKind
from repairlab.programme.questionnaires.scheduling import PathDates, due_on


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=clock.LAB_TZ)


def _keys(found):
    return sorted((s.moment.value, s.weeks, s.due_on) for s in found)


def test_due_days_come_from_the_path():
    dates = PathDates(1, 1, intake_on=date(2026, 3, 2), enrolled_on=date(2026, 3, 9), exited_on=None, consented=True)
    assert due_on(MomentKind.INTAKE, 0, dates) == date(2026, 3, 2)
    assert due_on(MomentKind.WEEKS_AFTER_ENROLMENT, 8, dates) == date(2026, 5, 4)
    assert due_on(MomentKind.EXIT, 0, dates) is None
    assert due_on(MomentKind.FOLLOW_UP_6, 0, dates) is None
    left = PathDates(1, 1, date(2026, 3, 2), date(2026, 3, 9), exited_on=date(2026, 8, 31), consented=True)
    assert due_on(MomentKind.EXIT, 0, left) == date(2026, 8, 31)
    assert due_on(MomentKind.FOLLOW_UP_6, 0, left) == date(2027, 2, 28)  # the month's last day
    assert due_on(MomentKind.FOLLOW_UP_24, 0, left) == date(2028, 8, 31)
    # Nothing "after 40 weeks" once the talent has left before then.
    assert due_on(MomentKind.WEEKS_AFTER_ENROLMENT, 40, left) is None
    assert due_on(MomentKind.WEEKS_AFTER_ENROLMENT, 8, left) == date(2026, 5, 4)


def test_the_moments_fall_due_as_the_path_goes_on(admin, answering_talent, published):
    start = clock.today() - timedelta(days=3)
    talent_ids = sa.select(User.id).where(User.id == answering_talent.id)
    found = scheduling.schedule(talent_ids)
    assert _keys(found) == [("intake", 0, start)]
    assert found[0].is_open(clock.today()) and not found[0].is_overdue(clock.today())
    eight_weeks = start + timedelta(weeks=8)
    later = scheduling.schedule(talent_ids, today=eight_weeks)
    assert _keys(later) == [("intake", 0, start), ("weeks_after_enrolment", 8, eight_weeks)]
    intake, weeks = sorted(later, key=lambda s: s.due_on)
    # The intake's window has closed: missed, no longer asked; the 8 weeks' is open today.
    assert intake.is_missed(eight_weeks) and not intake.is_open(eight_weeks)
    assert weeks.is_open(eight_weeks)
    assert weeks.is_overdue(eight_weeks + timedelta(days=scheduling.OVERDUE_AFTER_DAYS + 1))
    assert not weeks.is_overdue(eight_weeks + timedelta(days=scheduling.OVERDUE_AFTER_DAYS))


def test_the_exit_and_its_follow_ups(admin, answering_talent, published):
    exit_day = clock.today()
    path.record_exit(
        admin,
        answering_talent,
        exit_date=exit_day,
        category=ExitCategory.OTHER_EXIT,
        subtype=ExitSubtype.JOB_SEEKING,
        evidence=Evidence.DECLARED,
    )
    db.session.commit()
    talent_ids = sa.select(sa.literal(answering_talent.id))
    assert ("exit", 0, exit_day) in _keys(scheduling.schedule(talent_ids))
    six_months = path.add_months(exit_day, 6)
    with time_machine.travel(_noon(six_months), tick=False):
        due = scheduling.to_answer(answering_talent)
    assert [(s.moment, s.due_on) for s in due] == [(MomentKind.FOLLOW_UP_6, six_months)]


def test_nothing_is_asked_without_consent(published, make_user, start_path):
    refused = start_path(make_user(Role.PARTICIPANT), consent=False)
    never_recorded = make_user(Role.PARTICIPANT)
    ids = sa.select(User.id).where(User.id.in_([refused.id, never_recorded.id]))
    assert scheduling.schedule(ids) == []


def test_nothing_is_asked_of_an_inactive_account(answering_talent):
    answering_talent.active = False
    db.session.commit()
    assert scheduling.to_answer(answering_talent) == []


def test_a_questionnaire_is_asked_only_once_published(admin, talent, start_path):
    from tests.programme.questionnaires.helpers import build_questionnaire

    draft = build_questionnaire(admin, publish=False)
    start_path(talent)
    assert scheduling.to_answer(talent) == []
    definitions.publish(admin, draft)
    db.session.commit()
    assert [s.moment for s in scheduling.to_answer(talent)] == [MomentKind.INTAKE]


def test_the_territory_list_covers_its_own_talents(answering_talent, make_territory, make_user, start_path):
    elsewhere = start_path(make_user(Role.PARTICIPANT, territory_=make_territory()))
    assert {s.talent_id for s in scheduling.open_in_territory(answering_talent.territory_id)} == {answering_talent.id}
    assert {s.talent_id for s in scheduling.open_in_territory(None)} == {answering_talent.id, elsewhere.id}


def test_the_list_of_a_territory_runs_the_same_queries_for_many_talents(
    published, make_user, start_path, territory, query_counter
):
    from repairlab.programme.questionnaires import queries

    start_path(make_user(Role.PARTICIPANT))
    with query_counter() as few:
        assert len(queries.due_in_territory(territory.id)) == 1
    for _ in range(6):
        start_path(make_user(Role.PARTICIPANT))
    with query_counter() as many:
        assert len(queries.due_in_territory(territory.id)) == 7
    assert many.value == few.value <= 8, many.statements


def test_a_response_left_half_way_is_asked_a_while_then_no_more(answering_talent, published):
    from repairlab.programme.questionnaires import answering

    response = answering.begin(answering_talent, answering_talent, published.questionnaire_id, MomentKind.INTAKE)
    db.session.commit()
    due = response.due_on
    window = timedelta(days=scheduling.ANSWER_WINDOW_DAYS)
    assert [s.response.id for s in scheduling.to_answer(answering_talent, today=due + window + timedelta(days=1))] == [
        response.id
    ]
    later = due + 2 * window + timedelta(days=1)
    # By then a later moment (some weeks after enrolment) may be due too: only the intake matters here.
    assert [s for s in scheduling.to_answer(answering_talent, today=later) if s.moment == MomentKind.INTAKE] == []
    [late] = [
        s
        for s in scheduling.schedule(sa.select(sa.literal(answering_talent.id)), today=later)
        if s.moment == MomentKind.INTAKE
    ]
    assert late.is_missed(later)
