"""The mentors' board as read: one column per active stage, a card per project, filters and swimlanes, in bounded
queries."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from repairlab.auth import sees_all_territories
from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.projects import access
from repairlab.projects.models import (
    MemberRole,
    Project,
    ProjectMember,
    ProjectStage,
    ProjectStatus,
    Sector,
)
from repairlab.projects.queries import Choices, filter_choices
from repairlab.projects.summary import ProjectSummary, summaries
from repairlab.web import db_id

# Statuses shown by default: every project but the stopped ones (a launched project stays in the last column).
OPEN = "open"
STATUS_CHOICES = (OPEN, *(s.value for s in ProjectStatus), "all")
LANES = ("", "mentor", "cohort")
# Cards shown per cell (a stage in a lane) before a "show all" link; a single-stage board shows up to STAGE_CAP.
CELL_CAP = 12  # a phone shows about four; "show all" opens the stage with every card
LANE_CELL_CAP = 12  # with swimlanes: many lanes, fewer cards each
STAGE_CAP = 500
# At most about this many cards on a page: with many lanes each cell shows fewer (never under MIN_CELL_CAP).
CARD_BUDGET = 360
MIN_CELL_CAP = 3


@dataclass(frozen=True)
class BoardFilters:
    """What the board shows (parsed from the query string; bad values are ignored)."""

    territory_id: int | None = None
    cohort_id: int | None = None
    mentor_id: int | None = None
    sector: str = ""
    status: str = OPEN
    lanes: str = ""
    stage_id: int | None = None  # one stage only (the phone's stage picker, and "show all")

    @classmethod
    def from_args(cls, args) -> BoardFilters:
        """Parse request.args."""
        sector = args.get("sector", "")
        status = args.get("status", OPEN)
        lanes = args.get("lanes", "")
        return cls(
            territory_id=args.get("territory", type=db_id),
            cohort_id=args.get("cohort", type=db_id),
            mentor_id=args.get("mentor", type=db_id),
            sector=sector if sector in {s.value for s in Sector} else "",
            status=status if status in STATUS_CHOICES else OPEN,
            lanes=lanes if lanes in LANES else "",
            stage_id=args.get("stage", type=db_id),
        )

    def statuses(self) -> list[ProjectStatus] | None:
        """The statuses to show, or None for all."""
        if self.status == "all":
            return None
        if self.status == OPEN:
            return [ProjectStatus.ACTIVE, ProjectStatus.PAUSED, ProjectStatus.LAUNCHED]
        return [ProjectStatus(self.status)]

    def args(self, **changes) -> dict[str, str | int]:
        """The query-string arguments that rebuild these filters (defaults left out), with some changed."""
        f = replace(self, **changes)
        out = {
            "territory": f.territory_id,
            "cohort": f.cohort_id,
            "mentor": f.mentor_id,
            "sector": f.sector,
            "status": f.status if f.status != OPEN else "",
            "lanes": f.lanes,
            "stage": f.stage_id,
        }
        return {k: v for k, v in out.items() if v}

    @property
    def active_count(self) -> int:
        """How many filters or options differ from the defaults (the stage picker apart), shown on the panel."""
        default = BoardFilters()
        return sum(
            getattr(self, name) != getattr(default, name)
            for name in ("territory_id", "cohort_id", "mentor_id", "sector", "status", "lanes")
        )


@dataclass
class Card:
    """A project on the board, with its summary and the stages it may move to by a button."""

    project: Project
    summary: ProjectSummary
    previous_stage: ProjectStage | None
    next_stage: ProjectStage | None


@dataclass
class Cell:
    """The cards of one stage in one lane."""

    stage: ProjectStage
    cards: list[Card] = field(default_factory=list)
    total: int = 0

    @property
    def hidden(self) -> int:
        """How many cards are not shown (over the cap)."""
        return self.total - len(self.cards)


@dataclass
class Lane:
    """A swimlane (a mentor, a cohort, or the whole board when there are no lanes)."""

    key: str
    label: str
    cells: list[Cell]

    @property
    def total(self) -> int:
        """Cards in the lane (a project with two mentors counts in each of their lanes)."""
        return sum(c.total for c in self.cells)


@dataclass
class Board:
    """Everything the board page shows."""

    filters: BoardFilters
    choices: Choices
    stages: list[ProjectStage]  # the columns shown
    lanes: list[Lane]
    total: int  # projects matching the filters
    can_move: bool
    stage_totals: dict[int, int]  # projects matching the filters per stage (every active stage, not only shown)
    on: date | None = None


def _project_query(user: User, filters: BoardFilters, stage_ids: list[int]) -> sa.Select:
    stmt = access.visible_projects(user).where(Project.stage_id.in_(stage_ids))
    if filters.territory_id is not None and sees_all_territories(user):
        stmt = stmt.where(Project.territory_id == filters.territory_id)
    if filters.cohort_id is not None:
        stmt = stmt.where(Project.cohort_id == filters.cohort_id)
    if filters.sector:
        stmt = stmt.where(Project.sector == Sector(filters.sector))
    statuses = filters.statuses()
    if statuses is not None:
        stmt = stmt.where(Project.status.in_(statuses))
    if filters.mentor_id is not None:
        followed = sa.select(ProjectMember.project_id).where(
            ProjectMember.user_id == filters.mentor_id, ProjectMember.role == MemberRole.MENTOR
        )
        stmt = stmt.where(Project.id.in_(followed))
    return stmt


def build_board(user: User, filters: BoardFilters, *, on: date | None = None) -> Board:
    """The board for a member of staff: columns, lanes and cards, in a bounded number of queries.

    Columns are the active stages by position (only one when filters.stage_id names one of them); cards are ordered
    by board position then name; a cell shows at most CELL_CAP cards (fewer with many lanes, more on a single-stage
    board: see _cell_cap), the summaries are computed only for the cards shown.
    """
    choices = filter_choices(user)
    if not sees_all_territories(user):
        filters = replace(filters, territory_id=None)
    known = {s.id for s in choices.stages}
    if filters.stage_id not in known:
        filters = replace(filters, stage_id=None)
    if filters.cohort_id not in {c for c, _n in choices.cohorts}:
        filters = replace(filters, cohort_id=None)
    columns = [s for s in choices.stages if filters.stage_id in (None, s.id)]
    can_move = access.may_follow_projects(user)
    if not columns:
        return Board(filters, choices, [], [], 0, can_move, {}, on)

    counted = _project_query(user, filters, [s.id for s in choices.stages])
    stage_totals = dict(
        db.session.execute(
            counted.with_only_columns(Project.stage_id, sa.func.count()).group_by(Project.stage_id)
        ).all()
    )
    order = (Project.board_position, sa.func.lower(Project.name), Project.name, Project.id)
    selected = _project_query(user, filters, [s.id for s in columns])
    by_position = {s.id: i for i, s in enumerate(choices.stages)}
    shown: list[tuple[Cell, Project]] = []
    built: list[Lane] = []
    if not filters.lanes:
        # One lane: each column's first cards only, by a window in the database (its totals are counted above), so
        # that the page's work does not grow with the territory's projects.
        cap = _cell_cap(filters, len(columns))
        rank = sa.func.row_number().over(partition_by=Project.stage_id, order_by=order).label("rank")
        ranked = selected.add_columns(rank).subquery()
        first = aliased(Project, ranked)
        rows = db.session.scalars(
            sa.select(first)
            .where(ranked.c.rank <= cap)
            .order_by(first.board_position, sa.func.lower(first.name), first.name, first.id)
        )
        cells = {s.id: Cell(s, total=stage_totals.get(s.id, 0)) for s in columns}
        shown = [(cells[project.stage_id], project) for project in rows]
        built.append(Lane("all", "", list(cells.values())))
    else:
        projects = list(db.session.scalars(selected.order_by(*order)))
        lanes = _lanes(filters, projects, choices)
        cap = _cell_cap(filters, len(lanes) * len(columns))
        for key, label, members in lanes:
            cells = {s.id: Cell(s) for s in columns}
            for project in members:
                cell = cells[project.stage_id]
                cell.total += 1
                if cell.total <= cap:
                    shown.append((cell, project))
            built.append(Lane(key, label, list(cells.values())))
    infos = summaries(list({p.id: p for _c, p in shown}.values()), on=on)
    for cell, project in shown:
        i = by_position[project.stage_id]
        cell.cards.append(
            Card(
                project,
                infos[project.id],
                choices.stages[i - 1] if i > 0 else None,
                choices.stages[i + 1] if i + 1 < len(choices.stages) else None,
            )
        )
    return Board(filters, choices, columns, built, sum(stage_totals.values()), can_move, stage_totals, on)


def _cell_cap(filters: BoardFilters, cells: int) -> int:
    """How many cards a cell shows: fewer when the board has many cells, so that a page stays light."""
    if filters.stage_id is not None:
        return max(STAGE_CAP // max(cells, 1), MIN_CELL_CAP)
    cap = LANE_CELL_CAP if filters.lanes else CELL_CAP
    return min(cap, max(CARD_BUDGET // max(cells, 1), MIN_CELL_CAP))


def _lanes(filters: BoardFilters, projects: list[Project], choices: Choices) -> list[tuple[str, str, list[Project]]]:
    """Split the projects into swimlanes: (key, label, projects), the "no mentor"/"no cohort" lane last."""
    if filters.lanes == "cohort":
        names = dict(choices.cohorts)
        groups: dict[int | None, list[Project]] = {}
        for project in projects:
            groups.setdefault(project.cohort_id, []).append(project)
        order = [cid for cid, _n in choices.cohorts if cid in groups]
        lanes = [(f"cohort-{cid}", names[cid], groups[cid]) for cid in order]
        # Cohorts outside the user's list (none in practice) still show, under their own lane.
        lanes += [(f"cohort-{cid}", str(cid), groups[cid]) for cid in groups if cid is not None and cid not in names]
        if None in groups:
            lanes.append(("cohort-none", _("No cohort"), groups[None]))
        return lanes
    if filters.lanes == "mentor":
        if not projects:
            return []
        followed: dict[int, list[int]] = {}
        mentor_names: dict[int, str] = {}
        rows = db.session.execute(
            sa.select(ProjectMember.project_id, User.id, User.full_name)
            .join(User, User.id == ProjectMember.user_id)
            .where(ProjectMember.role == MemberRole.MENTOR, ProjectMember.project_id.in_([p.id for p in projects]))
        )
        for project_id, user_id, name in rows:
            if filters.mentor_id is None or user_id == filters.mentor_id:
                followed.setdefault(project_id, []).append(user_id)
                mentor_names[user_id] = name
        by_mentor: dict[int, list[Project]] = {}
        alone: list[Project] = []
        for project in projects:
            mentors = followed.get(project.id)
            if not mentors:
                alone.append(project)
            for mentor_id in mentors or ():
                by_mentor.setdefault(mentor_id, []).append(project)
        order = sorted(by_mentor, key=lambda m: (mentor_names[m].casefold(), m))
        lanes = [(f"mentor-{m}", mentor_names[m], by_mentor[m]) for m in order]
        if alone:
            lanes.append(("mentor-none", _("No mentor"), alone))
        return lanes
    return [("all", "", projects)]
