"""Home panels and navigation of the projects domain."""

from __future__ import annotations

from datetime import timedelta

from repairlab import clock
from repairlab.people.models import Role
from repairlab.projects import services


def test_a_talent_sees_their_projects_and_next_milestone_at_home(
    db, client, login, territory, stages, make_project, talent
):
    project = make_project(territory, team=[talent], name="Fil & Retouche")
    services.add_milestone(None, project, "Trouver un local", clock.today() + timedelta(days=5))
    db.session.commit()
    page = login(talent).get("/").text
    assert "Fil &amp; Retouche" in page and "Trouver un local" in page
    assert 'href="/projects/"' in page


def test_a_mentor_sees_the_projects_needing_attention_at_home(
    db, client, login, territory, stages, make_project, mentor
):
    late = make_project(territory, mentors=[mentor], name="Seconde Vie Électro")
    services.add_milestone(None, late, "Devis", clock.today() - timedelta(days=5))
    fine = make_project(territory, mentors=[mentor], name="Vélo Fives Service", start_date=clock.today())
    services.record_session(mentor, fine, held_on=clock.today(), duration_minutes=30)
    db.session.commit()
    page = login(mentor).get("/").text
    assert "Seconde Vie Électro" in page and "Vélo Fives Service" not in page
    assert 'href="/projects/board"' in page


def test_researchers_have_no_projects_link(client, login, make_user):
    assert 'href="/projects/"' not in login(make_user(Role.RESEARCHER)).get("/").text
