"""Project pages: who sees what (territories, teams, private notes), flags, forms, /q/<code>, query counts."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.people.models import Role
from repairlab.projects import services
from repairlab.projects.models import (
    ActionItem,
    FigureEntry,
    MentorSession,
    Milestone,
    Project,
    ProjectMember,
    ProjectStatus,
    Sector,
)


@pytest.fixture
def project(territory, stages, make_project, talent, mentor):
    return make_project(territory, team=[talent], mentors=[mentor], name="Atelier Vélo Fives", sector=Sector.BIKES)


def _session(db, mentor, project, **kwargs):
    values = {"held_on": clock.today() - timedelta(days=2), "duration_minutes": 60, "notes": "Point sur les prix"}
    values.update(kwargs)
    session = services.record_session(mentor, project, **values)
    db.session.commit()
    return session


# --- Access ---------------------------------------------------------------------------------------


def test_the_team_opens_its_project(client, login, project, talent):
    response = login(talent).get(f"/projects/{project.id}")
    assert response.status_code == 200
    assert "Atelier Vélo Fives" in response.text and project.code in response.text


def test_a_talent_of_another_team_gets_not_found(client, login, project, make_user):
    assert login(make_user(Role.PARTICIPANT)).get(f"/projects/{project.id}").status_code == 404


def test_a_mentor_of_another_territory_gets_not_found(client, login, project, make_user, other_territory):
    stranger = make_user(Role.MENTOR, territory_=other_territory)
    assert login(stranger).get(f"/projects/{project.id}").status_code == 404
    assert login(stranger).get(f"/projects/{project.id}/sessions/new").status_code == 404


def test_researchers_never_open_project_pages(client, login, project, make_user):
    researcher = make_user(Role.RESEARCHER)
    assert login(researcher).get(f"/projects/{project.id}").status_code == 403
    assert login(researcher).get("/projects/").status_code == 403


def test_lab_managers_read_but_do_not_edit(client, login, project, make_user):
    manager = login(make_user(Role.LAB_MANAGER))
    page = manager.get(f"/projects/{project.id}")
    assert page.status_code == 200 and f"/projects/{project.id}/edit" not in page.text
    assert manager.get(f"/projects/{project.id}/edit").status_code == 403


def test_an_unknown_project_is_not_found(client, login, mentor):
    assert login(mentor).get("/projects/999999").status_code == 404


# --- Private notes --------------------------------------------------------------------------------


def test_private_sessions_are_hidden_from_the_team_and_lab_managers(
    db, client, login, project, mentor, talent, make_user
):
    _session(db, mentor, project, notes="Difficultés personnelles", private=True)
    _session(db, mentor, project, notes="Calcul du prix de revient")
    for viewer in (talent, make_user(Role.LAB_MANAGER)):
        page = login(viewer).get(f"/projects/{project.id}").text
        assert "Calcul du prix de revient" in page
        assert "Difficultés personnelles" not in page and "Private session" not in page
    page = login(mentor).get(f"/projects/{project.id}").text
    assert "Difficultés personnelles" in page and "Private session" in page


def test_private_notes_and_their_action_items_leak_through_no_other_page_nor_the_audit_log(
    db, client, login, project, mentor, talent, make_user
):
    from repairlab.audit.models import AuditEntry

    _session(
        db,
        mentor,
        project,
        notes="Difficultés personnelles",
        decisions="Alléger le mois",
        private=True,
        actions=[services.ActionDraft("Appeler la mission locale", talent.id)],
    )
    secrets = ("Difficultés personnelles", "Alléger le mois", "Appeler la mission locale")
    for viewer in (talent, make_user(Role.LAB_MANAGER)):
        viewer_client = login(viewer)
        for url in ("/", "/projects/", f"/projects/{project.id}", f"/projects/{project.id}/figures", "/projects/board"):
            page = viewer_client.get(url).text
            assert not any(secret in page for secret in secrets), url
    logged = " ".join(str((e.before, e.after)) for e in db.session.scalars(sa.select(AuditEntry)))
    assert not any(secret in logged for secret in secrets)


# --- Flags, figures, history ----------------------------------------------------------------------


def test_an_overdue_milestone_is_flagged_in_words(db, client, login, project, mentor):
    services.add_milestone(mentor, project, "Trouver un local", clock.today() - timedelta(days=3))
    db.session.commit()
    page = login(mentor).get(f"/projects/{project.id}").text
    assert "1 milestone is overdue." in page and "Overdue: was due on" in page


def test_a_project_without_a_recent_session_is_flagged(db, app, client, login, project, mentor, monkeypatch):
    project.start_date = clock.today() - timedelta(days=90)
    db.session.commit()
    _session(db, mentor, project, held_on=clock.today() - timedelta(days=45))
    page = login(mentor).get(f"/projects/{project.id}").text
    assert "No session for more than 30 days" in page
    monkeypatch.setitem(app.config, "PROJECT_SESSION_STALE_DAYS", 60)
    assert "No session for more than" not in login(mentor).get(f"/projects/{project.id}").text


def test_figures_are_drawn_as_a_chart(db, client, login, project, talent):
    for month, value in ((1, 100), (2, 250), (3, 400)):
        services.add_figure(talent, project, "revenue", date(2026, month, 28), value)
    db.session.commit()
    page = login(talent).get(f"/projects/{project.id}").text
    assert "<polyline" in page and "latest: 400" in page


def test_the_stage_history_shows_who_moved_the_project(db, client, login, project, mentor, stages):
    services.move_project(mentor, project, stages[1], note="Enquête terrain faite")
    db.session.commit()
    page = login(mentor).get(f"/projects/{project.id}").text
    assert "Enquête terrain faite" in page and f"by {mentor.full_name}" in page and "start of the project" in page


def test_open_action_items_are_listed_on_the_page(db, client, login, project, mentor, talent):
    _session(db, mentor, project, actions=[services.ActionDraft("Imprimer des flyers", talent.id)])
    assert "Imprimer des flyers" in login(talent).get(f"/projects/{project.id}").text


# --- Forms ----------------------------------------------------------------------------------------


def test_a_mentor_starts_a_project(db, client, login, stages, mentor, talent):
    response = login(mentor).post(
        "/projects/new",
        data={
            "name": "Retouches Express",
            "sector": "textile",
            "start_date": "2026-03-02",
            "territory_id": str(mentor.territory_id),
            "team": [str(talent.id)],
            "mentors": [str(mentor.id)],
        },
    )
    assert response.status_code == 302
    project = db.session.scalar(sa.select(Project).where(Project.name == "Retouches Express"))
    assert response.location.endswith(f"/projects/{project.id}")


def test_starting_a_project_without_a_team_shows_the_error(db, client, login, stages, mentor):
    response = login(mentor).post(
        "/projects/new",
        data={
            "name": "Retouches",
            "sector": "textile",
            "start_date": "2026-03-02",
            "territory_id": mentor.territory_id,
        },
    )
    assert response.status_code == 400 and "Choose at least one talent" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Project)) == 0


def test_the_team_edits_its_pitch(db, client, login, project, talent):
    response = login(talent).post(
        f"/projects/{project.id}/edit",
        data={
            "name": project.name,
            "sector": "bikes",
            "pitch": "Réparer les vélos du quartier",
            "start_date": "2026-03-02",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, project.id).pitch == "Réparer les vélos du quartier"


def test_the_team_cannot_change_the_cohort_or_start_date(db, client, login, project, talent, make_cohort):
    cohort = make_cohort()
    start = project.start_date
    login(talent)
    page = client.get(f"/projects/{project.id}/edit").text
    assert 'name="cohort_id"' not in page and 'name="start_date"' not in page
    response = client.post(
        f"/projects/{project.id}/edit",
        data={"name": project.name, "sector": "bikes", "cohort_id": cohort.id, "start_date": "2020-01-01"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Project, project.id)
    assert (saved.cohort_id, saved.start_date) == (project.cohort_id, start)


def test_the_service_refuses_a_talent_changing_the_cohort(db, project, talent, make_cohort):
    from repairlab.errors import PermissionDenied

    data = services.ProjectFields(
        name=project.name, sector=project.sector, cohort_id=make_cohort().id, start_date=project.start_date
    )
    with pytest.raises(PermissionDenied, match="cohort or start date"):
        services.update_project(talent, project, data)


def test_a_duplicate_figure_shows_a_clear_message_and_changes_nothing(db, client, login, project, talent):
    data = {"metric": "customers", "recorded_on": "2026-04-30", "value": "12"}
    assert login(talent).post(f"/projects/{project.id}/figures", data=data).status_code == 302
    response = login(talent).post(f"/projects/{project.id}/figures", data={**data, "value": "15"})
    assert response.status_code == 400 and "correct that one instead" in response.text
    assert [e.value for e in db.session.scalars(sa.select(FigureEntry))] == [12]


def test_the_team_marks_a_milestone_done(db, client, login, project, talent):
    milestone = services.add_milestone(talent, project, "Local", date(2026, 5, 1))
    db.session.commit()
    response = login(talent).post(f"/projects/{project.id}/milestones/{milestone.id}/done", data={"done": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Milestone, milestone.id).done_on == clock.today()


def test_a_milestone_of_another_project_is_not_found(db, client, login, project, territory, make_project, mentor):
    other = make_project(territory, mentors=[mentor])
    milestone = services.add_milestone(mentor, other, "Local", date(2026, 5, 1))
    db.session.commit()
    url = f"/projects/{project.id}/milestones/{milestone.id}/edit"
    assert login(mentor).get(url).status_code == 404


def test_stopping_a_project_needs_a_reason(db, client, login, project, mentor):
    response = login(mentor).post(f"/projects/{project.id}/status", data={"status": "stopped", "reason": ""})
    assert response.status_code == 400 and "Say why the project stops." in response.text
    response = login(mentor).post(
        f"/projects/{project.id}/status", data={"status": "stopped", "reason": "Déménagement"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, project.id).status == ProjectStatus.STOPPED


def test_the_session_form_shows_the_open_action_items_and_ticks_them(db, client, login, project, mentor):
    action = _session(db, mentor, project, actions=[services.ActionDraft("Demander trois devis")]).actions[0]
    page = login(mentor).get(f"/projects/{project.id}/sessions/new").text
    assert "Demander trois devis" in page
    response = login(mentor).post(
        f"/projects/{project.id}/sessions/new",
        data={
            "held_on": clock.today().isoformat(),
            "duration_minutes": "30",
            "notes": "Suivi",
            "closed": [str(action.id)],
            "actions-0-text": "Ouvrir un compte pro",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    open_texts = [a.text for a in services.open_actions(db.session.get(Project, project.id), include_private=True)]
    assert open_texts == ["Ouvrir un compte pro"]


def test_a_session_with_a_bad_duration_is_refused_and_nothing_saved(db, client, login, project, mentor):
    response = login(mentor).post(
        f"/projects/{project.id}/sessions/new",
        data={"held_on": clock.today().isoformat(), "duration_minutes": "2000"},
    )
    assert response.status_code == 400
    assert services.open_actions(project, include_private=True) == []


def _session_count(db, project) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(MentorSession.project_id == project.id))


def test_an_action_item_due_too_far_away_is_refused_with_a_visible_message(db, client, login, project, mentor):
    response = login(mentor).post(
        f"/projects/{project.id}/sessions/new",
        data={
            "held_on": clock.today().isoformat(),
            "duration_minutes": "30",
            "actions-0-text": "Ouvrir un compte pro",
            "actions-0-due_on": "3000-01-01",
        },
    )
    assert response.status_code == 400
    assert 'id="actions-error"' in response.text and "too far in the future" in response.text
    assert _session_count(db, project) == 0


def test_an_action_item_for_someone_outside_the_project_is_refused_in_french(
    db, app, client, login, project, mentor, make_user, monkeypatch
):
    monkeypatch.setattr(app.extensions["babel"], "locale_selector", lambda: "fr")
    outsider = make_user(Role.PARTICIPANT)
    response = login(mentor).post(
        f"/projects/{project.id}/sessions/new",
        data={
            "held_on": clock.today().isoformat(),
            "duration_minutes": "30",
            "actions-0-text": "Ouvrir un compte pro",
            "actions-0-owner_id": str(outsider.id),
        },
    )
    assert response.status_code == 400
    assert "Not a valid choice" not in response.text
    assert "pas un choix valide" in response.text
    assert _session_count(db, project) == 0


def test_garbage_input_never_breaks_the_forms(db, client, login, project, mentor):
    mentor_client = login(mentor)
    for url, data in (
        (f"/projects/{project.id}/figures", {"metric": "nope", "recorded_on": "x", "value": "NaN"}),
        (f"/projects/{project.id}/sessions/new", {"held_on": "31/02", "duration_minutes": "abc", "closed": "x"}),
        (f"/projects/{project.id}/team/add?role=team", {"team-user_id": "99999999999"}),
        (f"/projects/{project.id}/status", {"status": "exploded"}),
    ):
        assert mentor_client.post(url, data=data).status_code in {302, 400}


# --- The list -------------------------------------------------------------------------------------


def test_a_talent_sees_only_their_projects(db, client, login, territory, project, talent, make_project):
    make_project(territory, name="Couture Solidaire")
    page = login(talent).get("/projects/").text
    assert "Atelier Vélo Fives" in page and "Couture Solidaire" not in page


def test_staff_see_their_territory_only_and_filter(
    db, client, login, territory, other_territory, project, mentor, make_project
):
    make_project(territory, name="Couture Solidaire", sector=Sector.TEXTILE)
    make_project(other_territory, name="Électroménager Montreuil")
    page = login(mentor).get("/projects/").text
    assert "Couture Solidaire" in page and "Électroménager Montreuil" not in page
    page = login(mentor).get("/projects/?sector=textile").text
    assert "Couture Solidaire" in page and "Atelier Vélo Fives" not in page
    page = login(mentor).get(f"/projects/?mentor={mentor.id}").text
    assert "Atelier Vélo Fives" in page and "Couture Solidaire" not in page


def test_bad_filters_are_ignored(client, login, mentor):
    response = login(mentor).get("/projects/?stage=abc&cohort=99999999999999&sector=x&page=-3")
    assert response.status_code == 200


def _projects(make_project, territory, talent, mentor, count):
    for n in range(count):
        project = make_project(territory, team=[talent], mentors=[mentor], name=f"Projet {n:03d}")
        services.add_milestone(mentor, project, "Jalon", clock.today() + timedelta(days=n - 2))
        services.record_session(mentor, project, held_on=clock.today(), duration_minutes=30)


def test_the_list_runs_the_same_queries_for_3_or_30_projects(
    db, client, login, territory, stages, make_project, talent, mentor, query_counter
):
    mentor_client = login(mentor)
    _projects(make_project, territory, talent, mentor, 3)
    db.session.commit()
    with query_counter() as few:
        assert mentor_client.get("/projects/").status_code == 200
    _projects(make_project, territory, talent, mentor, 27)
    db.session.commit()
    with query_counter() as many:
        assert mentor_client.get("/projects/").status_code == 200
    assert many.value == few.value


def _fill(db, project, mentor, talent, count, start=0):
    for n in range(start, start + count):
        services.add_milestone(mentor, project, f"Jalon {n}", clock.today() + timedelta(days=n - 2))
        services.add_figure(mentor, project, "revenue", date(2026, 1, 1) + timedelta(days=n), n * 10)
        services.record_session(
            mentor,
            project,
            held_on=clock.today() - timedelta(days=n),
            duration_minutes=30,
            private=n % 2 == 0,
            actions=[services.ActionDraft(f"Action {n}", talent.id)],
        )
    db.session.commit()


def test_the_project_page_runs_the_same_queries_for_3_or_30_rows(
    db, client, login, project, mentor, talent, query_counter
):
    mentor_client = login(mentor)
    _fill(db, project, mentor, talent, 3)
    with query_counter() as few:
        assert mentor_client.get(f"/projects/{project.id}").status_code == 200
    _fill(db, project, mentor, talent, 27, start=3)
    with query_counter() as many:
        assert mentor_client.get(f"/projects/{project.id}").status_code == 200
    assert many.value == few.value


# --- Codes and labels -----------------------------------------------------------------------------


def test_the_project_code_opens_the_project_page(client, login, project, mentor):
    response = login(mentor).get(f"/q/{project.code.lower()}")
    assert response.status_code == 302 and response.location.endswith(f"/projects/{project.id}")


def test_lab_managers_get_a_link_to_print_the_label(client, login, project, make_user):
    page = login(make_user(Role.LAB_MANAGER)).get(f"/projects/{project.id}").text
    assert f"/labels/print?code={project.code}" in page


def test_the_project_label_is_printed_with_its_name(client, login, project, make_user):
    response = login(make_user(Role.LAB_MANAGER)).get(f"/labels/{project.code}.png")
    assert response.status_code == 200 and response.mimetype == "image/png"


def test_moving_from_the_project_page_comes_back_to_it(db, client, login, project, mentor, stages):
    page = login(mentor).get(f"/projects/{project.id}").text
    link = html.unescape(re.search(r'href="([^"]*/move\?[^"]*)"', page).group(1))
    form = client.get(link).text
    back = html.unescape(re.search(r'name="next" type="hidden" value="([^"]*)"', form).group(1))
    response = client.post(
        f"/projects/{project.id}/move", data={"stage": stages[1].id, "note": "Besoin confirmé", "next": back}
    )
    assert response.status_code == 302 and response.location == f"/projects/{project.id}"


def test_a_mentor_corrects_a_session_and_makes_it_private(db, client, login, project, mentor, talent):
    session = _session(db, mentor, project, notes="Dettes : orientation vers un conseiller")
    response = login(mentor).post(
        f"/projects/{project.id}/sessions/{session.id}/edit",
        data={"held_on": session.held_on.isoformat(), "duration_minutes": "45", "notes": session.notes, "private": "y"},
    )
    assert response.status_code == 302
    assert "Dettes" not in login(talent).get(f"/projects/{project.id}").text


def test_a_session_of_another_project_is_not_found_from_this_one(db, client, login, project, mentor, make_project):
    other = make_project(project.territory, mentors=[mentor])
    foreign = _session(db, mentor, other)
    url = f"/projects/{project.id}/sessions/{foreign.id}/edit"
    assert login(mentor).get(url).status_code == 404
    assert client.post(url, data={"held_on": clock.today().isoformat(), "duration_minutes": "5"}).status_code == 404


def test_a_bad_correction_is_refused_and_changes_nothing(db, client, login, project, mentor, talent):
    session = _session(db, mentor, project)
    mentor_client = login(mentor)
    for data in (
        {"held_on": "", "duration_minutes": "60"},
        {"held_on": session.held_on.isoformat(), "duration_minutes": "-4"},
        {"held_on": (clock.today() + timedelta(days=9)).isoformat(), "duration_minutes": "60"},
        {"held_on": session.held_on.isoformat(), "duration_minutes": "60", "notes": "x" * 6000},
    ):
        assert mentor_client.post(f"/projects/{project.id}/sessions/{session.id}/edit", data=data).status_code == 400
    db.session.expire_all()
    kept = db.session.get(MentorSession, session.id)
    assert (kept.duration_minutes, kept.notes) == (60, "Point sur les prix")
    assert login(talent).post(f"/projects/{project.id}/sessions/{session.id}/edit", data={}).status_code == 403


def test_an_admin_posting_a_huge_territory_number_gets_the_form_again(client, login, db, make_user, stages):
    admin = make_user(Role.ADMIN)
    response = login(admin).post(
        "/projects/new",
        data={"territory_id": "9" * 30, "name": "Atelier", "sector": "other", "start_date": "2026-01-05"},
    )
    assert response.status_code == 400
    assert "Not a valid choice" in response.text


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("figures/{figure}/edit", "get"),
        ("figures/{figure}/delete", "post"),
        ("milestones/{milestone}/edit", "get"),
        ("milestones/{milestone}/done", "post"),
        ("milestones/{milestone}/delete", "post"),
        ("actions/{action}/done", "post"),
        ("sessions/{session}/edit", "get"),
        ("team/{member}/remove", "post"),
    ],
)
def test_a_child_of_another_project_is_not_found_through_ones_own(
    db, client, login, territory, stages, make_project, make_user, path, method
):
    """A mentor of both projects, through their own project's URL, never reaches the other project's things."""
    mentor = make_user(Role.MENTOR)
    mine = make_project(territory, mentors=[mentor])
    theirs = make_project(territory, team=[make_user(Role.PARTICIPANT), make_user(Role.PARTICIPANT)], mentors=[mentor])
    yesterday = clock.today() - timedelta(days=1)
    services.add_figure(mentor, theirs, "revenue", yesterday, 10)
    services.add_milestone(mentor, theirs, "Jalon", clock.today())
    session = services.record_session(
        mentor, theirs, held_on=yesterday, duration_minutes=30, actions=[services.ActionDraft(text="Appeler")]
    )
    db.session.commit()
    ids = {
        "figure": db.session.scalar(sa.select(FigureEntry.id).where(FigureEntry.project_id == theirs.id)),
        "milestone": db.session.scalar(sa.select(Milestone.id).where(Milestone.project_id == theirs.id)),
        "action": db.session.scalar(sa.select(ActionItem.id).where(ActionItem.project_id == theirs.id)),
        "session": session.id,
        "member": db.session.scalar(
            sa.select(ProjectMember.id).where(ProjectMember.project_id == theirs.id, ProjectMember.role == "team")
        ),
    }
    url = f"/projects/{mine.id}/" + path.format(**ids)
    response = getattr(login(mentor), method)(url)
    assert response.status_code == 404
