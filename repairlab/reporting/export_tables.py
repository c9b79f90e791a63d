"""The research export's tables on what every domain already records (the programme's are added the same way).

Every table is tidy (one row per thing, one column per variable), keyed by ids; people only by pseudonymous id.
Rows stream from one query per table. Territory, cohort and track choose the talents and projects; the dates
choose the events (validations, loans, stage changes, sessions, figures).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from repairlab.extensions import db
from repairlab.inventory.models import Category, Item
from repairlab.lending.models import Loan
from repairlab.people.models import Cohort, Territory, User
from repairlab.programme.models import CohortPeriod, TalentIntake
from repairlab.projects.models import (
    FigureEntry,
    MentorSession,
    Project,
    ProjectMember,
    ProjectStage,
    StageChange,
)
from repairlab.reporting.registry import ExportField, ExportTable, export_tables
from repairlab.reporting.selection import Selection
from repairlab.skills.models import Skill, SkillDomain, SkillValidation, ValidationKind, ValidationStatus

F = ExportField
BATCH = 2000


def _stream(stmt):
    return db.session.execute(stmt.execution_options(yield_per=BATCH))


PID = F("talent_pid", "string", _l("Pseudonymous id of the talent (the same in every table and export)."), "pid")
TERRITORY = F("territory", "string", _l("Code of the territory, e.g. RBX."))
COHORT = F("cohort_id", "integer", _l("Id of the cohort (see cohorts.csv)."))
PROJECT = F("project_id", "integer", _l("Id of the project (see projects.csv)."))
PERIOD = F("period_id", "integer", _l("Id of the programme's period (see periods.csv); empty if none."))


def talents(sel: Selection):
    """One row per talent; the evaluation answers of the intake only while the talent's consent holds."""
    i = TalentIntake
    held = i.consent_withdrawn_on.is_(None)
    evaluation = (
        i.age_band,
        i.gender,
        i.residence_area,
        i.receives_minimum_social_benefits,
        i.diploma_level,
        i.time_out_of_employment,
        i.is_neet,
        i.sourcing_partner,
    )
    return _stream(
        sa.select(
            User.id,
            Territory.code,
            User.cohort_id,
            CohortPeriod.period_id,
            User.track,
            User.created_at,
            User.active,
            i.intake_date,
            i.evaluation_consent,
            i.consent_date,
            i.consent_notice_version,
            i.consent_withdrawn_on,
            *(sa.case((held, column)).label(column.key) for column in evaluation),
        )
        .outerjoin(Territory, Territory.id == User.territory_id)
        .outerjoin(CohortPeriod, CohortPeriod.cohort_id == User.cohort_id)
        .outerjoin(i, i.talent_id == User.id)
        .where(*sel.talent_conditions())
        .order_by(User.id)
    )


def cohorts(sel: Selection):
    """One row per cohort."""
    return _stream(
        sa.select(
            Cohort.id,
            Territory.code,
            CohortPeriod.period_id,
            Cohort.name,
            Cohort.start_date,
            Cohort.end_date,
            Cohort.target_talents,
        )
        .join(Territory, Territory.id == Cohort.territory_id)
        .outerjoin(CohortPeriod, CohortPeriod.cohort_id == Cohort.id)
        .where(*sel.cohort_conditions())
        .order_by(Cohort.id)
    )


def validations(sel: Selection):
    """Every validation record of the talents."""
    validator = aliased(User)
    return _stream(
        sa.select(
            SkillValidation.id,
            SkillValidation.talent_id,
            SkillDomain.name,
            SkillValidation.skill_id,
            Skill.name,
            SkillValidation.level,
            SkillValidation.kind,
            SkillValidation.status,
            SkillValidation.validated_on,
            SkillValidation.expires_on,
            SkillValidation.withdrawn_at,
            SkillValidation.validator_id,
            validator.role,
        )
        .join(User, User.id == SkillValidation.talent_id)
        .join(Skill, Skill.id == SkillValidation.skill_id)
        .join(SkillDomain, SkillDomain.id == Skill.domain_id)
        .outerjoin(validator, validator.id == SkillValidation.validator_id)
        .where(*sel.talent_conditions(), *sel.on_days(SkillValidation.validated_on))
        .order_by(SkillValidation.id)
    )


def loans(sel: Selection):
    """Every loan to the talents."""
    return _stream(
        sa.select(
            Loan.id,
            Loan.borrower_id,
            Territory.code,
            Loan.item_id,
            Category.path,
            Loan.kind,
            Loan.started_at,
            Loan.due_at,
            Loan.returned_at,
            Loan.returned_at > Loan.due_at,
            Loan.return_condition,
        )
        .join(User, User.id == Loan.borrower_id)
        .join(Territory, Territory.id == Loan.territory_id)
        .join(Item, Item.id == Loan.item_id)
        .outerjoin(Category, Category.id == Item.category_id)
        .where(*sel.talent_conditions(), *sel.at_times(Loan.started_at))
        .order_by(Loan.id)
    )


def projects(sel: Selection):
    """One row per project, without its name or texts."""
    return _stream(
        sa.select(
            Project.id,
            Territory.code,
            Project.cohort_id,
            Project.sector,
            ProjectStage.name,
            Project.status,
            Project.start_date,
            Project.stage_changed_at,
        )
        .join(Territory, Territory.id == Project.territory_id)
        .join(ProjectStage, ProjectStage.id == Project.stage_id)
        .where(*sel.project_conditions())
        .order_by(Project.id)
    )


def members(sel: Selection):
    """Teams and mentors of the projects."""
    return _stream(
        sa.select(ProjectMember.project_id, ProjectMember.user_id, ProjectMember.role, ProjectMember.joined_on)
        .join(Project, Project.id == ProjectMember.project_id)
        .where(*sel.project_conditions())
        .order_by(ProjectMember.project_id, ProjectMember.id)
    )


def stage_changes(sel: Selection):
    """Every move of a project between stages, without the note."""
    before, after = aliased(ProjectStage), aliased(ProjectStage)
    return _stream(
        sa.select(StageChange.id, StageChange.project_id, before.name, after.name, StageChange.changed_at)
        .join(Project, Project.id == StageChange.project_id)
        .outerjoin(before, before.id == StageChange.from_stage_id)
        .join(after, after.id == StageChange.to_stage_id)
        .where(*sel.project_conditions(), *sel.at_times(StageChange.changed_at))
        .order_by(StageChange.project_id, StageChange.changed_at, StageChange.id)
    )


def figures(sel: Selection):
    """Dated figures of the projects."""
    return _stream(
        sa.select(FigureEntry.project_id, FigureEntry.metric, FigureEntry.recorded_on, FigureEntry.value)
        .join(Project, Project.id == FigureEntry.project_id)
        .where(*sel.project_conditions(), *sel.on_days(FigureEntry.recorded_on))
        .order_by(FigureEntry.project_id, FigureEntry.metric, FigureEntry.recorded_on)
    )


def sessions(sel: Selection):
    """Mentor sessions: date and length only."""
    # Date and length only: never the notes, the decisions or the actions decided.
    return _stream(
        sa.select(
            MentorSession.id,
            MentorSession.project_id,
            MentorSession.mentor_id,
            MentorSession.held_on,
            MentorSession.duration_minutes,
        )
        .join(Project, Project.id == MentorSession.project_id)
        .where(*sel.project_conditions(), *sel.on_days(MentorSession.held_on))
        .order_by(MentorSession.id)
    )


def agg_enrolment(sel: Selection):
    """Talents by territory, cohort and track."""
    return _stream(
        sa.select(Territory.code, User.cohort_id, User.track, sa.func.count(User.id))
        .outerjoin(Territory, Territory.id == User.territory_id)
        .where(*sel.talent_conditions())
        .group_by(Territory.code, User.cohort_id, User.track)
        .order_by(Territory.code, User.cohort_id, User.track)
    )


def agg_skills(sel: Selection):
    """Talents with a staff validation by territory, domain and level."""
    return _stream(
        sa.select(
            Territory.code,
            SkillDomain.name,
            SkillValidation.level,
            sa.func.count(sa.distinct(SkillValidation.talent_id)),
        )
        .join(User, User.id == SkillValidation.talent_id)
        .join(Territory, Territory.id == SkillValidation.territory_id)
        .join(Skill, Skill.id == SkillValidation.skill_id)
        .join(SkillDomain, SkillDomain.id == Skill.domain_id)
        .where(
            SkillValidation.kind == ValidationKind.VALIDATED,
            SkillValidation.status != ValidationStatus.WITHDRAWN,
            *sel.talent_conditions(),
            *sel.on_days(SkillValidation.validated_on),
        )
        .group_by(Territory.code, SkillDomain.name, SkillValidation.level)
        .order_by(Territory.code, SkillDomain.name, SkillValidation.level)
    )


def register_tables() -> None:
    """Put this module's tables in the research export."""
    tables = [
        ExportTable(
            "talents",
            _l("Talents"),
            _l("One row per talent of the selection."),
            (
                PID,
                TERRITORY,
                COHORT,
                PERIOD,
                F("track", "string", _l("Track chosen: employment or entrepreneurship; empty if none yet.")),
                F("account_created_on", "date", _l("Day the talent's account was created."), "date"),
                F("account_active", "boolean", _l("Whether the account is still open.")),
                F("intake_date", "date", _l("Day of the intake interview; empty if not recorded."), "date"),
                F("evaluation_consent", "boolean", _l("Whether the talent agreed to answer the evaluation questions.")),
                F("consent_date", "date", _l("Day the consent was recorded."), "date"),
                F("consent_notice_version", "string", _l("Version of the information notice shown.")),
                F(
                    "consent_withdrawn_on",
                    "date",
                    _l(
                        "Day the talent withdrew their consent to the evaluation; their evaluation answers (age_band "
                        "to sourcing_partner) and questionnaires are then left out."
                    ),
                    "date",
                ),
                F("age_band", "string", _l("Age band at intake; empty if not answered.")),
                F("gender", "string", _l("Gender, optional; empty if not answered.")),
                F("residence_area", "string", _l("qpv (priority neighbourhood), rural or neither.")),
                F("minimum_social_benefits", "boolean", _l("Whether the talent receives minimum social benefits.")),
                F("diploma_level", "string", _l("Highest diploma level.")),
                F("time_out_of_employment", "string", _l("Time out of employment at intake.")),
                F("neet", "boolean", _l("Young person neither in employment, education nor training.")),
                F("sourcing_partner", "string", _l("How the talent heard of the programme (sourcing partner).")),
            ),
            talents,
            ("talent_pid",),
        ),
        ExportTable(
            "cohorts",
            _l("Cohorts"),
            _l("One row per cohort of the selection's territories."),
            (
                COHORT,
                TERRITORY,
                PERIOD,
                F("name", "string", _l("Name of the cohort.")),
                F("start_date", "date", _l("First day of the cohort."), "date"),
                F("end_date", "date", _l("Last day of the cohort."), "date"),
                F("target_talents", "integer", _l("Number of talents the cohort aims to enrol.")),
            ),
            cohorts,
            ("cohort_id",),
        ),
        ExportTable(
            "skill_validations",
            _l("Skill validations"),
            _l(
                "Every record of a skill held at a level: validated by staff or declared by the talent, "
                "kept as history."
            ),
            (
                F("validation_id", "integer", _l("Id of the record.")),
                PID,
                F("domain", "string", _l("Domain of the skill.")),
                F("skill_id", "integer", _l("Id of the skill in the catalogue.")),
                F("skill", "string", _l("Name of the skill.")),
                F("level", "integer", _l("Level: 1 discovered, 2 practised with help, 3 autonomous, 4 can teach.")),
                F("kind", "string", _l("validated (by a mentor or lab manager) or declared (by the talent).")),
                F("status", "string", _l("active, superseded (by a newer record) or withdrawn.")),
                F("validated_on", "date", _l("Day of the validation."), "date"),
                F("expires_on", "date", _l("Day a safety skill must be checked again; empty if never."), "date"),
                F("withdrawn_on", "date", _l("Day the record was withdrawn; empty if not."), "date"),
                F("validator_pid", "string", _l("Pseudonymous id of the staff member who validated."), "pid"),
                F("validator_role", "string", _l("Role of the validator: mentor, lab_manager or admin.")),
            ),
            validations,
            ("validation_id",),
        ),
        ExportTable(
            "loans",
            _l("Loans"),
            _l("One row per loan of a tool to a talent."),
            (
                F("loan_id", "integer", _l("Id of the loan.")),
                PID,
                TERRITORY,
                F("item_id", "integer", _l("Id of the tool lent.")),
                F("category", "string", _l("Category of the tool, as a path.")),
                F("kind", "string", _l("in_lab (used in the lab that day) or take_home.")),
                F("started_on", "date", _l("Day the loan started."), "date"),
                F("due_on", "date", _l("Day the tool was due back."), "date"),
                F("returned_on", "date", _l("Day it was returned; empty while still out."), "date"),
                F("returned_late", "boolean", _l("Whether it was returned after its due time; empty while out.")),
                F("return_condition", "string", _l("Condition noted at the return.")),
            ),
            loans,
            ("loan_id",),
        ),
        ExportTable(
            "projects",
            _l("Projects"),
            _l("One row per incubated project (no name or description: they may identify people)."),
            (
                PROJECT,
                TERRITORY,
                COHORT,
                F("sector", "string", _l("Economic sector of the project.")),
                F("stage", "string", _l("Current stage.")),
                F("status", "string", _l("active, paused, stopped or launched.")),
                F("start_date", "date", _l("Day the project started."), "date"),
                F("stage_since", "date", _l("Day it moved into its current stage."), "date"),
            ),
            projects,
            ("project_id",),
        ),
        ExportTable(
            "project_members",
            _l("Project members"),
            _l("Who is in each project's team (talents) or follows it (mentors)."),
            (
                PROJECT,
                F("person_pid", "string", _l("Pseudonymous id of the person."), "pid"),
                F("role", "string", _l("team or mentor.")),
                F("joined_on", "date", _l("Day they joined the project."), "date"),
            ),
            members,
            ("project_id", "person_pid"),
        ),
        ExportTable(
            "stage_changes",
            _l("Stage changes"),
            _l("Every move of a project from one stage to another (without the note)."),
            (
                F("change_id", "integer", _l("Id of the change.")),
                PROJECT,
                F("from_stage", "string", _l("Stage left; empty for the first stage.")),
                F("to_stage", "string", _l("Stage entered.")),
                F("changed_on", "date", _l("Day of the move."), "date"),
            ),
            stage_changes,
            ("change_id",),
        ),
        ExportTable(
            "project_figures",
            _l("Project figures"),
            _l(
                "Dated figures of the projects: revenue (euros over the period ending that day), customers, jobs "
                "created (full-time equivalent), hours of mentoring."
            ),
            (
                PROJECT,
                F("metric", "string", _l("revenue, customers, jobs or mentoring_hours.")),
                F("recorded_on", "date", _l("Day of the figure."), "date"),
                F("value", "number", _l("Value of the figure.")),
            ),
            figures,
        ),
        ExportTable(
            "mentor_sessions",
            _l("Mentor sessions"),
            _l("Mentoring sessions: date and length only, never the notes or decisions."),
            (
                F("session_id", "integer", _l("Id of the session.")),
                PROJECT,
                F("mentor_pid", "string", _l("Pseudonymous id of the mentor."), "pid"),
                F("held_on", "date", _l("Day of the session."), "date"),
                F("duration_minutes", "integer", _l("Length in minutes.")),
            ),
            sessions,
            ("session_id",),
        ),
        ExportTable(
            "agg_enrolment",
            _l("Enrolment (aggregate)"),
            _l("Talents by territory, cohort and track; small counts suppressed."),
            (
                TERRITORY,
                COHORT,
                F("track", "string", _l("Track; empty if none yet.")),
                F("talents", "integer", _l("Number of talents; empty when suppressed."), "count"),
            ),
            agg_enrolment,
            aggregate=True,
        ),
        ExportTable(
            "agg_skills",
            _l("Skills validated (aggregate)"),
            _l("Talents with a current staff validation, by territory, domain and level; small counts suppressed."),
            (
                TERRITORY,
                F("domain", "string", _l("Domain of the skills.")),
                F("level", "integer", _l("Level reached.")),
                F("talents", "integer", _l("Number of talents; empty when suppressed."), "count"),
            ),
            agg_skills,
            aggregate=True,
        ),
    ]
    for order, table in enumerate(tables):
        export_tables.register(table.name, table, order=10 + order * 100)
