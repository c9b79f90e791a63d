"""The read side: counts for the indicators on a small hand-made data set, the attention lists, the timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from repairlab import clock
from repairlab.extensions import db
from repairlab.people.models import Role, Track
from repairlab.programme import attendance, periods, queries, services
from repairlab.programme.models import ActivityKind, Evidence, ExitCategory, ExitSubtype, PathEventKind
from repairlab.programme.services import add_months


@pytest.fixture
def cohort_talents(make_user, make_cohort):
    cohort = make_cohort("Promo A", target=10)
    return cohort, [make_user(Role.PARTICIPANT, cohort=cohort, track=Track.EMPLOYMENT) for _ in range(5)]


def test_counts_by_exit_category_and_path_state(mentor, admin, cohort_talents, make_user, make_territory, days_ago):
    cohort, talents = cohort_talents
    for talent in talents:
        services.add_path_event(mentor, talent, PathEventKind.ENROLMENT, days_ago(100), cohort=cohort)
    services.record_exit(
        mentor,
        talents[0],
        exit_date=days_ago(10),
        category=ExitCategory.DURABLE_EMPLOYMENT,
        subtype=ExitSubtype.PERMANENT_CONTRACT,
        evidence=Evidence.PROVEN,
    )
    services.record_exit(
        mentor,
        talents[1],
        exit_date=days_ago(5),
        category=ExitCategory.OTHER_EXIT,
        subtype=ExitSubtype.UNKNOWN,
        evidence=Evidence.DECLARED,
    )
    services.add_path_event(mentor, talents[2], PathEventKind.SUSPENSION, days_ago(3))
    # Another territory's talent is not counted for this one.
    make_user(Role.PARTICIPANT, territory_=make_territory("PAR", "Paris"))
    db.session.commit()
    here = queries.PathFilters(territory_id=talents[0].territory_id)
    counts = queries.exit_counts_by_category(here)
    assert counts[ExitCategory.DURABLE_EMPLOYMENT] == 1 and counts[ExitCategory.OTHER_EXIT] == 1
    assert counts[ExitCategory.POSITIVE_EXIT] == 0
    status = queries.path_status_counts(here)
    assert (status.talents, status.enrolled, status.exited, status.suspended, status.active) == (5, 5, 2, 1, 2)
    assert queries.exit_counts_by_category(queries.PathFilters(start=days_ago(7)))[ExitCategory.DURABLE_EMPLOYMENT] == 0
    period = periods.save_period(
        admin, None, number=1, name="P1", start_date=days_ago(200), end_date=days_ago(0), target_talents=10
    )
    periods.set_cohort_period(admin, cohort, period)
    periods.set_territory_target(
        admin, period, cohort.territory, start_date=days_ago(200), end_date=days_ago(0), target_talents=8
    )
    assert queries.exit_counts_by_category(queries.PathFilters(period_id=period.id))[ExitCategory.OTHER_EXIT] == 1
    [row] = queries.enrolment_against_targets()
    assert (row.target_talents, row.enrolled) == (8, 5)


def test_follow_ups_due_and_their_counts(mentor, cohort_talents):
    _cohort, talents = cohort_talents
    today = clock.today()
    long_ago = services.record_exit(
        mentor,
        talents[0],
        exit_date=add_months(today, -13),
        category=ExitCategory.POSITIVE_EXIT,
        subtype=ExitSubtype.QUALIFYING_TRAINING,
        evidence=Evidence.PROVEN,
    )
    services.record_exit(
        mentor,
        talents[1],
        exit_date=today - timedelta(days=10),
        category=ExitCategory.POSITIVE_EXIT,
        subtype=ExitSubtype.QUALIFYING_TRAINING,
        evidence=Evidence.PROVEN,
    )
    services.record_follow_up(mentor, long_ago, 6, contacted_on=add_months(long_ago.exit_date, 6), reached=False)
    db.session.commit()
    due = queries.follow_ups_due(talents[0].territory_id)
    assert [(d.talent.id, d.months) for d in due] == [(talents[0].id, 12)]
    counts = queries.follow_up_counts(queries.PathFilters())
    assert counts[6] == {"not_reached": 1, "due": 0} and counts[12] == {"due": 1} and counts[24] == {"due": 0}


def test_quiet_talents_and_exits_missing(mentor, cohort_talents, territory, days_ago):
    cohort, talents = cohort_talents
    session = attendance.create_session(
        mentor, territory, kind=ActivityKind.WORKSHOP, title="Atelier", held_on=days_ago(2)
    )
    attendance.record_attendance(mentor, session, [talents[0].id])
    old = attendance.create_session(mentor, territory, kind=ActivityKind.WORKSHOP, title="Vieux", held_on=days_ago(60))
    attendance.record_attendance(mentor, old, [talents[1].id])
    services.add_path_event(mentor, talents[2], PathEventKind.SUSPENSION, days_ago(50))
    services.record_exit(
        mentor,
        talents[3],
        exit_date=days_ago(40),
        category=ExitCategory.OTHER_EXIT,
        subtype=ExitSubtype.UNKNOWN,
        evidence=Evidence.DECLARED,
    )
    db.session.commit()
    quiet = queries.quiet_talents(territory.id, weeks=4)
    assert [q.talent.id for q in quiet] == [talents[4].id, talents[1].id]  # never seen first
    assert quiet[1].last_activity == days_ago(60)
    cohort.end_date = days_ago(1)
    cohort.start_date = days_ago(300)
    db.session.commit()
    missing = {row.talent.id for row in queries.exits_missing(territory.id)}
    assert missing == {talents[0].id, talents[1].id, talents[2].id, talents[4].id}


def test_the_attention_list_is_bounded_in_queries(mentor, cohort_talents, territory, query_counter):
    territory_id = territory.id
    with query_counter() as count:
        queries.attention(territory_id)
    assert count.value <= 3, count.statements


def test_the_timeline_gathers_every_source(app, mentor, talent, territory, days_ago):
    services.record_intake(mentor, talent, intake_date=days_ago(30), evaluation_consent=False)
    services.add_path_event(mentor, talent, PathEventKind.TRACK_CHOSEN, days_ago(20), track=Track.EMPLOYMENT)
    session = attendance.create_session(
        mentor, territory, kind=ActivityKind.REPAIR_CAFE, title="Repair café", held_on=days_ago(10)
    )
    attendance.record_attendance(mentor, session, [talent.id])
    db.session.commit()
    with app.test_request_context():
        entries = queries.timeline(talent, mentor)
    assert [e.kind for e in entries] == ["attendance", "path", "intake"]
    assert entries[0].title.endswith("Repair café")
