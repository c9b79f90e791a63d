"""Projects: the use cases of incubation (create, edit, move between stages, team, figures, milestones, sessions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from repairlab import clock
from repairlab.audit.services import PROGRAMME_WIDE, record, snapshot
from repairlab.clock import utcnow
from repairlab.database import flush_or_conflict
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.inventory.codes import issue_code
from repairlab.people.models import Cohort, Role, Territory, User
from repairlab.projects import access
from repairlab.projects.models import (
    METRIC_LABELS,
    ActionItem,
    FigureEntry,
    MemberRole,
    MentorSession,
    Metric,
    Milestone,
    Project,
    ProjectMember,
    ProjectStage,
    ProjectStatus,
    Sector,
    StageChange,
)
from repairlab.text import clean_name, clean_text, plain_text

MAX_STAGE_NAME = 80
MAX_NAME = 120
MAX_TITLE = 200
MAX_PRICING = 200
MAX_NOTE = 2000
MAX_TEXT = 5000
MAX_FIGURE = Decimal("9999999999.99")
MAX_FIGURE_NOTE = 200
MAX_DURATION = 1440
MAX_ACTIONS = 10
# Dates typed far in the past are typing mistakes (the programme started in the 2020s).
EARLIEST = date(2000, 1, 1)
PROJECT_TARGET = "project"


def move_project(actor: User, project: Project, stage: ProjectStage, *, note: str) -> StageChange:
    """Move a project to another stage with a note, kept in its stage history and the audit log.

    Raises PermissionDenied when the actor does not follow the project, ValidationError for an empty or too
    long note or an inactive stage, Conflict when the project is already at that stage.
    """
    if not access.can_follow(actor, project):
        raise PermissionDenied(_("Only the project's mentors can change its stage."))
    note = clean_text(note, field="note", limit=MAX_NOTE, required=_("Say in a few words why the project moves."))
    if not stage.active:
        raise ValidationError(_("This stage is no longer used."), field="stage")
    if stage.id == project.stage_id:
        raise Conflict(_("The project is already at the stage “%(stage)s”.", stage=stage.name))
    # Lock the project's row so that two simultaneous moves are applied one after the other.
    db.session.execute(sa.select(Project.id).where(Project.id == project.id).with_for_update())
    before = {"stage": project.stage.name}
    change = StageChange(
        project_id=project.id, from_stage_id=project.stage_id, to_stage_id=stage.id, note=note, changed_by_id=actor.id
    )
    project.stage_id = stage.id
    project.stage = stage
    project.stage_changed_at = utcnow()
    db.session.add(change)
    record(actor, "project.move", project, before=before, after={"stage": stage.name, "note": note})
    db.session.flush()
    return change


# --- Helpers -------------------------------------------------------------------------------------


def _check_date(value: date | None, field: str, *, past_only: bool = False, today: date | None = None) -> date:
    """A required date, not absurdly old, and not in the future when past_only."""
    if value is None:
        raise ValidationError(_("Enter a date."), field=field)
    if value < EARLIEST:
        raise ValidationError(_("This date is too far in the past."), field=field)
    if past_only and value > (today or clock.today()):
        raise ValidationError(_("This date cannot be in the future."), field=field)
    if value > (today or clock.today()) + timedelta(days=3660):
        raise ValidationError(_("This date is too far in the future."), field=field)
    return value


def _may(check, actor: User | None, project: Project) -> bool:
    """Whether the actor passes a permission check; no actor means the system (demo data, imports)."""
    return actor is None or check(actor, project)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _audit_label(project: Project) -> str:
    return f"{project.code} {project.name}"


# --- Stages --------------------------------------------------------------------------------------

STAGE_FIELDS = ("name", "description", "position", "active")


def _stage_name(name: str, stage: ProjectStage | None = None) -> str:
    name = clean_name(name, limit=MAX_STAGE_NAME, required=_("Enter a name."))
    clash = db.session.scalar(
        sa.select(ProjectStage.id).where(
            sa.func.lower(ProjectStage.name) == name.lower(), ProjectStage.id != (stage.id if stage else -1)
        )
    )
    if clash is not None:
        raise Conflict(_("A stage is already called “%(name)s”.", name=name), field="name")
    return name


def _check_stage_admin(actor: User | None) -> None:
    if actor is not None:
        _require(access.can_manage_stages(actor), _("Only administrators edit the stages."))


def create_stage(actor: User | None, name: str, *, description: str = "") -> ProjectStage:
    """Add a stage at the end of the list."""
    _check_stage_admin(actor)
    name = _stage_name(name)
    last = db.session.scalar(sa.select(sa.func.max(ProjectStage.position))) or 0
    stage = ProjectStage(
        name=name,
        description=clean_text(description, field="description", limit=MAX_TEXT),
        position=last + 1,
        active=True,
    )
    flush_or_conflict(_("A stage is already called “%(name)s”.", name=name), "name", new=stage)
    record(actor, "project_stage.create", stage, after=snapshot(stage, STAGE_FIELDS), territory_id=PROGRAMME_WIDE)
    return stage


def update_stage(actor: User, stage: ProjectStage, *, name: str, description: str, active: bool) -> ProjectStage:
    """Rename a stage, change its description, or (de)activate it; at least one stage stays active.

    A stage still holding projects stays in use: the board shows only the stages in use, and its projects would
    vanish from it.
    """
    _check_stage_admin(actor)
    before = snapshot(stage, STAGE_FIELDS)
    name = _stage_name(name, stage)
    description = clean_text(description, field="description", limit=MAX_TEXT)
    if stage.active and not active:
        held = db.session.scalar(sa.select(sa.func.count()).where(Project.stage_id == stage.id))
        if held:
            raise Conflict(
                ngettext(
                    "%(num)d project is at this stage: move it to another stage first, then stop using this one.",
                    "%(num)d projects are at this stage: move them to another stage first, then stop using this one.",
                    held,
                ),
                field="active",
            )
        others = db.session.scalar(
            sa.select(sa.func.count()).where(ProjectStage.active.is_(True), ProjectStage.id != stage.id)
        )
        if not others:
            raise ValidationError(_("At least one stage must stay in use."), field="active")
    stage.name, stage.description, stage.active = name, description, bool(active)
    db.session.flush()
    record(
        actor,
        "project_stage.update",
        stage,
        before=before,
        after=snapshot(stage, STAGE_FIELDS),
        territory_id=PROGRAMME_WIDE,
    )
    return stage


def move_stage(actor: User, stage: ProjectStage, direction: int) -> ProjectStage:
    """Swap a stage with the one before (direction -1) or after (+1) it; nothing happens at either end."""
    _check_stage_admin(actor)
    if direction not in (-1, 1):
        raise ValidationError(_("Unknown direction."))
    ordered = list(db.session.scalars(sa.select(ProjectStage).order_by(ProjectStage.position, ProjectStage.id)))
    # Renumber first so that equal positions never block a swap.
    for index, each in enumerate(ordered, start=1):
        each.position = index
    index = ordered.index(stage)
    other = index + direction
    if 0 <= other < len(ordered):
        before = {"position": stage.position}
        ordered[index].position, ordered[other].position = ordered[other].position, ordered[index].position
        record(
            actor,
            "project_stage.move",
            stage,
            before=before,
            after={"position": stage.position},
            territory_id=PROGRAMME_WIDE,
        )
    db.session.flush()
    return stage


def delete_stage(actor: User, stage: ProjectStage) -> None:
    """Delete a stage that no project holds nor ever held; otherwise it can only be deactivated."""
    _check_stage_admin(actor)
    used = db.session.scalar(sa.select(sa.func.count()).where(Project.stage_id == stage.id))
    if used:
        raise Conflict(_("Projects are at this stage: it cannot be deleted. Move them to another stage first."))
    in_history = db.session.scalar(
        sa.select(sa.func.count()).where(
            sa.or_(StageChange.to_stage_id == stage.id, StageChange.from_stage_id == stage.id)
        )
    )
    if in_history:
        raise Conflict(_("Projects went through this stage and their history keeps it: deactivate it instead."))
    if stage.active:
        others = db.session.scalar(
            sa.select(sa.func.count()).where(ProjectStage.active.is_(True), ProjectStage.id != stage.id)
        )
        if not others:
            raise ValidationError(_("At least one stage must stay in use."))
    record(actor, "project_stage.delete", stage, before=snapshot(stage, STAGE_FIELDS), territory_id=PROGRAMME_WIDE)
    db.session.delete(stage)
    db.session.flush()


def first_stage() -> ProjectStage | None:
    """The first stage in use, where new projects start."""
    return db.session.scalar(
        sa.select(ProjectStage)
        .where(ProjectStage.active.is_(True))
        .order_by(ProjectStage.position, ProjectStage.id)
        .limit(1)
    )


# --- Projects ------------------------------------------------------------------------------------


@dataclass
class ProjectFields:
    """The editable fields of a project, as plain values."""

    name: str
    sector: Sector | str
    pitch: str = ""
    offer: str = ""
    customers: str = ""
    pricing: str = ""
    cohort_id: int | None = None
    start_date: date | None = None


PROJECT_FIELDS = (*(f.name for f in fields(ProjectFields)), "status", "stop_reason")


def _check_project_fields(data: ProjectFields, territory_id: int) -> ProjectFields:
    """Validate and normalise a project's fields; raise ValidationError naming the field."""
    name = clean_name(data.name, limit=MAX_NAME, required=_("Enter a name."))
    try:
        sector = Sector(data.sector)
    except ValueError:
        raise ValidationError(_("Choose a sector."), field="sector") from None
    if data.cohort_id is not None:
        cohort = db.session.get(Cohort, data.cohort_id)
        if cohort is None or cohort.territory_id != territory_id:
            raise ValidationError(_("Choose a cohort of the project's territory."), field="cohort_id")
    start = _check_date(data.start_date or clock.today(), "start_date")
    return ProjectFields(
        name=name,
        sector=sector,
        pitch=clean_text(data.pitch, field="pitch", limit=MAX_TEXT),
        offer=clean_text(data.offer, field="offer", limit=MAX_TEXT),
        customers=clean_text(data.customers, field="customers", limit=MAX_TEXT),
        pricing=clean_text(data.pricing, field="pricing", limit=MAX_PRICING),
        cohort_id=data.cohort_id,
        start_date=start,
    )


def _check_talent(user: User, territory_id: int) -> None:
    if user.role != Role.PARTICIPANT or not user.active or user.territory_id != territory_id:
        raise ValidationError(
            _("%(name)s is not an active talent of the project's territory.", name=user.full_name), field="user_id"
        )


def _check_mentor(user: User, territory_id: int) -> None:
    if user.role != Role.MENTOR or not user.active or user.territory_id != territory_id:
        raise ValidationError(
            _("%(name)s is not a mentor of the project's territory.", name=user.full_name), field="user_id"
        )


def create_project(
    actor: User | None,
    territory: Territory,
    data: ProjectFields,
    *,
    team: Sequence[User],
    mentors: Sequence[User] = (),
    stage: ProjectStage | None = None,
) -> Project:
    """Start a project in a territory with its team (one talent or more) and mentors; it gets a code."""
    if actor is not None:
        _require(access.can_create(actor, territory.id), _("Only the territory's mentors can start a project."))
    data = _check_project_fields(data, territory.id)
    if not team:
        raise ValidationError(_("Choose at least one talent for the team."), field="team")
    for user in team:
        _check_talent(user, territory.id)
    for user in mentors:
        _check_mentor(user, territory.id)
    stage = stage or first_stage()
    if stage is None:
        raise ValidationError(_("No stage is defined yet: an administrator must create the stages first."))
    if not stage.active:
        raise ValidationError(_("This stage is no longer used."), field="stage")
    code = issue_code(territory, PROJECT_TARGET)
    project = Project(
        code=code.code,
        territory_id=territory.id,
        stage_id=stage.id,
        stage_changed_at=utcnow(),
        status=ProjectStatus.ACTIVE,
        **{f.name: getattr(data, f.name) for f in fields(ProjectFields)},
    )
    project.territory = territory
    project.stage = stage
    db.session.add(project)
    db.session.flush()
    code.target_id = project.id
    seen: set[int] = set()
    for role, users in ((MemberRole.TEAM, team), (MemberRole.MENTOR, mentors)):
        for user in users:
            if user.id not in seen:
                seen.add(user.id)
                db.session.add(ProjectMember(project_id=project.id, user_id=user.id, role=role))
    db.session.add(
        StageChange(
            project_id=project.id,
            from_stage_id=None,
            to_stage_id=stage.id,
            note="",
            changed_by_id=actor.id if actor is not None else None,
        )
    )
    db.session.flush()
    after = snapshot(project, PROJECT_FIELDS)
    after.update(stage=stage.name, team=[u.id for u in team], mentors=[u.id for u in mentors])
    record(actor, "project.create", project, after=after)
    return project


def update_project(actor: User, project: Project, data: ProjectFields) -> Project:
    """Change a project's description and economic model (its code and territory never change)."""
    _require(_may(access.can_edit, actor, project), _("You cannot change this project."))
    data = _check_project_fields(data, project.territory_id)
    programme_data = (data.cohort_id, data.start_date) != (project.cohort_id, project.start_date)
    _require(
        not programme_data or _may(access.can_follow, actor, project),
        _("Only the project's mentors can change its cohort or start date."),
    )
    before = snapshot(project, PROJECT_FIELDS)
    for f in fields(ProjectFields):
        setattr(project, f.name, getattr(data, f.name))
    db.session.flush()
    record(actor, "project.update", project, before=before, after=snapshot(project, PROJECT_FIELDS))
    return project


def set_status(actor: User, project: Project, status: ProjectStatus | str, reason: str = "") -> Project:
    """Pause, resume, stop (with a reason) or mark a project as launched."""
    _require(_may(access.can_follow, actor, project), _("Only the project's mentors can change its status."))
    try:
        status = ProjectStatus(status)
    except ValueError:
        raise ValidationError(_("Choose a status."), field="status") from None
    reason = clean_text(reason, field="reason", limit=MAX_NOTE)
    if status == project.status:
        raise Conflict(_("The project is already “%(status)s”.", status=status.label), field="status")
    if status == ProjectStatus.STOPPED and not reason:
        raise ValidationError(_("Say why the project stops."), field="reason")
    before = {"status": project.status.value, "stop_reason": project.stop_reason}
    project.status = status
    project.stop_reason = reason if status == ProjectStatus.STOPPED else ""
    db.session.flush()
    record(actor, "project.status", project, before=before, after={"status": status.value, "reason": reason})
    return project


# --- Team and mentors ----------------------------------------------------------------------------


def add_member(actor: User, project: Project, user: User, role: MemberRole | str) -> ProjectMember:
    """Add a talent to the team or a mentor to the project's mentors."""
    _require(_may(access.can_follow, actor, project), _("Only the project's mentors can change the team."))
    try:
        role = MemberRole(role)
    except ValueError:
        raise ValidationError(_("Choose a role."), field="role") from None
    if role == MemberRole.TEAM:
        _check_talent(user, project.territory_id)
    else:
        _check_mentor(user, project.territory_id)
    exists = db.session.scalar(
        sa.select(ProjectMember.id).where(ProjectMember.project_id == project.id, ProjectMember.user_id == user.id)
    )
    already = _("%(name)s is already in this project.", name=user.full_name)
    if exists is not None:
        raise Conflict(already, field="user_id")
    member = ProjectMember(project_id=project.id, user_id=user.id, role=role)
    flush_or_conflict(already, "user_id", new=member)  # the unique (project, user) settles two simultaneous adds
    record(
        actor,
        "project.member_add",
        project,
        after={"user": user.id, "role": role.value},
        label=_audit_label(project),
    )
    return member


def remove_member(actor: User, project: Project, member: ProjectMember) -> None:
    """Take someone out of the team or the mentors; the team keeps at least one talent."""
    _require(_may(access.can_follow, actor, project), _("Only the project's mentors can change the team."))
    if member.project_id != project.id:
        raise ValidationError(_("This person is not in this project."))
    if member.role == MemberRole.TEAM:
        # Lock the project's row: two mentors removing the last two talents at once are counted one after the other.
        db.session.execute(sa.select(Project.id).where(Project.id == project.id).with_for_update())
        talents = db.session.scalar(
            sa.select(sa.func.count()).where(
                ProjectMember.project_id == project.id, ProjectMember.role == MemberRole.TEAM
            )
        )
        if talents <= 1:
            raise ValidationError(_("The team needs at least one talent: add another one first."))
    before = {"user": member.user_id, "role": member.role.value}
    db.session.delete(member)
    db.session.flush()
    record(actor, "project.member_remove", project, before=before, label=_audit_label(project))


# --- Figures -------------------------------------------------------------------------------------


def _check_value(value: Decimal | int | str | None) -> Decimal:
    try:
        number = Decimal(str(value)) if value is not None and str(value).strip() != "" else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(_("Write the value as a number, e.g. 1250 or 12.5."), field="value")
    if number < 0:
        raise ValidationError(_("The value cannot be negative."), field="value")
    if number > MAX_FIGURE:
        raise ValidationError(_("The value is too large."), field="value")
    return number.quantize(Decimal("0.01"))


FIGURE_FIELDS = ("metric", "recorded_on", "value", "note")


def add_figure(
    actor: User,
    project: Project,
    metric: Metric | str,
    recorded_on: date | None,
    value: Decimal | int | str | None,
    *,
    note: str = "",
) -> FigureEntry:
    """Record one dated value of a figure; one value per figure and date (correct it rather than add another)."""
    _require(_may(access.can_edit, actor, project), _("You cannot change this project."))
    try:
        metric = Metric(metric)
    except ValueError:
        raise ValidationError(_("Choose a figure."), field="metric") from None
    recorded_on = _check_date(recorded_on, "recorded_on", past_only=True)
    value = _check_value(value)
    note = clean_text(note, field="note", limit=MAX_FIGURE_NOTE)
    duplicate = _("There is already a value of “%(metric)s” on %(date)s: correct that one instead.") % {
        "metric": METRIC_LABELS[metric],
        "date": format_date(recorded_on),
    }
    exists = db.session.scalar(
        sa.select(FigureEntry.id).where(
            FigureEntry.project_id == project.id,
            FigureEntry.metric == metric,
            FigureEntry.recorded_on == recorded_on,
        )
    )
    if exists is not None:
        raise Conflict(duplicate, field="recorded_on")
    entry = FigureEntry(
        project_id=project.id,
        metric=metric,
        recorded_on=recorded_on,
        value=value,
        note=note,
        recorded_by_id=actor.id if actor is not None else None,
    )
    flush_or_conflict(duplicate, "recorded_on", new=entry)  # the unique constraint settles simultaneous entries
    record(actor, "project.figure_add", project, after=snapshot(entry, FIGURE_FIELDS), label=_audit_label(project))
    return entry


def correct_figure(actor: User, project: Project, entry: FigureEntry, value, note: str = "") -> FigureEntry:
    """Correct the value (and note) of a recorded figure."""
    _require(_may(access.can_edit, actor, project), _("You cannot change this project."))
    if entry.project_id != project.id:
        raise ValidationError(_("This figure belongs to another project."))
    before = snapshot(entry, FIGURE_FIELDS)
    entry.value = _check_value(value)
    entry.note = clean_text(note, field="note", limit=MAX_FIGURE_NOTE)
    db.session.flush()
    record(
        actor,
        "project.figure_correct",
        project,
        before=before,
        after=snapshot(entry, FIGURE_FIELDS),
        label=_audit_label(project),
    )
    return entry


def delete_figure(actor: User, project: Project, entry: FigureEntry) -> None:
    """Delete a figure entered by mistake."""
    _require(_may(access.can_edit, actor, project), _("You cannot change this project."))
    if entry.project_id != project.id:
        raise ValidationError(_("This figure belongs to another project."))
    record(actor, "project.figure_delete", project, before=snapshot(entry, FIGURE_FIELDS), label=_audit_label(project))
    db.session.delete(entry)
    db.session.flush()


# --- Milestones ----------------------------------------------------------------------------------

MILESTONE_FIELDS = ("title", "description", "due_on", "done_on")


def _milestone_values(title: str, due_on: date | None, description: str) -> tuple[str, date, str]:
    title = clean_text(title, field="title", limit=MAX_TITLE, required=_("Enter a title."))
    return title, _check_date(due_on, "due_on"), clean_text(description, field="description", limit=MAX_TEXT)


def add_milestone(actor: User, project: Project, title: str, due_on: date | None, description: str = "") -> Milestone:
    """Add a milestone with a due date."""
    _require(_may(access.can_edit, actor, project), _("You cannot change this project."))
    title, due_on, description = _milestone_values(title, due_on, description)
    milestone = Milestone(
        project_id=project.id,
        title=title,
        due_on=due_on,
        description=description,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(milestone)
    db.session.flush()
    record(
        actor,
        "project.milestone_add",
        milestone,
        territory_id=milestone.project.territory_id,
        after=snapshot(milestone, MILESTONE_FIELDS),
    )
    return milestone


def update_milestone(
    actor: User, milestone: Milestone, title: str, due_on: date | None, description: str = ""
) -> Milestone:
    """Change a milestone's title, due date or description."""
    _require(_may(access.can_edit, actor, milestone.project), _("You cannot change this project."))
    before = snapshot(milestone, MILESTONE_FIELDS)
    milestone.title, milestone.due_on, milestone.description = _milestone_values(title, due_on, description)
    db.session.flush()
    record(
        actor,
        "project.milestone_update",
        milestone,
        territory_id=milestone.project.territory_id,
        before=before,
        after=snapshot(milestone, MILESTONE_FIELDS),
    )
    return milestone


def set_milestone_done(actor: User, milestone: Milestone, done: bool, *, on: date | None = None) -> Milestone:
    """Mark a milestone as done (today by default) or not done again."""
    _require(_may(access.can_edit, actor, milestone.project), _("You cannot change this project."))
    if done and milestone.done_on is not None:
        raise Conflict(_("This milestone is already done."))
    if not done and milestone.done_on is None:
        raise Conflict(_("This milestone is not done yet."))
    before = snapshot(milestone, MILESTONE_FIELDS)
    milestone.done_on = _check_date(on or clock.today(), "done_on", past_only=True) if done else None
    db.session.flush()
    record(
        actor,
        "project.milestone_done",
        milestone,
        territory_id=milestone.project.territory_id,
        before=before,
        after=snapshot(milestone, MILESTONE_FIELDS),
    )
    return milestone


def delete_milestone(actor: User, milestone: Milestone) -> None:
    """Delete a milestone."""
    _require(_may(access.can_edit, actor, milestone.project), _("You cannot change this project."))
    record(
        actor,
        "project.milestone_delete",
        milestone,
        territory_id=milestone.project.territory_id,
        before=snapshot(milestone, MILESTONE_FIELDS),
    )
    db.session.delete(milestone)
    db.session.flush()


def is_overdue(milestone: Milestone, today: date | None = None) -> bool:
    """A milestone not done whose due date has passed."""
    return milestone.done_on is None and milestone.due_on < (today or clock.today())


# --- Mentor sessions and action items ------------------------------------------------------------


@dataclass
class ActionDraft:
    """A new action item entered with a session."""

    text: str
    owner_id: int | None = None
    due_on: date | None = None


SESSION_FIELDS = ("held_on", "duration_minutes", "private", "mentor_id")


def _check_duration(minutes: int | None) -> int:
    """A session's duration in minutes, between 1 and MAX_DURATION."""
    if minutes is None or not 1 <= minutes <= MAX_DURATION:
        raise ValidationError(
            _("The duration is between 1 and %(max)d minutes.", max=MAX_DURATION), field="duration_minutes"
        )
    return minutes


def open_actions(project: Project, *, include_private: bool) -> list[ActionItem]:
    """The action items still to do, oldest first, with their session and owner (one query)."""
    stmt = (
        sa.select(ActionItem)
        .join(MentorSession, MentorSession.id == ActionItem.session_id)
        .where(ActionItem.project_id == project.id, ActionItem.done_at.is_(None))
        .options(sa.orm.contains_eager(ActionItem.session), sa.orm.selectinload(ActionItem.owner))
        .order_by(MentorSession.held_on, ActionItem.id)
    )
    if not include_private:
        stmt = stmt.where(MentorSession.private.is_(False))
    return list(db.session.scalars(stmt))


def record_session(
    actor: User,
    project: Project,
    *,
    held_on: date | None,
    duration_minutes: int | None,
    notes: str = "",
    decisions: str = "",
    private: bool = False,
    actions: Sequence[ActionDraft] = (),
    closed_action_ids: Sequence[int] = (),
) -> MentorSession:
    """Record a mentor session with its new action items, and tick the earlier ones found done."""
    _require(_may(access.can_follow, actor, project), _("Only the project's mentors can record a session."))
    held_on = _check_date(held_on, "held_on", past_only=True)
    duration_minutes = _check_duration(duration_minutes)
    notes = clean_text(notes, field="notes", limit=MAX_TEXT)
    decisions = clean_text(decisions, field="decisions", limit=MAX_TEXT)
    drafts = [a for a in actions if plain_text(a.text).strip()]
    if len(drafts) > MAX_ACTIONS:
        raise ValidationError(_("At most %(max)d new action items at once.", max=MAX_ACTIONS), field="actions")
    people = set(db.session.scalars(sa.select(ProjectMember.user_id).where(ProjectMember.project_id == project.id)))
    for draft in drafts:
        if len(plain_text(draft.text).strip()) > 300:
            raise ValidationError(_("An action item is too long (300 characters at most)."), field="actions")
        if draft.owner_id is not None and draft.owner_id not in people:
            raise ValidationError(_("Who does it: choose someone of the project."), field="actions")
        if draft.due_on is not None:
            _check_date(draft.due_on, "actions")
    to_close = []
    if closed_action_ids:
        to_close = list(
            db.session.scalars(
                sa.select(ActionItem).where(
                    ActionItem.id.in_(list(closed_action_ids)),
                    ActionItem.project_id == project.id,
                    ActionItem.done_at.is_(None),
                )
            )
        )
        if len(to_close) != len(set(closed_action_ids)):
            raise ValidationError(_("Some of the action items ticked are not open action items of this project."))
    session = MentorSession(
        project_id=project.id,
        mentor_id=actor.id if actor is not None else None,
        held_on=held_on,
        duration_minutes=duration_minutes,
        notes=notes,
        decisions=decisions,
        private=bool(private),
    )
    db.session.add(session)
    db.session.flush()
    for draft in drafts:
        db.session.add(
            ActionItem(
                project_id=project.id,
                session_id=session.id,
                text=plain_text(draft.text).strip(),
                owner_id=draft.owner_id,
                due_on=draft.due_on,
            )
        )
    now = utcnow()
    for action in to_close:
        action.done_at = now
        action.closed_in_session_id = session.id
    db.session.flush()
    after = snapshot(session, SESSION_FIELDS)
    after.update(new_actions=len(drafts), closed_actions=[a.id for a in to_close])
    record(actor, "project.session", project, after=after, label=_audit_label(project))
    return session


def update_session(
    actor: User,
    session: MentorSession,
    *,
    held_on: date | None,
    duration_minutes: int | None,
    notes: str = "",
    decisions: str = "",
    private: bool = False,
) -> MentorSession:
    """Correct a recorded session: its date, duration, notes, decisions, and whether it is private to mentors.

    A note written for the team by mistake can be made private afterwards. The action items stay as they are (they
    are ticked on the project page or at the next session). The audit keeps the fields, never the notes.
    """
    project = session.project
    _require(_may(access.can_follow, actor, project), _("Only the project's mentors can record a session."))
    held_on = _check_date(held_on, "held_on", past_only=True)
    duration_minutes = _check_duration(duration_minutes)
    before = snapshot(session, SESSION_FIELDS)
    session.held_on, session.duration_minutes, session.private = held_on, duration_minutes, bool(private)
    session.notes = clean_text(notes, field="notes", limit=MAX_TEXT)
    session.decisions = clean_text(decisions, field="decisions", limit=MAX_TEXT)
    db.session.flush()
    record(
        actor,
        "project.session_update",
        project,
        before=before,
        after=snapshot(session, SESSION_FIELDS),
        label=_audit_label(project),
    )
    return session


def complete_action(actor: User, project: Project, action: ActionItem, done: bool = True) -> ActionItem:
    """Tick an action item as done between sessions (or open it again)."""
    _require(_may(access.can_edit, actor, project), _("You cannot change this project."))
    if action.project_id != project.id:
        raise ValidationError(_("This action item belongs to another project."))
    if action.session.private and not _may(access.can_see_private_notes, actor, project):
        raise PermissionDenied(_("You cannot change this project."))
    if done == (action.done_at is not None):
        raise Conflict(_("This action item is already done.") if done else _("This action item is still open."))
    before = {"done_at": action.done_at.isoformat() if action.done_at else None}
    action.done_at = utcnow() if done else None
    if not done:
        action.closed_in_session_id = None
    db.session.flush()
    record(
        actor,
        "project.action_done" if done else "project.action_reopen",
        project,
        before=before,
        after={"action": action.id, "done": done},
        label=_audit_label(project),
    )
    return action
