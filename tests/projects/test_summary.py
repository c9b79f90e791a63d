"""Project summaries: team, mentors, next milestone, last session, flags and missing skills, in bulk queries."""
# ruff: noqa: F811  (fixtures imported from the skills tests)

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from repairlab.people.models import Role
from repairlab.projects.models import MentorSession, Milestone, Project, ProjectStatus
from repairlab.projects.prototypes.models import Prototype, PrototypeSkill
from repairlab.projects.summary import summaries
from tests.skills.conftest import admin_actor, make_domain, make_skill  # noqa: F401  (fixtures)

ON = date(2026, 6, 1)


@pytest.fixture
def add_milestone(db):
    def add(project, title, due_on, done_on=None):
        milestone = Milestone(project_id=project.id, title=title, due_on=due_on, done_on=done_on)
        db.session.add(milestone)
        db.session.commit()
        return milestone

    return add


@pytest.fixture
def add_session(db):
    def add(project, held_on, mentor=None):
        session = MentorSession(
            project_id=project.id, held_on=held_on, duration_minutes=60, mentor_id=mentor.id if mentor else None
        )
        db.session.add(session)
        db.session.commit()
        return session

    return add


@pytest.fixture
def needs(db):
    """Make a prototype of the project that needs skills: needs(project, "Nom", [(skill, level), ...])."""

    def add(project, name, skills):
        prototype = Prototype(project_id=project.id, name=name)
        db.session.add(prototype)
        db.session.flush()
        for skill, level in skills:
            db.session.add(PrototypeSkill(prototype_id=prototype.id, skill_id=skill.id, min_level=level))
        db.session.commit()
        return prototype

    return add


def test_team_and_mentors_are_listed_by_name(territory, stages, make_user, make_project):
    zoe = make_user(Role.PARTICIPANT, name="Zoé Martin")
    ali = make_user(Role.PARTICIPANT, name="Ali Benali")
    maud = make_user(Role.MENTOR, name="Maud Leroy")
    project = make_project(territory, team=[zoe, ali], mentors=[maud])

    summary = summaries([project], on=ON)[project.id]

    assert summary.team_names == ["Ali Benali", "Zoé Martin"]
    assert summary.mentor_names == ["Maud Leroy"]


def test_next_milestone_is_the_first_open_one_by_due_date(territory, stages, make_project, add_milestone):
    project = make_project(territory)
    add_milestone(project, "Déjà fait", ON - timedelta(days=40), done_on=ON - timedelta(days=41))
    add_milestone(project, "Plus tard", ON + timedelta(days=30))
    add_milestone(project, "Bientôt", ON + timedelta(days=3))

    summary = summaries([project], on=ON)[project.id]

    assert summary.next_milestone.title == "Bientôt"
    assert summary.next_milestone.due_on == ON + timedelta(days=3)
    assert not summary.next_milestone.overdue
    assert summary.overdue_milestones == 0


def test_overdue_milestones_are_flagged_and_counted(territory, stages, make_project, add_milestone):
    project = make_project(territory)
    add_milestone(project, "Étude de marché", ON - timedelta(days=12))
    add_milestone(project, "Devis fournisseur", ON - timedelta(days=2))
    add_milestone(project, "Salon", ON + timedelta(days=5))

    summary = summaries([project], on=ON)[project.id]

    assert summary.next_milestone.title == "Étude de marché"
    assert summary.next_milestone.overdue and summary.next_milestone.days_late == 12
    assert summary.overdue_milestones == 2
    assert summary.flag_count == 1 + 1  # late milestones, and no session since the start in March


def test_a_milestone_due_today_is_not_late(territory, stages, make_project, add_milestone):
    project = make_project(territory)
    add_milestone(project, "Aujourd'hui", ON)

    summary = summaries([project], on=ON)[project.id]

    assert not summary.next_milestone.overdue and summary.overdue_milestones == 0


def test_no_session_for_longer_than_the_limit_is_flagged(territory, stages, make_project, add_session):
    project = make_project(territory)
    add_session(project, ON - timedelta(days=80))
    add_session(project, ON - timedelta(days=45))

    summary = summaries([project], on=ON)[project.id]

    assert summary.last_session_on == ON - timedelta(days=45)
    assert summary.days_without_session == 45
    assert summary.session_stale


def test_a_recent_session_is_not_flagged(territory, stages, make_project, add_session):
    project = make_project(territory)
    add_session(project, ON - timedelta(days=30))

    summary = summaries([project], on=ON)[project.id]

    assert summary.days_without_session == 30
    assert not summary.session_stale


def test_a_project_never_followed_counts_from_its_start(territory, stages, make_project):
    started = make_project(territory, start_date=ON - timedelta(days=50))
    new = make_project(territory, start_date=ON - timedelta(days=5))

    result = summaries([started, new], on=ON)

    assert result[started.id].never_met and result[started.id].session_stale
    assert result[started.id].days_without_session == 50
    assert result[new.id].never_met and not result[new.id].session_stale


def test_the_stale_limit_comes_from_the_configuration(app, monkeypatch, territory, stages, make_project, add_session):
    project = make_project(territory)
    add_session(project, ON - timedelta(days=10))
    monkeypatch.setitem(app.config, "PROJECT_SESSION_STALE_DAYS", 7)

    assert summaries([project], on=ON)[project.id].session_stale


def test_paused_projects_are_flagged(db, territory, stages, make_project):
    project = make_project(territory, start_date=ON)
    project.status = ProjectStatus.PAUSED
    db.session.commit()

    summary = summaries([project], on=ON)[project.id]

    assert summary.paused and summary.flag_count == 1


def test_missing_skills_are_those_no_team_talent_holds_at_the_level(
    territory,
    stages,
    make_user,
    make_project,
    make_skill,
    admin_actor,
    needs,
):
    from repairlab.skills.validations import validate_skill

    zoe = make_user(Role.PARTICIPANT, name="Zoé")
    ali = make_user(Role.PARTICIPANT, name="Ali")
    project = make_project(territory, team=[zoe, ali])
    soudure = make_skill("Soudure à l'étain")
    couture = make_skill("Couture machine")
    diagnostic = make_skill("Diagnostic électrique")
    needs(project, "Lampe", [(soudure, 3), (couture, 1)])
    needs(project, "Coussin", [(couture, 2), (diagnostic, 2)])
    validate_skill(admin_actor, zoe, soudure, level=3, validated_on=ON - timedelta(days=10))
    validate_skill(admin_actor, ali, couture, level=1, validated_on=ON - timedelta(days=10))
    from repairlab.extensions import db

    db.session.commit()

    summary = summaries([project], on=ON)[project.id]

    # Soudure is held at 3; couture is needed at 2 (the highest of the two prototypes) but held at 1.
    assert [(m.name, m.min_level) for m in summary.missing_skills] == [
        ("Couture machine", 2),
        ("Diagnostic électrique", 2),
    ]


def test_no_prototype_means_no_missing_skill(territory, stages, make_project):
    project = make_project(territory)

    assert summaries([project], on=ON)[project.id].missing_skills == []


def test_summaries_of_nothing_run_no_query(query_counter):
    with query_counter() as count:
        assert summaries([], on=ON) == {}
    assert count.value == 0


def _busy_projects(n, territory, make_user, make_project, make_skill, admin_actor, needs, add_milestone, add_session):
    from repairlab.skills.validations import validate_skill

    skill = make_skill(f"Compétence {n}")
    mentor = make_user(Role.MENTOR)
    projects = []
    for i in range(n):
        talent = make_user(Role.PARTICIPANT)
        project = make_project(territory, team=[talent], mentors=[mentor])
        add_milestone(project, "Jalon", ON + timedelta(days=i - 2))
        add_session(project, ON - timedelta(days=i))
        needs(project, "Proto", [(skill, 2)])
        if i % 2:
            validate_skill(admin_actor, talent, skill, level=2, validated_on=ON - timedelta(days=1))
        projects.append(project)
    from repairlab.extensions import db

    db.session.commit()
    # Loaded afresh, as a page loads them (committed objects would reload themselves one by one).
    ids = [p.id for p in projects]
    return list(db.session.scalars(sa.select(Project).where(Project.id.in_(ids))))


@pytest.mark.parametrize("n", [3, 30])
def test_summaries_run_the_same_queries_whatever_the_number(
    n,
    territory,
    stages,
    make_user,
    make_project,
    make_skill,
    admin_actor,
    needs,
    add_milestone,
    add_session,
    query_counter,
):
    projects = _busy_projects(
        n, territory, make_user, make_project, make_skill, admin_actor, needs, add_milestone, add_session
    )

    with query_counter() as count:
        result = summaries(projects, on=ON)

    assert count.value == 5
    assert sum(1 for s in result.values() if s.missing_skills) == (n + 1) // 2


def test_a_paused_project_is_not_flagged_for_its_lack_of_sessions(db, territory, stages, make_project):
    project = make_project(territory, start_date=ON - timedelta(days=90))
    project.status = ProjectStatus.PAUSED
    db.session.commit()

    summary = summaries([project], on=ON)[project.id]

    assert summary.days_without_session == 90 and not summary.session_stale


def test_a_session_planned_later_is_not_the_last_one(territory, stages, make_project, add_session):
    project = make_project(territory)
    add_session(project, ON - timedelta(days=40))
    add_session(project, ON + timedelta(days=2))

    assert summaries([project], on=ON)[project.id].last_session_on == ON - timedelta(days=40)
