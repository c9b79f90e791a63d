"""Read-side queries of the projects pages: the filtered list, bulk facts per project, and figure charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from repairlab.extensions import db
from repairlab.pagination import contains
from repairlab.people.models import Role, User
from repairlab.projects import access
from repairlab.projects.models import (
    MemberRole,
    Project,
    ProjectMember,
    ProjectStatus,
    Sector,
)
from repairlab.web import db_id


def _id(args, name: str) -> int | None:
    try:
        return db_id(args.get(name, ""))
    except (TypeError, ValueError):
        return None


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
            territory_id=_id(args, "territory"),
            cohort_id=_id(args, "cohort"),
            mentor_id=_id(args, "mentor"),
            stage_id=_id(args, "stage"),
            sector=sector if sector in {s.value for s in Sector} else "",
            status=status if status in {s.value for s in ProjectStatus} else "",
        )

    @property
    def active(self) -> bool:
        """Whether any filter beyond the search is set."""
        return any((self.territory_id, self.cohort_id, self.mentor_id, self.stage_id, self.sector, self.status))


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


# --- Charts --------------------------------------------------------------------------------------

CHART_WIDTH = 320
CHART_HEIGHT = 120
CHART_PAD = 14


@dataclass
class Chart:
    """A small line chart drawn in SVG by the template, with its points already placed."""

    points: str  # "x,y x,y …" for a polyline
    dots: list[tuple[float, float, date, Decimal]]
    first: date
    last: date
    low: Decimal
    high: Decimal
    latest: Decimal
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT


def line_chart(entries: list[tuple[date, Decimal]]) -> Chart | None:
    """Place dated values on a small chart (dates left to right, values bottom to top); None without values."""
    if not entries:
        return None
    entries = sorted(entries)
    first, last = entries[0][0], entries[-1][0]
    low = min(v for _, v in entries)
    high = max(v for _, v in entries)
    span_days = max((last - first).days, 1)
    span_value = (high - low) or Decimal(1)
    inner_w, inner_h = CHART_WIDTH - 2 * CHART_PAD, CHART_HEIGHT - 2 * CHART_PAD
    dots = []
    for day, value in entries:
        x = CHART_PAD + (inner_w * (day - first).days / span_days if len(entries) > 1 else inner_w / 2)
        y = CHART_PAD + inner_h - (float((value - low) / span_value) * inner_h if high != low else inner_h / 2)
        dots.append((round(x, 1), round(y, 1), day, value))
    return Chart(
        points=" ".join(f"{x},{y}" for x, y, _, _ in dots),
        dots=dots,
        first=first,
        last=last,
        low=low,
        high=high,
        latest=entries[-1][1],
    )
