"""Views of the mentors' board: the board with its filters and swimlanes, and the move of a project with a note."""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from repairlab.auth import ensure_territory, roles_required
from repairlab.errors import ValidationError
from repairlab.extensions import db
from repairlab.freshness import remembered_page
from repairlab.people.models import Role
from repairlab.projects import access, bp
from repairlab.projects.board import queries as boards
from repairlab.projects.board.forms import MoveForm
from repairlab.projects.board.services import move_from
from repairlab.projects.models import PROJECT_STATUS_LABELS, SECTOR_LABELS, Project, ProjectStage
from repairlab.projects.queries import active_stages
from repairlab.web import db_id, form_status, safe_next, submit

STAFF = (Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN)
FOLLOWERS = (Role.MENTOR, Role.ADMIN)


# The session key of the project just moved: the next board page shows it in view and highlighted (board.js), like
# a flash message. On a phone, whose columns scroll sideways, the board would otherwise open on its first column.
MOVED = "board_moved_project"


def _here() -> str:
    """This page's path and query string, to come back to after a move."""
    return request.full_path.rstrip("?")


@bp.route("/board", endpoint="board")
@roles_required(*STAFF)
@remembered_page(once=(MOVED,))
def show_board():
    """The board: one column per active stage, a card per project; lab managers see it read-only."""
    filters = boards.BoardFilters.from_args(request.args)
    board = boards.build_board(current_user, filters)
    here = _here()
    # Cards build their links from these prefixes rather than with url_for() each (hundreds of cards); the URLs of
    # projects are part of the public contract: /projects/<id> and /projects/<id>/move.
    links = {"root": url_for("projects.project", project_id=0).removesuffix("0"), "next": quote(here, safe="")}
    return render_template(
        "projects/board.html",
        board=board,
        filters=board.filters,
        sectors=SECTOR_LABELS,
        statuses=PROJECT_STATUS_LABELS,
        here=here,
        links=links,
        moved=session.pop(MOVED, None),
    )


def _project_or_404(project_id: int) -> Project:
    project = db.get_or_404(Project, project_id)  # the int converter already refuses ids beyond MAX_ID
    ensure_territory(current_user, project.territory_id)
    return project


@bp.route("/<int:project_id>/move", methods=["GET", "POST"])
@roles_required(*FOLLOWERS)
def move(project_id: int):
    """Move a project to another stage with a note: the way without JavaScript, on a phone, and from the dialog."""
    project = _project_or_404(project_id)
    if not access.can_follow(current_user, project):
        abort(403)
    stages = active_stages()
    form = MoveForm(stages=stages)
    back = safe_next(request.values.get("next")) or url_for("projects.board")
    if request.method == "GET":
        wanted = request.args.get("stage", type=db_id)
        form.stage.data = wanted if wanted in {s.id for s in stages} else None
        form.from_stage.data = project.stage_id

    def act():
        stage = db.session.get(ProjectStage, form.stage.data) if form.stage.data is not None else None
        if stage is None:
            raise ValidationError(_("Choose the stage to move the project to."), field="stage")
        return move_from(current_user, project, stage, note=form.note.data or "", from_stage_id=form.from_stage.data)

    def done(change) -> str:
        return _("%(project)s moved to the stage “%(stage)s”.", project=project.name, stage=change.to_stage.name)

    response = submit(form, act, done, back)
    if response is not None:  # moved
        session[MOVED] = project.id
        return response
    # Shown again after a refusal: say where the project is now, and check against that from now on.
    form.from_stage.data = project.stage_id
    form.next.data = back
    return render_template(
        "projects/board_move.html",
        form=form,
        project=project,
        back=back,
    ), form_status()
