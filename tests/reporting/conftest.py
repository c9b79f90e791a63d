"""A small hand-made programme, so that every indicator can be checked by hand.

Roubaix (RBX): cohort "Promo A" (target 10) with Alice and Bruno (employment) and Chloé (entrepreneurship, account
closed); Paris (PAR): cohort "Promo B" (target 4) with Dora and Émile (employment).

- Validations: Alice level 2 and Bruno level 3 in "Soudure" (validated by the mentor, 2026-02-10 and 2026-03-10),
  Alice level 1 in "Couture" withdrawn, Chloé declared "Soudure" level 1; Dora level 1 "Soudure" (PAR).
- Loans: Alice two (one take-home returned late), Bruno one in the lab; Dora one.
- Projects (stages Idée, Prototype, Lancé): P1 (RBX, Promo A, team Chloé) Idée 2026-01-01, Prototype
  2026-01-11, Lancé 2026-01-31, launched; figures revenue 1000 (2026-02-28) + 500 (2026-03-31), jobs 1 then 2.
  P2 (RBX, Promo A, team Bruno) Idée 2026-03-01, still there; P3 (PAR, Promo B, team Dora) Idée 2026-02-01,
  Prototype 2026-02-21; revenue 300, jobs 1. Mentor sessions: P1 60 + 30 min, P3 45 min.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from repairlab.extensions import db as _db
from repairlab.inventory import services as inventory
from repairlab.inventory.models import ItemKind
from repairlab.lending.models import Loan, LoanKind
from repairlab.people.models import Role, Track
from repairlab.projects.models import (
    FigureEntry,
    MemberRole,
    MentorSession,
    Metric,
    Project,
    ProjectMember,
    ProjectStage,
    ProjectStatus,
    Sector,
    StageChange,
)
from repairlab.repairs.models import Outcome, RepairWork
from repairlab.skills.models import Skill, SkillDomain, SkillValidation, ValidationKind, ValidationStatus
from tests.repairs import stats_data


def at(day: str) -> datetime:
    """Noon UTC on a day (the middle of the day in Paris too)."""
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


@pytest.fixture
def programme(db, territory, make_territory, make_cohort, make_user, make_lab):
    """The hand-made programme above; returns its objects by name."""
    par = make_territory("PAR", "Paris-Montreuil")
    promo_a = make_cohort("Promo A", target=10)
    promo_b = make_cohort("Promo B", territory_=par, target=4)
    w = {"rbx": territory, "par": par, "promo_a": promo_a, "promo_b": promo_b}

    def talent(name, email, phone, cohort, track, terr=None, active=True):
        return make_user(
            Role.PARTICIPANT,
            territory_=terr,
            name=name,
            email=email,
            cohort=cohort,
            track=track,
            phone=phone,
            active=active,
        )

    w["alice"] = talent("Alice Arnaud", "alice@example.org", "06 11 11 11 11", promo_a, Track.EMPLOYMENT)
    w["bruno"] = talent("Bruno Barré", "bruno@example.org", "06 22 22 22 22", promo_a, Track.EMPLOYMENT)
    w["chloe"] = talent(
        "Chloé Charpentier", "chloe@example.org", "06 33 33 33 33", promo_a, Track.ENTREPRENEURSHIP, active=False
    )
    w["dora"] = talent("Dora Dupuis", "dora@example.org", "06 44 44 44 44", promo_b, Track.EMPLOYMENT, terr=par)
    w["emile"] = talent("Émile Estienne", "emile@example.org", "06 55 55 55 55", promo_b, Track.EMPLOYMENT, terr=par)
    w["mentor"] = make_user(Role.MENTOR, name="Maud Mentore", email="maud@example.org", phone="07 66 66 66 66")
    w["manager"] = make_user(Role.LAB_MANAGER, name="Léon Labo", email="leon@example.org")
    w["par_manager"] = make_user(Role.LAB_MANAGER, territory_=par, name="Paula Paris", email="paula@example.org")
    w["par_mentor"] = make_user(Role.MENTOR, territory_=par, name="Marc Paris", email="marc@example.org")
    w["admin"] = make_user(Role.ADMIN, name="Ada Admin", email="ada@example.org")
    w["researcher"] = make_user(Role.RESEARCHER, name="Rita Recherche", email="rita@example.org")

    # Skills.
    domain = SkillDomain(name="Électronique", name_key="electronique")
    _db.session.add(domain)
    _db.session.flush()
    soudure = Skill(domain_id=domain.id, name="Soudure", name_key="soudure")
    couture = Skill(domain_id=domain.id, name="Couture", name_key="couture")
    _db.session.add_all([soudure, couture])
    _db.session.flush()
    tokens = iter(range(1, 100))

    def validation(who, skill, level, day, kind=ValidationKind.VALIDATED, status=ValidationStatus.ACTIVE, **extra):
        staff = kind == ValidationKind.VALIDATED
        v = SkillValidation(
            talent_id=who.id,
            skill_id=skill.id,
            territory_id=who.territory_id,
            level=level,
            kind=kind,
            status=status,
            validated_on=date.fromisoformat(day),
            validator_id=(w["par_mentor"] if who.territory_id == par.id else w["mentor"]).id if staff else None,
            token=f"tok{next(tokens)}" if staff else None,
            note="Note privée sur la personne",
            **extra,
        )
        _db.session.add(v)
        return v

    validation(w["alice"], soudure, 2, "2026-02-10")
    validation(w["bruno"], soudure, 3, "2026-03-10")
    validation(
        w["alice"],
        couture,
        1,
        "2026-02-12",
        status=ValidationStatus.WITHDRAWN,
        withdrawn_at=at("2026-02-20"),
        withdraw_reason="Erreur de saisie",
    )
    validation(w["chloe"], soudure, 1, "2026-02-15", kind=ValidationKind.DECLARED)
    validation(w["dora"], soudure, 1, "2026-02-11")

    # Loans.
    lab = make_lab("Atelier Roubaix")
    par_lab = make_lab("Atelier Paris", par)
    drill = inventory.create_item(None, lab, inventory.ItemFields(name="Perceuse", kind=ItemKind.TOOL))
    saw = inventory.create_item(None, par_lab, inventory.ItemFields(name="Scie", kind=ItemKind.TOOL))

    def loan(who, item, start, due, returned=None, kind=LoanKind.TAKE_HOME):
        _db.session.add(
            Loan(
                item_id=item.id,
                territory_id=item.territory_id,
                borrower_id=who.id,
                lent_by_id=w["manager"].id,
                kind=kind,
                started_at=at(start),
                due_at=at(due),
                returned_at=at(returned) if returned else None,
                return_note="Rendu avec une note libre",
            )
        )

    loan(w["alice"], drill, "2026-02-01", "2026-02-05", "2026-02-08")  # late
    loan(w["alice"], drill, "2026-03-01", "2026-03-05", "2026-03-04")
    loan(w["bruno"], drill, "2026-03-02", "2026-03-02", "2026-03-02", kind=LoanKind.IN_LAB)
    loan(w["dora"], saw, "2026-02-03", "2026-02-10", "2026-02-09")

    # Projects.
    stages = [ProjectStage(name=n, position=i) for i, n in enumerate(("Idée", "Prototype", "Lancé"))]
    _db.session.add_all(stages)
    _db.session.flush()
    idea, proto, launched = stages
    w["stages"] = stages

    def project(code, terr, cohort, stage, status, team, changes, start):
        p = Project(
            code=code,
            territory_id=terr.id,
            cohort_id=cohort.id,
            name=f"Atelier de {team.full_name}",
            pitch="Texte libre du projet",
            sector=Sector.BIKES,
            stage_id=stage.id,
            status=status,
            start_date=date.fromisoformat(start),
        )
        _db.session.add(p)
        _db.session.flush()
        _db.session.add(ProjectMember(project_id=p.id, user_id=team.id, role=MemberRole.TEAM))
        mentor = w["par_mentor"] if terr.id == par.id else w["mentor"]
        _db.session.add(ProjectMember(project_id=p.id, user_id=mentor.id, role=MemberRole.MENTOR))
        previous = None
        for stage_, day in changes:
            _db.session.add(
                StageChange(
                    project_id=p.id,
                    from_stage_id=previous.id if previous else None,
                    to_stage_id=stage_.id,
                    changed_at=at(day),
                    note="Note de passage",
                )
            )
            previous = stage_
        return p

    w["p1"] = p1 = project(
        "RBX-P1",
        territory,
        promo_a,
        launched,
        ProjectStatus.LAUNCHED,
        w["chloe"],
        [(idea, "2026-01-01"), (proto, "2026-01-11"), (launched, "2026-01-31")],
        "2026-01-01",
    )
    w["p2"] = p2 = project(
        "RBX-P2", territory, promo_a, idea, ProjectStatus.ACTIVE, w["bruno"], [(idea, "2026-03-01")], "2026-03-01"
    )
    w["p3"] = p3 = project(
        "PAR-P3",
        par,
        promo_b,
        proto,
        ProjectStatus.ACTIVE,
        w["dora"],
        [(idea, "2026-02-01"), (proto, "2026-02-21")],
        "2026-02-01",
    )
    del p2

    def figure(p, metric, day, value):
        _db.session.add(
            FigureEntry(project_id=p.id, metric=metric, recorded_on=date.fromisoformat(day), value=Decimal(value))
        )

    figure(p1, Metric.REVENUE, "2026-02-28", "1000")
    figure(p1, Metric.REVENUE, "2026-03-31", "500")
    figure(p1, Metric.JOBS, "2026-02-28", "1")
    figure(p1, Metric.JOBS, "2026-03-31", "2")
    figure(p3, Metric.REVENUE, "2026-03-15", "300")
    figure(p3, Metric.JOBS, "2026-03-15", "1")
    for p, minutes, day in ((p1, 60, "2026-01-20"), (p1, 30, "2026-02-20"), (p3, 45, "2026-02-25")):
        mentor = w["par_mentor"] if p.territory_id == par.id else w["mentor"]
        _db.session.add(
            MentorSession(
                project_id=p.id,
                mentor_id=mentor.id,
                held_on=date.fromisoformat(day),
                duration_minutes=minutes,
                notes="Notes confidentielles de séance",
                decisions="Décision privée",
            )
        )
    # A repair at Roubaix's lab: its owner and the problem they told never leave; Alice's time on it does, by id.
    fixed = stats_data.ticket(lab, "Toaster", Outcome.FIXED, day=date(2026, 3, 7))
    fixed.owner_first_name, fixed.owner_email = "Nadia Propriétaire", "nadia.owner@example.org"
    fixed.problem = "Panne racontée par la propriétaire"
    _db.session.add(RepairWork(ticket_id=fixed.id, talent_id=w["alice"].id, minutes=45))
    _db.session.commit()
    return w


@pytest.fixture
def paths(programme):
    """The talents' paths in the hand-made programme (all in period 1, targets RBX 10 and PAR 4):

    - intake: Alice, with consent: under 26, priority neighbourhood (QPV), NEET.
    - enrolled: all five; Bruno suspended on 1 February; Émile suspended then resumed.
    - exits: Chloé durable (business creation, P1) 2026-02-01; Alice durable (CDI, proven) 2026-03-01;
      Dora other (looking for a job) 2026-03-05; Émile transition (CDD under 6 months) 2026-03-06.
    - follow-ups at +6 months: Alice reached, durable; Chloé reached, transition; Émile not reached; Dora due.
    - attendance: S1 RBX workshop (Alice, Bruno), S2 RBX repair café (Alice), S3 PAR workshop (Dora).
    """
    from repairlab.programme.models import (
        ActivityKind,
        ActivitySession,
        AgeBand,
        AttendanceMethod,
        CohortPeriod,
        Evidence,
        ExitCategory,
        ExitFollowUp,
        ExitSubtype,
        PathEvent,
        PathEventKind,
        PeriodTerritoryTarget,
        ProgrammePeriod,
        ResidenceArea,
        SessionAttendance,
        TalentExit,
        TalentIntake,
    )

    w = programme
    d = date.fromisoformat
    period = ProgrammePeriod(
        number=1, name="Période 1", start_date=d("2026-01-01"), end_date=d("2026-12-31"), target_talents=1500
    )
    _db.session.add(period)
    _db.session.flush()
    w["period"] = period
    for terr, target in ((w["rbx"], 10), (w["par"], 4)):
        _db.session.add(
            PeriodTerritoryTarget(
                period_id=period.id,
                territory_id=terr.id,
                start_date=d("2026-01-01"),
                end_date=d("2026-12-31"),
                target_talents=target,
            )
        )
    for cohort in (w["promo_a"], w["promo_b"]):
        _db.session.add(CohortPeriod(cohort_id=cohort.id, period_id=period.id))

    def event(who, kind, day, **extra):
        _db.session.add(
            PathEvent(talent_id=who.id, territory_id=who.territory_id, kind=kind, occurred_on=d(day), **extra)
        )

    for name in ("alice", "bruno", "chloe", "dora", "emile"):
        event(w[name], PathEventKind.ENROLMENT, "2026-01-05", cohort_id=w[name].cohort_id)
    _db.session.add(
        TalentIntake(
            talent_id=w["alice"].id,
            territory_id=w["alice"].territory_id,
            intake_date=d("2026-01-05"),
            evaluation_consent=True,
            consent_date=d("2026-01-05"),
            consent_notice_version="2026-01",
            age_band=AgeBand.UNDER_26,
            residence_area=ResidenceArea.QPV,
            is_neet=True,
        )
    )
    event(w["bruno"], PathEventKind.SUSPENSION, "2026-02-01", note="Raison personnelle confidentielle")
    event(w["emile"], PathEventKind.SUSPENSION, "2026-02-01")
    event(w["emile"], PathEventKind.RESUMPTION, "2026-02-15")

    exits = {}
    for name, day, category, subtype, project in (
        ("chloe", "2026-02-01", ExitCategory.DURABLE_EMPLOYMENT, ExitSubtype.BUSINESS_CREATION, w["p1"]),
        ("alice", "2026-03-01", ExitCategory.DURABLE_EMPLOYMENT, ExitSubtype.PERMANENT_CONTRACT, None),
        ("dora", "2026-03-05", ExitCategory.OTHER_EXIT, ExitSubtype.JOB_SEEKING, None),
        ("emile", "2026-03-06", ExitCategory.TRANSITION_EMPLOYMENT, ExitSubtype.FIXED_TERM_UNDER_6_MONTHS, None),
    ):
        exits[name] = TalentExit(
            talent_id=w[name].id,
            territory_id=w[name].territory_id,
            exit_date=d(day),
            category=category,
            subtype=subtype,
            evidence=Evidence.PROVEN if name == "alice" else Evidence.DECLARED,
            project_id=project.id if project else None,
        )
        _db.session.add(exits[name])
    _db.session.flush()

    def follow_up(name, reached, category=None, subtype=None):
        _db.session.add(
            ExitFollowUp(
                talent_exit_id=exits[name].id,
                talent_id=w[name].id,
                territory_id=w[name].territory_id,
                months_after_exit=6,
                contacted_on=d("2026-09-10"),
                reached=reached,
                category=category,
                subtype=subtype,
                evidence=Evidence.DECLARED if reached else None,
            )
        )

    follow_up("alice", True, ExitCategory.DURABLE_EMPLOYMENT, ExitSubtype.PERMANENT_CONTRACT)
    follow_up("chloe", True, ExitCategory.TRANSITION_EMPLOYMENT, ExitSubtype.TEMPING_UNDER_6_MONTHS)
    follow_up("emile", False)

    def session(terr, kind, day, minutes, who):
        s = ActivitySession(
            territory_id=terr.id, kind=kind, title="Atelier animé par Maud", held_on=d(day), duration_minutes=minutes
        )
        _db.session.add(s)
        _db.session.flush()
        for name in who:
            _db.session.add(SessionAttendance(session_id=s.id, talent_id=w[name].id, method=AttendanceMethod.LIST))

    session(w["rbx"], ActivityKind.WORKSHOP, "2026-02-10", 120, ("alice", "bruno"))
    session(w["rbx"], ActivityKind.REPAIR_CAFE, "2026-02-20", 60, ("alice",))
    session(w["par"], ActivityKind.WORKSHOP, "2026-02-11", 90, ("dora",))
    _db.session.commit()
    return w


# The free text a talent and a mentor wrote in the questionnaires: it never leaves.
QUESTIONNAIRE_FREE_TEXT = ("Mon secret de parcours très personnel", "Commentaire confidentiel du mentor")


@pytest.fixture
def questionnaires(paths):
    """Questionnaires on the hand-made paths, scores worked out by hand (today 2026-03-11).

    "mon-parcours" v1 (retired 2026-02-15) and v2 (published), each with the same keys: scale "confiance" (mean of
    c1, c2, c3 reversed, 5 points, one item may be missing), scale "entourage" (sum of e1, e2, e3 reversed, 4 points,
    one may be missing), a choice and a free-text item. Asked at intake, 4 weeks after enrolment (2026-02-02) and at
    exit. Everyone enrolled 2026-01-05 with an intake that day and consent, but Chloé withdrew it on 2026-02-20.

    | talent | intake (v1)                      | 4 weeks (v1)         | exit (v2)                                  |
    | Alice  | c 2,3,4r -> 7/3=2.33; e 2,2,3r=6  | completed            | c 4,4,2r -> 4.00; e 3,4,1r = 11            |
    | Bruno  | declined                          | postponed to 03-20   | (no exit)                                  |
    | Dora   | c 3,–,5r -> 2.00; e 1,2,4r = 4    | begun                | c 3,4,3r -> 3.33; e 2,–,2r -> 2.5×3 = 7.50 |
    | Émile  | c 4,4,1r -> 4.33; e 4,4,1r = 12   | —                    | c 3,3,2r -> 3.33; e 4,–,– -> missing       |
    | Chloé  | completed (withdrawn)             |                      | completed (withdrawn)                      |

    Dora's exit was filled in with her mentor. Changes: confiance Alice +1.67, Dora +1.33, Émile −1.00; entourage
    Alice +5.00, Dora +3.50. Observations: Dora at intake (Marc), Chloé at intake (withdrawn).
    """
    from repairlab.programme.models import TalentIntake
    from repairlab.programme.questionnaires.models import (
        ItemKind,
        MentorObservation,
        MomentKind,
        ObservationDimension,
        ObservationRating,
        Questionnaire,
        QuestionnaireAnswer,
        QuestionnaireItem,
        QuestionnaireMoment,
        QuestionnaireOption,
        QuestionnaireResponse,
        QuestionnaireScale,
        QuestionnaireVersion,
        ResponseStatus,
        ScaleMethod,
        VersionStatus,
    )

    w = paths
    d = date.fromisoformat
    s = _db.session
    for name in ("bruno", "chloe", "dora", "emile"):
        s.add(
            TalentIntake(
                talent_id=w[name].id,
                territory_id=w[name].territory_id,
                intake_date=d("2026-01-05"),
                evaluation_consent=True,
                consent_date=d("2026-01-05"),
                consent_notice_version="2026-01",
                consent_withdrawn_on=d("2026-02-20") if name == "chloe" else None,
            )
        )
    questionnaire = Questionnaire(key="mon-parcours")
    s.add(questionnaire)
    s.flush()
    w["questionnaire"] = questionnaire
    for moment, weeks in ((MomentKind.INTAKE, 0), (MomentKind.WEEKS_AFTER_ENROLMENT, 4), (MomentKind.EXIT, 0)):
        s.add(QuestionnaireMoment(questionnaire_id=questionnaire.id, moment=moment, weeks=weeks))

    def version(number, status, retired=None):
        v = QuestionnaireVersion(
            questionnaire_id=questionnaire.id,
            number=number,
            status=status,
            title_fr="Mon parcours",
            title_en="My path",
            published_at=at("2026-01-02"),
            retired_at=at(retired) if retired else None,
        )
        s.add(v)
        s.flush()
        scales = {}
        for position, (key, fr, en, method) in enumerate(
            (
                ("confiance", "Confiance en soi", "Self-confidence", ScaleMethod.MEAN),
                ("entourage", "Soutien de l’entourage", "Support around me", ScaleMethod.SUM),
            ),
            start=1,
        ):
            scales[key] = QuestionnaireScale(
                version_id=v.id, key=key, position=position, label_fr=fr, label_en=en, method=method, max_missing=1
            )
            s.add(scales[key])
        s.flush()
        items = {}
        rows = (
            ("c1", ItemKind.LIKERT5, "confiance", False),
            ("c2", ItemKind.LIKERT5, "confiance", False),
            ("c3", ItemKind.LIKERT5, "confiance", True),
            ("e1", ItemKind.LIKERT4, "entourage", False),
            ("e2", ItemKind.LIKERT4, "entourage", False),
            ("e3", ItemKind.LIKERT4, "entourage", True),
            ("situation", ItemKind.CHOICE, None, False),
            ("libre", ItemKind.TEXT, None, False),
        )
        for position, (key, kind, scale, reversed_) in enumerate(rows, start=1):
            item = QuestionnaireItem(
                version_id=v.id,
                position=position,
                key=key,
                kind=kind,
                text_fr=f"Question {key} (v{number})",
                text_en=f"Question {key} (v{number})",
                scale_id=scales[scale].id if scale else None,
                reversed=reversed_,
            )
            s.add(item)
            s.flush()
            points = {ItemKind.LIKERT5: 5, ItemKind.LIKERT4: 4, ItemKind.CHOICE: 3}.get(kind, 0)
            for value in range(1, points + 1):
                s.add(
                    QuestionnaireOption(
                        item_id=item.id, value=value, label_fr=f"Choix {value}", label_en=f"Option {value}"
                    )
                )
            items[key] = item
        return v, items

    v1, items1 = version(1, VersionStatus.RETIRED, retired="2026-02-15")
    v2, items2 = version(2, VersionStatus.PUBLISHED)
    w["v1"], w["v2"] = v1, v2

    def response(name, moment, version_items, status, values=None, weeks=0, due="2026-01-05", **extra):
        who = w[name]
        v = v1 if version_items is items1 else v2
        r = QuestionnaireResponse(
            talent_id=who.id,
            territory_id=who.territory_id,
            questionnaire_id=questionnaire.id,
            version_id=v.id,
            moment=moment,
            weeks=weeks,
            due_on=d(due),
            status=status,
            started_at=at(due),
            completed_at=at(due) if status == ResponseStatus.COMPLETED else None,
            declined_at=at(due) if status == ResponseStatus.DECLINED else None,
            **extra,
        )
        s.add(r)
        s.flush()
        for key, value in (values or {}).items():
            item = version_items[key]
            if value is None:
                answer = QuestionnaireAnswer(response_id=r.id, item_id=item.id, skipped=True)
            elif isinstance(value, str):
                answer = QuestionnaireAnswer(response_id=r.id, item_id=item.id, text=value)
            else:
                answer = QuestionnaireAnswer(response_id=r.id, item_id=item.id, value=Decimal(value))
            answer.answered_at = at(due)
            answer.assisted_by_id = r.assisted_by_id
            s.add(answer)
        return r

    def likert(c, e):
        return {"c1": c[0], "c2": c[1], "c3": c[2], "e1": e[0], "e2": e[1], "e3": e[2]}

    done, declined, begun = ResponseStatus.COMPLETED, ResponseStatus.DECLINED, ResponseStatus.IN_PROGRESS
    intake, exit_, weeks = MomentKind.INTAKE, MomentKind.EXIT, MomentKind.WEEKS_AFTER_ENROLMENT
    secret = QUESTIONNAIRE_FREE_TEXT[0]
    w["alice_intake"] = response(
        "alice", intake, items1, done, {**likert((2, 3, 4), (2, 2, 3)), "situation": 2, "libre": secret}
    )
    response("alice", weeks, items1, done, {"c1": 3, "situation": 1}, weeks=4, due="2026-02-02")
    w["alice_exit"] = response("alice", exit_, items2, done, likert((4, 4, 2), (3, 4, 1)), due="2026-03-01")
    response("bruno", intake, items1, declined)
    response("bruno", weeks, items1, begun, weeks=4, due="2026-02-02", postponed_until=d("2026-03-20"))
    w["dora_intake"] = response("dora", intake, items1, done, likert((3, None, 5), (1, 2, 4)))
    response("dora", weeks, items1, begun, {"c1": 2}, weeks=4, due="2026-02-02")
    w["dora_exit"] = response(
        "dora",
        exit_,
        items2,
        done,
        likert((3, 4, 3), (2, None, 2)),
        due="2026-03-05",
        assisted_by_id=w["par_mentor"].id,
    )
    w["emile_intake"] = response("emile", intake, items1, done, likert((4, 4, 1), (4, 4, 1)))
    w["emile_exit"] = response("emile", exit_, items2, done, {**likert((3, 3, 2), (4, None, None))}, due="2026-03-06")
    response("chloe", intake, items1, done, likert((1, 1, 5), (1, 1, 4)))
    response("chloe", exit_, items2, done, likert((5, 5, 1), (4, 4, 1)), due="2026-02-01")

    for name, mentor in (("dora", "par_mentor"), ("chloe", "mentor")):
        observation = MentorObservation(
            talent_id=w[name].id,
            territory_id=w[name].territory_id,
            mentor_id=w[mentor].id,
            moment=MomentKind.INTAKE,
            weeks=0,
            observed_on=d("2026-01-12"),
        )
        s.add(observation)
        s.flush()
        w[f"{name}_observation"] = observation
        for dimension, value in ((ObservationDimension.AUTONOMY, 2), (ObservationDimension.TEAMWORK, 3)):
            s.add(
                ObservationRating(
                    observation_id=observation.id, dimension=dimension, value=value, comment=QUESTIONNAIRE_FREE_TEXT[1]
                )
            )
        s.add(ObservationRating(observation_id=observation.id, dimension=ObservationDimension.PUNCTUALITY, value=None))
    s.commit()
    return w
