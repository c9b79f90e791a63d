"""Milestones: due dates, done and undone, overdue when not done by their due date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from repairlab import clock
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.people.models import Role
from repairlab.projects import services


@pytest.fixture
def project(territory, make_project, talent, mentor):
    return make_project(territory, team=[talent], mentors=[mentor])


def test_a_milestone_is_overdue_when_not_done_by_its_due_date(db, project, mentor):
    today = clock.today()
    late = services.add_milestone(mentor, project, "Trouver un local", today - timedelta(days=1))
    due_today = services.add_milestone(mentor, project, "Premier client", today)
    assert services.is_overdue(late) and not services.is_overdue(due_today)
    services.set_milestone_done(mentor, late, True)
    assert not services.is_overdue(late)


def test_the_team_marks_a_milestone_done_and_undoes_it(db, project, talent):
    milestone = services.add_milestone(talent, project, "Devis type", date(2026, 5, 1))
    services.set_milestone_done(talent, milestone, True)
    assert milestone.done_on == clock.today()
    with pytest.raises(Conflict):
        services.set_milestone_done(talent, milestone, True)
    services.set_milestone_done(talent, milestone, False)
    assert milestone.done_on is None


def test_a_milestone_needs_a_title_and_a_date(db, project, mentor):
    with pytest.raises(ValidationError):
        services.add_milestone(mentor, project, " ", date(2026, 5, 1))
    with pytest.raises(ValidationError):
        services.add_milestone(mentor, project, "Local", None)


def test_a_milestone_is_edited_and_deleted(db, project, mentor):
    milestone = services.add_milestone(mentor, project, "Local", date(2026, 5, 1))
    services.update_milestone(mentor, milestone, "Local trouvé", date(2026, 6, 1), "Rue de Lannoy")
    assert (milestone.title, milestone.due_on) == ("Local trouvé", date(2026, 6, 1))
    services.delete_milestone(mentor, milestone)
    db.session.commit()
    assert db.session.get(type(milestone), milestone.id) is None


def test_a_talent_of_another_team_cannot_touch_milestones(db, project, make_user):
    with pytest.raises(PermissionDenied):
        services.add_milestone(make_user(Role.PARTICIPANT), project, "Local", date(2026, 5, 1))


def test_just_after_midnight_in_paris_yesterdays_milestone_is_late_though_utc_is_still_yesterday(
    db, project, mentor, time_machine
):
    from datetime import UTC, datetime

    time_machine.move_to(datetime(2026, 12, 6, 23, 30, tzinfo=UTC), tick=False)  # 0 h 30 on Monday in Paris
    sunday = services.add_milestone(mentor, project, "Premier client", date(2026, 12, 6))
    assert services.is_overdue(sunday)
    services.set_milestone_done(mentor, sunday, True)
    assert sunday.done_on == date(2026, 12, 7)  # Monday in Paris, where the lab is
