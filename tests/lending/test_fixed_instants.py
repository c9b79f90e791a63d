"""The date-sensitive rules at instants where "today" is easy to get wrong: Paris and UTC on different dates (just
after midnight in Paris it is still yesterday in UTC), a Sunday evening (tomorrow is next week), New Year's Eve,
29 February, and the night clocks go back. Each test gives the clock to the rule through time-machine."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.lending import policies, queries, reminders, services
from repairlab.lending.models import Reminder
from repairlab.lending.reservations import queries as reservation_queries
from repairlab.lending.reservations import services as reservations
from repairlab.skills import catalogue, validations
from repairlab.skills.models import SkillValidation

PARIS = ZoneInfo("Europe/Paris")

# (instant, the date it is in Paris)
INSTANTS = [
    pytest.param((datetime(2026, 12, 6, 23, 30, tzinfo=PARIS), date(2026, 12, 6)), id="sunday-evening"),
    pytest.param((datetime(2026, 12, 7, 0, 30, tzinfo=PARIS), date(2026, 12, 7)), id="monday-0h30-still-sunday-utc"),
    pytest.param((datetime(2026, 12, 31, 23, 45, tzinfo=PARIS), date(2026, 12, 31)), id="new-years-eve"),
    pytest.param((datetime(2027, 1, 1, 0, 15, tzinfo=PARIS), date(2027, 1, 1)), id="new-year-still-2026-utc"),
    pytest.param((datetime(2028, 2, 29, 0, 30, tzinfo=PARIS), date(2028, 2, 29)), id="29-february-0h30"),
    pytest.param((datetime(2028, 2, 29, 23, 30, tzinfo=PARIS), date(2028, 2, 29)), id="29-february-23h30"),
    pytest.param((datetime(2027, 10, 31, 2, 30, tzinfo=PARIS), date(2027, 10, 31)), id="clocks-go-back"),
]


@pytest.fixture(params=INSTANTS)
def at(request, time_machine):
    """Move the clock to the instant (it stands still there), the server's own time zone being UTC as on most
    servers; return the date it is in Paris."""
    instant, paris_day = request.param
    time_machine.move_to(instant.astimezone(UTC), tick=False)
    assert clock.today() == paris_day  # the programme's today, whatever the server's time zone
    return paris_day


def test_a_loan_for_today_is_due_at_the_end_of_the_day_in_paris(db, at, tool, talent, lend):
    loan = lend(talent, tool, talent, kind="in_lab")
    due = loan.due_at.astimezone(PARIS)
    assert (due.date(), due.hour, due.minute) == (at, 23, 59)
    assert queries.days_late(loan) == 0


def test_a_take_home_loan_is_due_the_usual_number_of_days_after_paris_today(db, app, at, tool, talent, lend):
    loan = lend(talent, tool, talent, kind="take_home")
    assert loan.due_at.astimezone(PARIS).date() == at + timedelta(days=app.config["LOAN_DEFAULT_DAYS"])
    assert policies.default_due_date() == at + timedelta(days=app.config["LOAN_DEFAULT_DAYS"])


def test_a_return_date_of_yesterday_is_refused_and_today_is_accepted(db, at, tool, talent, lend):
    from repairlab.errors import ValidationError

    with pytest.raises(ValidationError, match="dans le passé"):
        services.check_out_item(talent, tool, talent, kind="take_home", due_at=at - timedelta(days=1))
    db.session.rollback()
    loan = lend(talent, tool, talent, kind="take_home", due_at=at)
    assert loan.due_at.astimezone(PARIS).date() == at


def test_a_loan_due_yesterday_is_one_day_late_and_reminded_once(db, at, tool, make_item, talent, lend):
    late = lend(talent, tool, talent, kind="take_home")
    late.due_at = clock.end_of_day(at - timedelta(days=1))
    due_today = lend(talent, make_item("Ponceuse"), talent, kind="take_home")
    due_today.due_at = clock.end_of_day(at)
    db.session.commit()

    assert queries.days_late(late) == 1 and queries.days_late(due_today) == 0
    assert reminders.overdue_loans(at) == [late]
    assert reminders.send_reminders(mailer=None)["in_app"] == 1
    assert reminders.send_reminders(mailer=None)["in_app"] == 0  # once a day, whatever the hour
    assert db.session.scalars(sa.select(Reminder.sent_on)).all() == [at]


def test_a_reservation_may_start_today_in_paris_but_not_yesterday(db, at, tool, talent):
    from repairlab.errors import ValidationError

    with pytest.raises(ValidationError):
        reservations.reserve_item(talent, tool, starts_on=at - timedelta(days=1), ends_on=at, borrower=talent)
    db.session.rollback()
    reservation = reservations.reserve_item(talent, tool, starts_on=at, ends_on=at, borrower=talent)
    db.session.commit()
    assert reservation_queries.my_reservations(talent) == ([reservation], [])


def test_the_calendar_week_holds_today_and_tomorrow_may_be_next_week(db, at):
    monday = reservation_queries.week_start(at)
    assert monday.weekday() == 0 and monday <= at < monday + timedelta(days=7)
    tomorrow = at + timedelta(days=1)
    assert (reservation_queries.week_start(tomorrow) == monday) == (at.weekday() != 6)


def test_a_safety_skill_expires_on_its_day_in_paris(db, at, admin, make_user, talent):
    from repairlab.people.models import Role

    domain = catalogue.create_domain(admin, name="Sécurité")
    skill = catalogue.create_skill(admin, domain=domain, name="Découpeuse laser", is_safety=True, validity_months=12)
    mentor = make_user(Role.MENTOR)
    validation = validations.validate_skill(
        mentor, talent, skill, level=2, validated_on=validations.add_months(at, -12)
    )
    db.session.commit()
    expires = validation.expires_on
    # Twelve months on (29 February gives 28 February, or the 29th in a leap year): expired from that day on.
    assert expires == validations.add_months(validations.add_months(at, -12), 12) and expires <= at
    assert validation.is_expired(clock.today())
    assert not validation.is_expired(expires - timedelta(days=1))
    assert db.session.scalar(sa.select(sa.func.count(SkillValidation.id))) == 1
