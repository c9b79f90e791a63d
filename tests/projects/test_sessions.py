"""Mentor sessions: date, duration, notes, private flag, and action items carried until done."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.errors import PermissionDenied, ValidationError
from repairlab.people.models import Role
from repairlab.projects import services


@pytest.fixture
def project(territory, make_project, talent, mentor):
    return make_project(territory, team=[talent], mentors=[mentor])


def _session(actor, project, **kwargs):
    values = {"held_on": date(2026, 4, 2), "duration_minutes": 45, "notes": "Point sur le prix"}
    values.update(kwargs)
    return services.record_session(actor, project, **values)


def test_a_session_is_recorded_with_its_action_items(db, project, mentor, talent):
    session = _session(
        mentor,
        project,
        decisions="Tester à 15 €",
        actions=[services.ActionDraft("Faire un devis type", talent.id, date(2026, 4, 20)), services.ActionDraft("")],
    )
    db.session.commit()
    assert session.mentor_id == mentor.id
    assert [(a.text, a.owner_id) for a in session.actions] == [("Faire un devis type", talent.id)]


def test_open_action_items_are_carried_to_the_next_session_until_ticked(db, project, mentor):
    first = _session(mentor, project, actions=[services.ActionDraft("Devis"), services.ActionDraft("Flyer")])
    devis, _flyer = first.actions
    assert [a.text for a in services.open_actions(project, include_private=True)] == ["Devis", "Flyer"]
    second = _session(mentor, project, held_on=date(2026, 4, 16), closed_action_ids=[devis.id])
    db.session.commit()
    assert devis.done_at is not None and devis.closed_in_session_id == second.id
    assert [a.text for a in services.open_actions(project, include_private=True)] == ["Flyer"]


def test_an_action_item_of_another_project_cannot_be_ticked(db, project, mentor, territory, make_project):
    other = make_project(territory, mentors=[mentor])
    foreign = _session(mentor, other, actions=[services.ActionDraft("Devis")]).actions[0]
    with pytest.raises(ValidationError):
        _session(mentor, project, closed_action_ids=[foreign.id])


def test_a_session_in_the_future_is_refused(db, project, mentor):
    with pytest.raises(ValidationError) as error:
        _session(mentor, project, held_on=clock.today() + timedelta(days=1))
    assert error.value.field == "held_on"


@pytest.mark.parametrize("minutes", [0, -5, 1441, None])
def test_the_duration_is_between_1_minute_and_a_day(db, project, mentor, minutes):
    with pytest.raises(ValidationError) as error:
        _session(mentor, project, duration_minutes=minutes)
    assert error.value.field == "duration_minutes"


def test_an_action_item_owner_is_someone_of_the_project(db, project, mentor, make_user):
    with pytest.raises(ValidationError):
        _session(mentor, project, actions=[services.ActionDraft("Devis", make_user(Role.PARTICIPANT).id)])


def test_only_mentors_record_sessions(db, project, talent, make_user, other_territory):
    for actor in (talent, make_user(Role.LAB_MANAGER), make_user(Role.MENTOR, territory_=other_territory)):
        with pytest.raises(PermissionDenied):
            _session(actor, project)


def test_action_items_of_private_sessions_are_not_shown_to_the_team(db, project, mentor, talent):
    _session(mentor, project, private=True, actions=[services.ActionDraft("Parler du budget")])
    _session(mentor, project, actions=[services.ActionDraft("Devis")])
    assert [a.text for a in services.open_actions(project, include_private=False)] == ["Devis"]
    private_action = services.open_actions(project, include_private=True)[0]
    with pytest.raises(PermissionDenied):
        services.complete_action(talent, project, private_action)


def test_the_team_ticks_an_action_item_between_sessions(db, project, mentor, talent):
    action = _session(mentor, project, actions=[services.ActionDraft("Devis")]).actions[0]
    services.complete_action(talent, project, action)
    assert action.done_at is not None


def test_a_session_noted_for_the_team_by_mistake_is_made_private_afterwards(db, project, mentor):
    from repairlab.audit.models import AuditEntry

    session = _session(mentor, project, notes="Dettes : orientation vers un conseiller")
    db.session.commit()
    services.update_session(
        mentor,
        session,
        held_on=session.held_on,
        duration_minutes=30,
        notes=session.notes,
        decisions="",
        private=True,
    )
    db.session.commit()
    assert session.private and session.duration_minutes == 30
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "project.session_update"))
    assert entry.before["private"] is False and entry.after["private"] is True
    assert "Dettes" not in str((entry.before, entry.after))


def test_a_talent_cannot_correct_a_session(db, project, mentor, talent):
    session = _session(mentor, project)
    with pytest.raises(PermissionDenied):
        services.update_session(talent, session, held_on=session.held_on, duration_minutes=45, private=True)


def test_a_corrected_session_cannot_move_to_the_future(db, project, mentor):
    session = _session(mentor, project)
    with pytest.raises(ValidationError) as error:
        services.update_session(mentor, session, held_on=clock.today() + timedelta(days=3), duration_minutes=45)
    assert error.value.field == "held_on"
