"""Prototypes of incubated projects: versions with photos, the inventory items they use, the skills they need."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.clock import utcnow
from repairlab.extensions import LabelledEnum, UTCDateTime, db, enum_labels, str_enum
from repairlab.inventory.models import Item
from repairlab.projects.models import Project
from repairlab.skills.models import Skill


class PrototypeStatus(LabelledEnum):
    """Where a prototype version stands."""

    DESIGN = "design"
    BUILDING = "building"
    TESTING = "testing"
    VALIDATED = "validated"
    ABANDONED = "abandoned"


PROTOTYPE_STATUS_LABELS = enum_labels(
    PrototypeStatus,
    {
        PrototypeStatus.DESIGN: _l("On paper"),
        PrototypeStatus.BUILDING: _l("Being built"),
        PrototypeStatus.TESTING: _l("Being tested"),
        PrototypeStatus.VALIDATED: _l("Validated"),
        PrototypeStatus.ABANDONED: _l("Abandoned"),
    },
)


class Prototype(db.Model):
    """A prototype of a project (a product, a service set-up), with versions, tools used and skills needed."""

    __tablename__ = "prototypes"
    __table_args__ = (sa.UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship()
    versions: Mapped[list[PrototypeVersion]] = relationship(
        back_populates="prototype", order_by="PrototypeVersion.number", cascade="all, delete-orphan"
    )
    items: Mapped[list[PrototypeItem]] = relationship(back_populates="prototype", cascade="all, delete-orphan")
    skills: Mapped[list[PrototypeSkill]] = relationship(back_populates="prototype", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.name


class PrototypeVersion(db.Model):
    """A version of a prototype: what changed, status, test feedback, cost of materials, photos."""

    __tablename__ = "prototype_versions"
    __table_args__ = (
        sa.UniqueConstraint("prototype_id", "number"),
        sa.CheckConstraint("number > 0", name="number_positive"),
        sa.CheckConstraint("materials_cost IS NULL OR materials_cost >= 0", name="cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prototype_id: Mapped[int] = mapped_column(sa.ForeignKey("prototypes.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[PrototypeStatus] = mapped_column(
        str_enum(PrototypeStatus, "prototype_status"), default=PrototypeStatus.DESIGN
    )
    feedback: Mapped[str] = mapped_column(sa.Text, default="")
    materials_cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    prototype: Mapped[Prototype] = relationship(back_populates="versions")
    photos: Mapped[list[PrototypePhoto]] = relationship(
        back_populates="version", order_by="PrototypePhoto.id", cascade="all, delete-orphan"
    )


class PrototypePhoto(db.Model):
    """A photo of a prototype version (re-encoded, without metadata, like item photos)."""

    __tablename__ = "prototype_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("prototype_versions.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    thumb_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[PrototypeVersion] = relationship(back_populates="photos")


class PrototypeItem(db.Model):
    """An inventory item a prototype uses; shown on the item's page as "used by"."""

    __tablename__ = "prototype_items"
    __table_args__ = (sa.UniqueConstraint("prototype_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prototype_id: Mapped[int] = mapped_column(sa.ForeignKey("prototypes.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    prototype: Mapped[Prototype] = relationship(back_populates="items")
    item: Mapped[Item] = relationship()


class PrototypeSkill(db.Model):
    """A skill a prototype needs, at a minimum level (1-4, as in the skills catalogue)."""

    __tablename__ = "prototype_skills"
    __table_args__ = (
        sa.UniqueConstraint("prototype_id", "skill_id"),
        sa.CheckConstraint("min_level BETWEEN 1 AND 4", name="min_level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prototype_id: Mapped[int] = mapped_column(sa.ForeignKey("prototypes.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id", ondelete="RESTRICT"), index=True)
    min_level: Mapped[int]

    prototype: Mapped[Prototype] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()
