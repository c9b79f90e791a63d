"""Incubation projects: stages, teams and mentors, figures, milestones, mentor sessions (prototypes: prototypes/)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab import clock
from repairlab.clock import utcnow
from repairlab.extensions import LabelledEnum, UTCDateTime, db, enum_labels, str_enum
from repairlab.people.models import Cohort, Territory, User


class ProjectStatus(LabelledEnum):
    """Whether the project is being worked on (independent of its stage)."""

    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"  # with a reason
    LAUNCHED = "launched"


PROJECT_STATUS_LABELS = enum_labels(
    ProjectStatus,
    {
        ProjectStatus.ACTIVE: _l("Active"),
        ProjectStatus.PAUSED: _l("Paused"),
        ProjectStatus.STOPPED: _l("Stopped"),
        ProjectStatus.LAUNCHED: _l("Launched"),
    },
)


class Sector(LabelledEnum):
    """The economic sector of a project, for filters and indicators."""

    ELECTRONICS = "electronics"
    PHONES = "phones"
    BIKES = "bikes"
    FURNITURE = "furniture"
    TEXTILE = "textile"
    APPLIANCES = "appliances"
    RECYCLING = "recycling"
    OTHER = "other"


SECTOR_LABELS = enum_labels(
    Sector,
    {
        Sector.ELECTRONICS: _l("Electronics repair"),
        Sector.PHONES: _l("Phone and computer repair"),
        Sector.BIKES: _l("Bikes and mobility"),
        Sector.FURNITURE: _l("Furniture and upcycling"),
        Sector.TEXTILE: _l("Textile and sewing"),
        Sector.APPLIANCES: _l("Household appliances"),
        Sector.RECYCLING: _l("Reuse and recycling"),
        Sector.OTHER: _l("Other"),
    },
)


class MemberRole(LabelledEnum):
    """How a person belongs to a project: in the team (talents) or following it (mentors)."""

    TEAM = "team"
    MENTOR = "mentor"


MEMBER_ROLE_LABELS = enum_labels(MemberRole, {MemberRole.TEAM: _l("Team"), MemberRole.MENTOR: _l("Mentor")})


class Metric(LabelledEnum):
    """The figures of a project recorded over time, as dated entries."""

    REVENUE = "revenue"  # euros over the period ending on the entry's date
    CUSTOMERS = "customers"
    JOBS = "jobs"  # jobs created, full-time equivalent
    MENTORING_HOURS = "mentoring_hours"


METRIC_LABELS = enum_labels(
    Metric,
    {
        Metric.REVENUE: _l("Revenue (€)"),
        Metric.CUSTOMERS: _l("Customers"),
        Metric.JOBS: _l("Jobs created"),
        Metric.MENTORING_HOURS: _l("Hours of mentoring"),
    },
)


class ProjectStage(db.Model):
    """A stage from idea to launch; admins edit the list; a board has one column per active stage."""

    __tablename__ = "project_stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0, index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __str__(self) -> str:
        return self.name


class Project(db.Model):
    """An economic project incubated by a team of talents, followed by mentors."""

    __tablename__ = "projects"
    __table_args__ = (
        sa.CheckConstraint("status <> 'stopped' OR stop_reason <> ''", name="stop_reason_required"),
        sa.Index("ix_projects_territory_id_stage_id", "territory_id", "stage_id"),
        sa.Index("ix_projects_territory_id_status", "territory_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    pitch: Mapped[str] = mapped_column(sa.Text, default="")
    sector: Mapped[Sector] = mapped_column(str_enum(Sector, "project_sector"), index=True)
    # The economic model in a few fields: what is sold, to whom, at what price.
    offer: Mapped[str] = mapped_column(sa.Text, default="")
    customers: Mapped[str] = mapped_column(sa.Text, default="")
    pricing: Mapped[str] = mapped_column(sa.String(200), default="")
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("project_stages.id", ondelete="RESTRICT"), index=True)
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[ProjectStatus] = mapped_column(
        str_enum(ProjectStatus, "project_status"), default=ProjectStatus.ACTIVE
    )
    stop_reason: Mapped[str] = mapped_column(sa.Text, default="")
    start_date: Mapped[date]
    # Board order inside a column (smaller first); ties by name.
    board_position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    territory: Mapped[Territory] = relationship()
    cohort: Mapped[Cohort | None] = relationship()
    stage: Mapped[ProjectStage] = relationship()
    members: Mapped[list[ProjectMember]] = relationship(back_populates="project", cascade="all, delete-orphan")

    @property
    def is_stopped(self) -> bool:
        """Whether the project stopped (with a reason)."""
        return self.status == ProjectStatus.STOPPED

    @property
    def is_launched(self) -> bool:
        """Whether the activity is launched."""
        return self.status == ProjectStatus.LAUNCHED

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProjectMember(db.Model):
    """A talent in a project's team, or a mentor following it."""

    __tablename__ = "project_members"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "user_id"),
        sa.Index("ix_project_members_user_id_role", "user_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    role: Mapped[MemberRole] = mapped_column(str_enum(MemberRole, "project_member_role"))
    joined_on: Mapped[date] = mapped_column(sa.Date, default=clock.today)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class StageChange(db.Model):
    """A move of a project from one stage to another: when, by whom, with a note. The first has no from_stage."""

    __tablename__ = "project_stage_changes"
    __table_args__ = (sa.Index("ix_project_stage_changes_project_id_changed_at", "project_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"))
    from_stage_id: Mapped[int | None] = mapped_column(sa.ForeignKey("project_stages.id", ondelete="RESTRICT"))
    to_stage_id: Mapped[int] = mapped_column(sa.ForeignKey("project_stages.id", ondelete="RESTRICT"), index=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    from_stage: Mapped[ProjectStage | None] = relationship(foreign_keys=[from_stage_id])
    to_stage: Mapped[ProjectStage] = relationship(foreign_keys=[to_stage_id])
    changed_by: Mapped[User | None] = relationship()


class FigureEntry(db.Model):
    """One dated value of one of a project's figures (revenue, customers, jobs, mentoring hours)."""

    __tablename__ = "project_figures"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "metric", "recorded_on"),
        sa.CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    metric: Mapped[Metric] = mapped_column(str_enum(Metric, "project_metric"))
    recorded_on: Mapped[date] = mapped_column(sa.Date)
    value: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    note: Mapped[str] = mapped_column(sa.String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Milestone(db.Model):
    """A milestone with a due date; done when done_on is set."""

    __tablename__ = "project_milestones"
    __table_args__ = (sa.Index("ix_project_milestones_project_id_done_on_due_on", "project_id", "done_on", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    due_on: Mapped[date] = mapped_column(sa.Date)
    done_on: Mapped[date | None] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship()


class MentorSession(db.Model):
    """A mentoring session: date, duration, notes, decisions; private sessions are hidden from the team."""

    __tablename__ = "project_sessions"
    __table_args__ = (
        sa.CheckConstraint("duration_minutes > 0 AND duration_minutes <= 1440", name="duration_range"),
        sa.Index("ix_project_sessions_project_id_held_on", "project_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"))
    mentor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    held_on: Mapped[date] = mapped_column(sa.Date)
    duration_minutes: Mapped[int]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    decisions: Mapped[str] = mapped_column(sa.Text, default="")
    # Notes and decisions visible to mentors (and admins) only, never to the team.
    private: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship()
    mentor: Mapped[User | None] = relationship()
    actions: Mapped[list[ActionItem]] = relationship(
        back_populates="session", order_by="ActionItem.id", foreign_keys="ActionItem.session_id"
    )


class ActionItem(db.Model):
    """Something to do decided in a session; carried to the next sessions until it is done."""

    __tablename__ = "project_action_items"
    __table_args__ = (sa.Index("ix_project_action_items_project_id_done_at", "project_id", "done_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("project_sessions.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.String(300))
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The session where it was reviewed and found done (None while open).
    closed_in_session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("project_sessions.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[MentorSession] = relationship(back_populates="actions", foreign_keys=[session_id])
    owner: Mapped[User | None] = relationship()
