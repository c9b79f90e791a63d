"""Incubated projects: the list and a project as their pages show them, and the board's stage move, through the
projects domain's queries, services and access rules."""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from werkzeug.datastructures import MultiDict

from repairlab.api.problems import refusals, refuse
from repairlab.api.schemas import (
    ProjectDetailOut,
    ProjectListArgs,
    ProjectMove,
    ProjectPage,
    StageChangeOut,
    StageOut,
    page_body,
)
from repairlab.api.web import allow, change, visible
from repairlab.errors import ValidationError
from repairlab.extensions import db
from repairlab.pagination import paginate
from repairlab.people.models import Role
from repairlab.projects import access
from repairlab.projects.board.services import move_from
from repairlab.projects.board.views import FOLLOWERS
from repairlab.projects.models import Project, ProjectStage
from repairlab.projects.queries import ProjectFilters, active_stages, project_page_query, project_query
from repairlab.projects.views import PROJECT_ROLES

projects = Blueprint(
    "incubated_projects", __name__, url_prefix="/api/v1/projects", description="Incubated projects and their stages."
)


@projects.route("")
class ProjectList(MethodView):
    """The projects the token's user sees."""

    @refusals(projects, 403, 422)
    @projects.arguments(ProjectListArgs, location="query")
    @projects.response(200, ProjectPage)
    def get(self, args):
        """List projects by name, as the web list: a talent's own projects (searched by name), or those of the
        territory for staff, with the list's filters (stage, status, sector, cohort, mentor)."""
        allow(*PROJECT_ROLES)
        query = {key: str(value) for key, value in args.items() if key not in ("page", "per_page")}
        if current_user.role == Role.PARTICIPANT:  # the web list: a talent's few projects, searched by name
            filters = ProjectFilters(q=query.get("q", "").strip()[:100])
        else:
            filters = ProjectFilters.from_args(MultiDict(query))
        return page_body(paginate(project_query(current_user, filters), per_page=args["per_page"]))


@projects.route("/stages")
class StageList(MethodView):
    """The stages of the incubation."""

    @refusals(projects, 403)
    @projects.response(200, StageOut(many=True))
    def get(self):
        """The stages in use, in the board's order: where a project may be moved to."""
        allow(*PROJECT_ROLES)
        return active_stages()


def _project(project_id: int) -> Project:
    """A project the token's user may see (other territories and other teams: 404, as on the pages)."""
    project = project_page_query(project_id)
    if project is None or not access.can_view(current_user, project):
        raise refuse(404)
    return project


@projects.route("/<int:project_id>")
class ProjectResource(MethodView):
    """One project."""

    @refusals(projects, 403, 404)
    @projects.response(200, ProjectDetailOut)
    def get(self, project_id: int):
        """A project with its economic model, team and mentors: its team's, or its territory's staff's."""
        allow(*PROJECT_ROLES)
        return _project(project_id)


@projects.route("/<int:project_id>/move")
class ProjectMoveResource(MethodView):
    """Move a project on the board."""

    @refusals(projects, 403, 404, 409, 422)
    @projects.arguments(ProjectMove)
    @projects.response(200, StageChangeOut)
    def post(self, data, project_id: int):
        """Move a project to another stage with a note, as on the mentors' board (its mentors and administrators):
        kept in its stage history. With `from_stage_id`, refused if someone moved it meanwhile."""
        allow(*FOLLOWERS)
        project = visible(db.session.get(Project, project_id))
        if not access.can_follow(current_user, project):
            raise refuse(403)

        def move():
            stage = db.session.get(ProjectStage, data["stage_id"])
            if stage is None:
                raise ValidationError(_("Choose the stage to move the project to."), field="stage")
            return move_from(current_user, project, stage, note=data["note"], from_stage_id=data.get("from_stage_id"))

        return change(move)
