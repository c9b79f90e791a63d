"""Read-side queries of the projects pages: the filtered list, bulk facts per project, and figure charts."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from repairlab.auth import sees_all_territories, territory_scope
from repairlab.extensions import db
from repairlab.pagination import contains
from repairlab.people.models import Cohort, Role, Territory, User
from repairlab.projects import access
from repairlab.projects.models import (
    MemberRole,
    Project,
    ProjectMember,
    ProjectStage,
    ProjectStatus,
    Sector,
)
from repairlab.web import db_id


@dataclass
class ProjectFilters:
    """The filters of the project list, parsed from the query string (unknown values are ignored)."""

    q: str = ""
    territory_id: int | None = None
    cohort_id: int | None = None
    mentor_id: int | None = None
    stage_id: int | None = None
    sector: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args) -> ProjectFilters:
        """Read ?q=&territory=&cohort=&mentor=&stage=&sector=&status=."""
        sector = args.get("sector", "")
        status = args.get("status", "")
        return cls(
            q=(args.get("q", "") or "").strip()[:100],
            territory_id=args.get("territory", type=db_id),
            cohort_id=args.get("cohort", type=db_id),
            mentor_id=args.get("mentor", type=db_id),
            stage_id=args.get("stage", type=db_id),
            sector=sector if sector in {s.value for s in Sector} else "",
            status=status if status in {s.value for s in ProjectStatus} else "",
        )

    @property
    def active(self) -> bool:
        """Whether any filter beyond the search is set."""
        return any((self.territory_id, self.cohort_id, self.mentor_id, self.stage_id, self.sector, self.status))


def project_names(ids: list[int]) -> dict[int, str]:
    """Project names by id, for labels (one query)."""
    rows = db.session.execute(sa.select(Project.id, Project.name).where(Project.id.in_(ids)))
    return dict(rows.all())


def project_query(user: User, filters: ProjectFilters) -> sa.Select:
    """The projects the user may see, filtered, with their stage, territory and cohort, by name."""
    stmt = access.visible_projects(user).options(
        joinedload(Project.stage), joinedload(Project.territory), joinedload(Project.cohort)
    )
    if filters.territory_id and user.role == Role.ADMIN:
        stmt = stmt.where(Project.territory_id == filters.territory_id)
    if filters.cohort_id:
        stmt = stmt.where(Project.cohort_id == filters.cohort_id)
    if filters.stage_id:
        stmt = stmt.where(Project.stage_id == filters.stage_id)
    if filters.sector:
        stmt = stmt.where(Project.sector == filters.sector)
    if filters.status:
        stmt = stmt.where(Project.status == filters.status)
    if filters.mentor_id:
        followed = sa.select(ProjectMember.project_id).where(
            ProjectMember.user_id == filters.mentor_id, ProjectMember.role == MemberRole.MENTOR
        )
        stmt = stmt.where(Project.id.in_(followed))
    if filters.q:
        stmt = stmt.where(sa.or_(contains(Project.name, filters.q), contains(Project.code, filters.q)))
    return stmt.order_by(Project.name, Project.id)


def project_page_query(project_id: int) -> Project | None:
    """A project with its stage, territory, cohort and members (one query plus one for the members)."""
    return db.session.scalar(
        sa.select(Project)
        .options(
            joinedload(Project.stage),
            joinedload(Project.territory),
            joinedload(Project.cohort),
            selectinload(Project.members).joinedload(ProjectMember.user),
        )
        .where(Project.id == project_id)
    )


# --- Filter choices ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """The options of the filter form."""

    territories: list[tuple[int, str]]  # empty unless the user sees every territory
    cohorts: list[tuple[int, str]]
    mentors: list[tuple[int, str]]
    stages: list[ProjectStage]


def filter_choices(user: User, *, every_stage: bool = False) -> Choices:
    """Territories (for those who see them all), cohorts, mentors and stages to filter by; four queries at most.

    The board and the list share it; the board's columns are the stages in use, the list also filters by the others.
    """
    scope = territory_scope(user)
    territories: list[tuple[int, str]] = []
    if sees_all_territories(user):
        territories = [
            (t.id, t.name) for t in db.session.scalars(sa.select(Territory).order_by(Territory.name, Territory.id))
        ]
    prefix = sees_all_territories(user)
    cohort_stmt = sa.select(Cohort.id, Cohort.name, Territory.code).join(Territory, Territory.id == Cohort.territory_id)
    mentor_stmt = (
        sa.select(User.id, User.full_name, Territory.code)
        .join(Territory, Territory.id == User.territory_id)
        .where(User.role == Role.MENTOR, User.active.is_(True))
    )
    if scope is not None:
        cohort_stmt = cohort_stmt.where(Cohort.territory_id == scope)
        mentor_stmt = mentor_stmt.where(User.territory_id == scope)
    cohorts = [
        (cid, f"{code} · {name}" if prefix else name)
        for cid, name, code in db.session.execute(cohort_stmt.order_by(Territory.code, Cohort.start_date, Cohort.name))
    ]
    mentors = [
        (uid, f"{name} ({code})" if prefix else name)
        for uid, name, code in db.session.execute(mentor_stmt.order_by(User.full_name, User.id))
    ]
    return Choices(territories, cohorts, mentors, all_stages() if every_stage else active_stages())


def active_stages() -> list[ProjectStage]:
    """Active stages by position (one query)."""
    return list(
        db.session.scalars(
            sa.select(ProjectStage)
            .where(ProjectStage.active.is_(True))
            .order_by(ProjectStage.position, ProjectStage.id)
        )
    )


def all_stages() -> list[ProjectStage]:
    """Every stage by position, in use or not (one query)."""
    return list(db.session.scalars(sa.select(ProjectStage).order_by(ProjectStage.position, ProjectStage.id)))
