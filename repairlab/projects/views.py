"""Views of incubation projects: the list, the project page, its forms (team, figures, milestones, sessions), stages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload, selectinload

from repairlab import clock
from repairlab.auth import has_role, roles_required
from repairlab.charts import line_chart
from repairlab.errors import ValidationError
from repairlab.extensions import db
from repairlab.pagination import paginate
from repairlab.people.models import Cohort, Role, Territory, User
from repairlab.projects import access, bp, services
from repairlab.projects.forms import (
    FigureCorrectionForm,
    FigureForm,
    MemberForm,
    MilestoneForm,
    NewProjectForm,
    ProjectForm,
    SessionEditForm,
    SessionForm,
    StageForm,
    StatusForm,
)
from repairlab.projects.models import (
    METRIC_LABELS,
    PROJECT_STATUS_LABELS,
    SECTOR_LABELS,
    ActionItem,
    FigureEntry,
    MemberRole,
    MentorSession,
    Metric,
    Milestone,
    Project,
    ProjectMember,
    ProjectStage,
    StageChange,
)
from repairlab.projects.prototypes.models import Prototype
from repairlab.projects.queries import (
    ProjectFilters,
    filter_choices,
    project_page_query,
    project_query,
)
from repairlab.projects.summary import stale_days, summaries
from repairlab.web import db_id, form_status, submit, submit_and_return

PROJECT_ROLES = (Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN)
FOLLOW_ROLES = (Role.MENTOR, Role.ADMIN)
EDIT_ROLES = (Role.PARTICIPANT, Role.MENTOR, Role.ADMIN)
LABEL_ROLES = (Role.LAB_MANAGER, Role.ADMIN)
PAGE_SESSIONS = 30


def _load(project_id: int) -> Project:
    """The project if the user may see it; 404 otherwise (other territories, other teams)."""
    project = project_page_query(project_id)
    if project is None or not access.can_view(current_user, project):
        abort(404)
    return project


def _editable(project_id: int) -> Project:
    project = _load(project_id)
    if not access.can_edit(current_user, project):
        abort(403)
    return project


def _followed(project_id: int) -> Project:
    project = _load(project_id)
    if not access.can_follow(current_user, project):
        abort(403)
    return project


def _child(model, child_id: int, project: Project):
    """A milestone, figure, member or action item of this project, or 404."""
    obj = db.session.get(model, child_id)
    if obj is None or obj.project_id != project.id:
        abort(404)
    return obj


def _back(project: Project, anchor: str = "") -> str:
    return url_for("projects.project", project_id=project.id) + (f"#{anchor}" if anchor else "")


# --- The list ------------------------------------------------------------------------------------


@bp.route("/")
@roles_required(*PROJECT_ROLES)
def index():
    """Talents: their projects; staff: the projects of their territory, filtered and paginated."""
    talent = current_user.role == Role.PARTICIPANT
    filters = ProjectFilters() if talent else ProjectFilters.from_args(request.args)
    if talent:
        filters.q = (request.args.get("q", "") or "").strip()[:100]
    page = paginate(project_query(current_user, filters))
    facts = summaries(page.items)
    return render_template(
        "projects/index.html",
        page=page,
        facts=facts,
        filters=filters,
        talent=talent,
        choices=None if talent else filter_choices(current_user, every_stage=True),
        sectors=SECTOR_LABELS,
        statuses=PROJECT_STATUS_LABELS,
        can_create=access.may_follow_projects(current_user),
        can_manage_stages=access.can_manage_stages(current_user),
        today=clock.today(),
    )


# --- Create and edit -----------------------------------------------------------------------------


def _people_choices(territory_id: int | None, role: Role) -> list[tuple[int, str]]:
    stmt = sa.select(User.id, User.full_name).where(User.role == role, User.active.is_(True))
    stmt = stmt.where(User.territory_id == territory_id) if territory_id else stmt.where(sa.false())
    return [(uid, name) for uid, name in db.session.execute(stmt.order_by(User.full_name, User.id))]


def _cohort_choices(territory_id: int | None) -> list[tuple[str, str]]:
    stmt = sa.select(Cohort.id, Cohort.name).order_by(Cohort.start_date, Cohort.name)
    stmt = stmt.where(Cohort.territory_id == territory_id) if territory_id else stmt.where(sa.false())
    return [("", "—"), *((cid, name) for cid, name in db.session.execute(stmt))]


def _fields(form: ProjectForm, project: Project | None = None) -> services.ProjectFields:
    """The form's values; fields left out of the form (the team's edit) keep the project's."""
    programme = "cohort_id" in form
    return services.ProjectFields(
        name=form.name.data or "",
        sector=form.sector.data or "",
        pitch=form.pitch.data or "",
        offer=form.offer.data or "",
        customers=form.customers.data or "",
        pricing=form.pricing.data or "",
        cohort_id=form.cohort_id.data if programme else project.cohort_id,
        start_date=form.start_date.data if programme else project.start_date,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*FOLLOW_ROLES)
def new():
    """Start a project: description, territory (admins), team and mentors."""
    form = NewProjectForm()
    if current_user.role == Role.ADMIN:
        territories = list(db.session.scalars(sa.select(Territory).order_by(Territory.name)))
        form.territory_id.choices = [("", "—"), *((t.id, t.name) for t in territories)]
        if request.method == "GET":
            form.territory_id.data = request.args.get("territory", type=db_id)
        # Only a territory of the list picks the people and cohorts (any other number is refused by validation).
        territory_id = form.territory_id.data if form.territory_id.data in {t.id for t in territories} else None
    else:
        form.territory_id.choices = [(current_user.territory_id, current_user.territory.name)]
        form.territory_id.data = territory_id = current_user.territory_id
    form.cohort_id.choices = _cohort_choices(territory_id)
    form.team.choices = _people_choices(territory_id, Role.PARTICIPANT)
    form.mentors.choices = _people_choices(territory_id, Role.MENTOR)
    if request.method == "GET":
        form.start_date.data = clock.today()
        if current_user.role == Role.MENTOR:
            form.mentors.data = [current_user.id]

    def create():
        territory = db.session.get(Territory, form.territory_id.data)
        if territory is None:
            abort(404)
        users = {
            u.id: u
            for u in db.session.scalars(sa.select(User).where(User.id.in_([*form.team.data, *form.mentors.data])))
        }
        return services.create_project(
            current_user,
            territory,
            _fields(form),
            team=[users[i] for i in form.team.data if i in users],
            mentors=[users[i] for i in form.mentors.data if i in users],
        )

    done = submit(
        form,
        create,
        lambda p: _("Project %(code)s created.", code=p.code),
        lambda p: url_for("projects.project", project_id=p.id),
    )
    return done or (
        render_template("projects/new.html", form=form, admin=current_user.role == Role.ADMIN),
        form_status(),
    )


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def edit(project_id: int):
    """Change the description and the economic model."""
    project = _editable(project_id)
    form = ProjectForm(obj=project)
    if access.can_follow(current_user, project):
        form.cohort_id.choices = _cohort_choices(project.territory_id)
    else:  # the cohort and start date are programme data, kept by mentors
        del form.cohort_id
        del form.start_date
    done = submit(
        form,
        lambda: services.update_project(current_user, project, _fields(form, project)),
        _("Project saved."),
        _back(project),
    )
    return done or (render_template("projects/edit.html", form=form, project=project), form_status())


@bp.route("/<int:project_id>/status", methods=["GET", "POST"])
@roles_required(*FOLLOW_ROLES)
def status(project_id: int):
    """Pause, resume, stop (with a reason) or mark as launched."""
    project = _followed(project_id)
    form = StatusForm()
    if request.method == "GET":
        form.status.data = project.status.value
        form.reason.data = project.stop_reason
    done = submit(
        form,
        lambda: services.set_status(current_user, project, form.status.data, form.reason.data or ""),
        lambda p: _("The project is now “%(status)s”.", status=p.status.label),
        _back(project),
    )
    return done or (render_template("projects/status.html", form=form, project=project), form_status())


# --- The project page ----------------------------------------------------------------------------


def _stage_history(project: Project) -> list[StageChange]:
    return list(
        db.session.scalars(
            sa.select(StageChange)
            .options(
                joinedload(StageChange.from_stage), joinedload(StageChange.to_stage), joinedload(StageChange.changed_by)
            )
            .where(StageChange.project_id == project.id)
            .order_by(StageChange.changed_at.desc(), StageChange.id.desc())
        )
    )


def _figures(project: Project) -> list[dict]:
    """One block per figure that has values: a chart and the values, latest first."""
    entries = list(
        db.session.scalars(
            sa.select(FigureEntry)
            .where(FigureEntry.project_id == project.id)
            .order_by(FigureEntry.metric, FigureEntry.recorded_on)
        )
    )
    out = []
    for metric in Metric:
        mine = [e for e in entries if e.metric == metric]
        if mine:
            out.append(
                {
                    "metric": metric,
                    "label": METRIC_LABELS[metric],
                    "chart": line_chart([(e.recorded_on, e.value) for e in mine]),
                    "entries": list(reversed(mine)),
                }
            )
    return out


def _sessions(project: Project, *, private: bool) -> list[MentorSession]:
    stmt = (
        sa.select(MentorSession)
        .options(joinedload(MentorSession.mentor), selectinload(MentorSession.actions).joinedload(ActionItem.owner))
        .where(MentorSession.project_id == project.id)
        .order_by(MentorSession.held_on.desc(), MentorSession.id.desc())
        .limit(PAGE_SESSIONS)
    )
    if not private:
        stmt = stmt.where(MentorSession.private.is_(False))
    return list(db.session.scalars(stmt))


@bp.route("/<int:project_id>")
@roles_required(*PROJECT_ROLES)
def project(project_id: int):
    """Everything about a project on one page: for a laptop and for a phone."""
    project = _load(project_id)
    today = clock.today()
    private = access.can_see_private_notes(current_user, project)
    milestones = list(
        db.session.scalars(
            sa.select(Milestone)
            .where(Milestone.project_id == project.id)
            .order_by(Milestone.done_on.is_not(None), Milestone.due_on, Milestone.id)
        )
    )
    sessions = _sessions(project, private=private)
    open_actions = services.open_actions(project, include_private=private)
    prototypes = list(
        db.session.scalars(sa.select(Prototype).where(Prototype.project_id == project.id).order_by(Prototype.name))
    )
    summary = summaries([project])[project.id]
    overdue = [m for m in milestones if services.is_overdue(m, today)]
    return render_template(
        "projects/project.html",
        project=project,
        team=[m for m in project.members if m.role == MemberRole.TEAM],
        mentors=[m for m in project.members if m.role == MemberRole.MENTOR],
        history=_stage_history(project),
        figures=_figures(project),
        milestones=milestones,
        overdue=overdue,
        sessions=sessions,
        open_actions=open_actions,
        prototypes=prototypes,
        last_session=summary.last_session_on,
        missing_skills=summary.missing_skills,
        stale=summary.session_stale,
        stale_days=stale_days(),
        today=today,
        can_edit=access.can_edit(current_user, project),
        can_follow=access.can_follow(current_user, project),
        can_see_private=private,
        can_print=has_role(current_user, *LABEL_ROLES),
    )


# --- Team and mentors ----------------------------------------------------------------------------


def _member_forms(project: Project) -> tuple[MemberForm, MemberForm]:
    """The forms to add a talent and a mentor, each offering the people of the territory not yet in the project."""
    in_project = {m.user_id for m in project.members}
    forms = []
    for prefix, role in (("team", Role.PARTICIPANT), ("mentor", Role.MENTOR)):
        form = MemberForm(prefix=prefix)
        people = _people_choices(project.territory_id, role)
        form.user_id.choices = [("", "—"), *(c for c in people if c[0] not in in_project)]
        forms.append(form)
    return forms[0], forms[1]


@bp.route("/<int:project_id>/team")
@roles_required(*FOLLOW_ROLES)
def members(project_id: int):
    """The team and the mentors, with forms to add and remove people."""
    project = _followed(project_id)
    team_form, mentor_form = _member_forms(project)
    return render_template(
        "projects/members.html",
        project=project,
        team=[m for m in project.members if m.role == MemberRole.TEAM],
        mentors=[m for m in project.members if m.role == MemberRole.MENTOR],
        team_form=team_form,
        mentor_form=mentor_form,
    )


@bp.route("/<int:project_id>/team/add", methods=["POST"])
@roles_required(*FOLLOW_ROLES)
def member_add(project_id: int):
    """Add a talent to the team (?role=team) or a mentor (?role=mentor)."""
    project = _followed(project_id)
    role = MemberRole.MENTOR if request.args.get("role") == "mentor" else MemberRole.TEAM
    team_form, mentor_form = _member_forms(project)
    form = mentor_form if role == MemberRole.MENTOR else team_form

    def add():
        # A forged value that is no id at all reads as no choice (None): refused like an empty choice.
        if form.user_id.data is None:
            raise ValidationError(_("Choose a person."), field="user_id")
        user = db.session.get(User, form.user_id.data)
        if user is None:
            abort(404)
        return services.add_member(current_user, project, user, role)

    return submit_and_return(
        form,
        add,
        _("Person added."),
        redirect(url_for("projects.members", project_id=project.id)),
        invalid=_("Choose a person."),
    )


@bp.route("/<int:project_id>/team/<int:member_id>/remove", methods=["POST"])
@roles_required(*FOLLOW_ROLES)
def member_remove(project_id: int, member_id: int):
    """Take someone out of the project."""
    project = _followed(project_id)
    member = _child(ProjectMember, member_id, project)
    return submit_and_return(
        FlaskForm(),
        lambda: services.remove_member(current_user, project, member),
        _("Person removed from the project."),
        redirect(url_for("projects.members", project_id=project.id)),
    )


# --- Figures -------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/figures", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def figures(project_id: int):
    """Every recorded figure, and a form to add one."""
    project = _editable(project_id)
    form = FigureForm()
    if request.method == "GET":
        form.recorded_on.data = clock.today()
        if request.args.get("metric") in {m.value for m in Metric}:
            form.metric.data = request.args["metric"]
    done = submit(
        form,
        lambda: services.add_figure(
            current_user,
            project,
            form.metric.data,
            form.recorded_on.data,
            form.value.data,
            note=form.note.data or "",
        ),
        _("Figure recorded."),
        url_for("projects.figures", project_id=project.id),
    )
    return done or (
        render_template("projects/figures.html", form=form, project=project, figures=_figures(project)),
        form_status(),
    )


@bp.route("/<int:project_id>/figures/<int:figure_id>/edit", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def figure_edit(project_id: int, figure_id: int):
    """Correct a recorded figure."""
    project = _editable(project_id)
    entry = _child(FigureEntry, figure_id, project)
    form = FigureCorrectionForm(obj=entry)
    done = submit(
        form,
        lambda: services.correct_figure(current_user, project, entry, form.value.data, form.note.data or ""),
        _("Figure corrected."),
        url_for("projects.figures", project_id=project.id),
    )
    return done or (
        render_template(
            "projects/figure_edit.html", form=form, project=project, entry=entry, label=METRIC_LABELS[entry.metric]
        ),
        form_status(),
    )


@bp.route("/<int:project_id>/figures/<int:figure_id>/delete", methods=["POST"])
@roles_required(*EDIT_ROLES)
def figure_delete(project_id: int, figure_id: int):
    """Delete a figure entered by mistake."""
    project = _editable(project_id)
    entry = _child(FigureEntry, figure_id, project)
    return submit_and_return(
        FlaskForm(),
        lambda: services.delete_figure(current_user, project, entry),
        _("Figure deleted."),
        redirect(url_for("projects.figures", project_id=project.id)),
    )


# --- Milestones ----------------------------------------------------------------------------------


@bp.route("/<int:project_id>/milestones/new", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def milestone_new(project_id: int):
    """Add a milestone."""
    project = _editable(project_id)
    form = MilestoneForm()
    done = submit(
        form,
        lambda: services.add_milestone(
            current_user, project, form.title.data or "", form.due_on.data, form.description.data or ""
        ),
        _("Milestone added."),
        _back(project, "milestones"),
    )
    return done or (
        render_template("projects/milestone_form.html", form=form, project=project, milestone=None),
        form_status(),
    )


@bp.route("/<int:project_id>/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
@roles_required(*EDIT_ROLES)
def milestone_edit(project_id: int, milestone_id: int):
    """Change a milestone."""
    project = _editable(project_id)
    milestone = _child(Milestone, milestone_id, project)
    form = MilestoneForm(obj=milestone)
    done = submit(
        form,
        lambda: services.update_milestone(
            current_user, milestone, form.title.data or "", form.due_on.data, form.description.data or ""
        ),
        _("Milestone saved."),
        _back(project, "milestones"),
    )
    return done or (
        render_template("projects/milestone_form.html", form=form, project=project, milestone=milestone),
        form_status(),
    )


@bp.route("/<int:project_id>/milestones/<int:milestone_id>/done", methods=["POST"])
@roles_required(*EDIT_ROLES)
def milestone_done(project_id: int, milestone_id: int):
    """Mark a milestone as done (done=1) or not done (done=0)."""
    project = _editable(project_id)
    milestone = _child(Milestone, milestone_id, project)
    done = request.form.get("done", "1") != "0"
    return submit_and_return(
        FlaskForm(),
        lambda: services.set_milestone_done(current_user, milestone, done),
        _("Milestone marked as done.") if done else _("Milestone marked as not done."),
        redirect(_back(project, "milestones")),
    )


@bp.route("/<int:project_id>/milestones/<int:milestone_id>/delete", methods=["POST"])
@roles_required(*EDIT_ROLES)
def milestone_delete(project_id: int, milestone_id: int):
    """Delete a milestone."""
    project = _editable(project_id)
    milestone = _child(Milestone, milestone_id, project)
    return submit_and_return(
        FlaskForm(),
        lambda: services.delete_milestone(current_user, milestone),
        _("Milestone deleted."),
        redirect(_back(project, "milestones")),
    )


# --- Sessions and action items -------------------------------------------------------------------


@bp.route("/<int:project_id>/sessions/new", methods=["GET", "POST"])
@roles_required(*FOLLOW_ROLES)
def session_new(project_id: int):
    """Record a session: the open action items of earlier sessions come first, to tick those done."""
    project = _followed(project_id)
    open_actions = services.open_actions(project, include_private=True)
    form = SessionForm()
    form.closed.choices = [(a.id, a.text) for a in open_actions]
    people = [("", "—")] + [(m.user_id, m.user.full_name) for m in project.members]
    for row in form.actions:
        row.form.owner_id.choices = people
    if request.method == "GET":
        form.held_on.data = clock.today()
        form.duration_minutes.data = 60

    def save():
        drafts = [
            services.ActionDraft(
                text=row.form.text.data or "", owner_id=row.form.owner_id.data, due_on=row.form.due_on.data
            )
            for row in form.actions
        ]
        return services.record_session(
            current_user,
            project,
            held_on=form.held_on.data,
            duration_minutes=form.duration_minutes.data,
            notes=form.notes.data or "",
            decisions=form.decisions.data or "",
            private=form.private.data,
            actions=drafts,
            closed_action_ids=[i for i in form.closed.data or [] if i is not None],
        )

    done = submit(form, save, _("Session recorded."), _back(project, "sessions"))
    return done or (
        render_template("projects/session_form.html", form=form, project=project, open_actions=open_actions),
        form_status(),
    )


@bp.route("/<int:project_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(*FOLLOW_ROLES)
def session_edit(project_id: int, session_id: int):
    """Correct a session: date, duration, notes, decisions, private or not."""
    project = _followed(project_id)
    session = _child(MentorSession, session_id, project)
    form = SessionEditForm(obj=session)
    done = submit(
        form,
        lambda: services.update_session(
            current_user,
            session,
            held_on=form.held_on.data,
            duration_minutes=form.duration_minutes.data,
            notes=form.notes.data or "",
            decisions=form.decisions.data or "",
            private=form.private.data,
        ),
        _("Session saved."),
        _back(project, "sessions"),
    )
    return done or (
        render_template("projects/session_edit.html", form=form, project=project, session=session),
        form_status(),
    )


@bp.route("/<int:project_id>/actions/<int:action_id>/done", methods=["POST"])
@roles_required(*EDIT_ROLES)
def action_done(project_id: int, action_id: int):
    """Tick an action item as done between sessions (done=0 opens it again)."""
    project = _editable(project_id)
    action = _child(ActionItem, action_id, project)
    if action.session.private and not access.can_see_private_notes(current_user, project):
        abort(404)
    done = request.form.get("done", "1") != "0"
    return submit_and_return(
        FlaskForm(),
        lambda: services.complete_action(current_user, project, action, done),
        _("Action item done.") if done else _("Action item open again."),
        redirect(_back(project, "actions")),
    )


# --- Stages (admins) -----------------------------------------------------------------------------


@bp.route("/stages")
@roles_required(Role.ADMIN)
def stages():
    """The stages from idea to launch, in order, with how many projects each holds."""
    counts = dict(db.session.execute(sa.select(Project.stage_id, sa.func.count()).group_by(Project.stage_id)).all())
    rows = list(db.session.scalars(sa.select(ProjectStage).order_by(ProjectStage.position, ProjectStage.id)))
    return render_template("projects/stages.html", stages=rows, counts=counts, form=FlaskForm())


@bp.route("/stages/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def stage_new():
    """Add a stage at the end."""
    form = StageForm()
    done = submit(
        form,
        lambda: services.create_stage(current_user, form.name.data or "", description=form.description.data or ""),
        _("Stage added."),
        url_for("projects.stages"),
    )
    return done or (render_template("projects/stage_form.html", form=form, stage=None), form_status())


@bp.route("/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def stage_edit(stage_id: int):
    """Rename, describe, or stop using a stage."""
    stage = db.get_or_404(ProjectStage, stage_id)
    form = StageForm(obj=stage)
    done = submit(
        form,
        lambda: services.update_stage(
            current_user,
            stage,
            name=form.name.data or "",
            description=form.description.data or "",
            active=form.active.data,
        ),
        _("Stage saved."),
        url_for("projects.stages"),
    )
    return done or (render_template("projects/stage_form.html", form=form, stage=stage), form_status())


@bp.route("/stages/<int:stage_id>/move", methods=["POST"])
@roles_required(Role.ADMIN)
def stage_move(stage_id: int):
    """Move a stage up (direction=up) or down (direction=down) the list."""
    stage = db.get_or_404(ProjectStage, stage_id)
    direction = -1 if request.form.get("direction") == "up" else 1
    return submit_and_return(
        FlaskForm(),
        lambda: services.move_stage(current_user, stage, direction),
        _("Order of the stages saved."),
        redirect(url_for("projects.stages")),
    )


@bp.route("/stages/<int:stage_id>/delete", methods=["POST"])
@roles_required(Role.ADMIN)
def stage_delete(stage_id: int):
    """Delete a stage that no project ever used."""
    stage = db.get_or_404(ProjectStage, stage_id)
    return submit_and_return(
        FlaskForm(),
        lambda: services.delete_stage(current_user, stage),
        _("Stage deleted."),
        redirect(url_for("projects.stages")),
    )
