"""Inventory: codes, categories, locations, items (tools, objects, parts), photos, problem reports and the skills
that tools and categories require."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.clock import utcnow
from repairlab.extensions import LabelledEnum, UTCDateTime, db, enum_labels, str_enum
from repairlab.people.models import Lab, Territory, User
from repairlab.search import TextIndex
from repairlab.skills.models import Skill

# Between the parts of a category's or a place's path: "Électronique > Soudure".
PATH_SEPARATOR = " > "


class ItemKind(LabelledEnum):
    """What a thing is to the lab."""

    TOOL = "tool"
    OBJECT = "object"
    PART = "part"


KIND_LABELS = enum_labels(
    ItemKind,
    {
        ItemKind.TOOL: _l("Tool or equipment"),
        ItemKind.OBJECT: _l("Object (repair, reuse, give away)"),
        ItemKind.PART: _l("Part or consumable"),
    },
)


class ItemStatus(LabelledEnum):
    """Where an item stands."""

    AVAILABLE = "available"
    ON_LOAN = "on_loan"
    UNDER_REPAIR = "under_repair"
    OUT_OF_SERVICE = "out_of_service"
    RETIRED = "retired"


STATUS_LABELS = enum_labels(
    ItemStatus,
    {
        ItemStatus.AVAILABLE: _l("Available"),
        ItemStatus.ON_LOAN: _l("On loan"),
        ItemStatus.UNDER_REPAIR: _l("Under repair"),
        ItemStatus.OUT_OF_SERVICE: _l("Out of service"),
        ItemStatus.RETIRED: _l("Retired"),
    },
)


class Condition(LabelledEnum):
    """Physical condition."""

    NEW = "new"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    BROKEN = "broken"


CONDITION_LABELS = enum_labels(
    Condition,
    {
        Condition.NEW: _l("New"),
        Condition.GOOD: _l("Good"),
        Condition.FAIR: _l("Fair"),
        Condition.POOR: _l("Poor"),
        Condition.BROKEN: _l("Broken"),
    },
)


class Source(LabelledEnum):
    """How the lab got the item."""

    BOUGHT = "bought"
    DONATED = "donated"
    RECOVERED = "recovered"


SOURCE_LABELS = enum_labels(
    Source,
    {
        Source.BOUGHT: _l("Bought"),
        Source.DONATED: _l("Donated"),
        Source.RECOVERED: _l("Recovered"),
    },
)


class LocationKind(LabelledEnum):
    """Levels under a lab."""

    ZONE = "zone"
    SHELF = "shelf"
    BIN = "bin"


LOCATION_KIND_LABELS = enum_labels(
    LocationKind,
    {
        LocationKind.ZONE: _l("Zone"),
        LocationKind.SHELF: _l("Shelf"),
        LocationKind.BIN: _l("Bin"),
    },
)


class ReportStatus(StrEnum):
    """A problem report is open until a lab manager closes it."""

    OPEN = "open"
    CLOSED = "closed"


class CodeCounter(db.Model):
    """The last number issued in a territory; incremented atomically, so a code is never issued twice."""

    __tablename__ = "code_counters"

    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="CASCADE"), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class Code(db.Model):
    """Every code ever issued, with what it points to; never deleted, so a code is never reused."""

    __tablename__ = "codes"
    __table_args__ = (
        sa.UniqueConstraint("territory_id", "number"),
        sa.Index("ix_codes_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"), index=True)
    number: Mapped[int]
    # None while a pre-printed label waits to be attached.
    target_type: Mapped[str | None] = mapped_column(sa.String(20))
    target_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    territory: Mapped[Territory] = relationship()


class Category(db.Model):
    """A category of the programme-wide tree, e.g. Électronique > Soudure."""

    __tablename__ = "categories"
    __table_args__ = (sa.UniqueConstraint("parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("categories.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    # "Électronique > Soudure": kept in sync by the services, used for display, sorting and CSV import.
    path: Mapped[str] = mapped_column(sa.String(400), unique=True)

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(back_populates="parent", order_by="Category.name")

    def __str__(self) -> str:
        return self.path


class Location(db.Model):
    """A place under a lab: zone > shelf or bin; it has a code and a label like items."""

    __tablename__ = "locations"
    __table_args__ = (
        sa.UniqueConstraint("lab_id", "parent_id", "name"),
        # NULLs are distinct in the constraint above: places directly under a lab need their own rule.
        sa.Index(
            "uq_locations_lab_id_top_name",
            "lab_id",
            "name",
            unique=True,
            sqlite_where=sa.text("parent_id IS NULL"),
            postgresql_where=sa.text("parent_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"), index=True)
    lab_id: Mapped[int] = mapped_column(sa.ForeignKey("labs.id", ondelete="RESTRICT"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("locations.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    kind: Mapped[LocationKind] = mapped_column(str_enum(LocationKind, "location_kind"))
    # "Atelier > Zone électronique > Étagère B": kept in sync by the services.
    path: Mapped[str] = mapped_column(sa.String(400))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    territory: Mapped[Territory] = relationship()
    lab: Mapped[Lab] = relationship()
    parent: Mapped[Location | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Location]] = relationship(back_populates="parent", order_by="Location.name")

    @property
    def holds_places(self) -> bool:
        """Whether other places can go inside it (anything but a bin)."""
        return self.kind != LocationKind.BIN

    def __str__(self) -> str:
        return self.path


LOW_STOCK = sa.text("quantity <= low_stock_threshold")


class Item(db.Model):
    """A physical thing of a lab: a tool, an object brought in, or a part."""

    __tablename__ = "items"
    __table_args__ = (
        sa.CheckConstraint("quantity IS NULL OR quantity >= 0", name="quantity_positive"),
        sa.CheckConstraint("low_stock_threshold IS NULL OR low_stock_threshold >= 0", name="threshold_positive"),
        sa.CheckConstraint("value IS NULL OR value >= 0", name="value_positive"),
        sa.CheckConstraint(
            "kind = 'part' OR (quantity IS NULL AND low_stock_threshold IS NULL)", name="quantity_only_for_parts"
        ),
        sa.Index("ix_items_territory_id_status", "territory_id", "status"),
        sa.Index("ix_items_territory_id_name", "territory_id", "name"),
        sa.Index("ix_items_territory_id_kind", "territory_id", "kind"),
        # Parts running low, for the lab manager's home page: without it the query walks the whole territory.
        sa.Index("ix_items_low_stock", "territory_id", "name", sqlite_where=LOW_STOCK, postgresql_where=LOW_STOCK),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"), index=True)
    lab_id: Mapped[int] = mapped_column(sa.ForeignKey("labs.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind, "item_kind"))
    name: Mapped[str] = mapped_column(sa.String(120))
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("categories.id", ondelete="RESTRICT"), index=True)
    location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("locations.id", ondelete="RESTRICT"), index=True)
    status: Mapped[ItemStatus] = mapped_column(
        str_enum(ItemStatus, "item_status"), default=ItemStatus.AVAILABLE, index=True
    )
    condition: Mapped[Condition] = mapped_column(str_enum(Condition, "item_condition"), default=Condition.GOOD)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    brand: Mapped[str] = mapped_column(sa.String(80), default="")
    model: Mapped[str] = mapped_column(sa.String(80), default="")
    serial_number: Mapped[str] = mapped_column(sa.String(80), default="", index=True)
    value: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    acquired_on: Mapped[date | None]
    source: Mapped[Source | None] = mapped_column(str_enum(Source, "item_source"))
    manual_url: Mapped[str] = mapped_column(sa.String(500), default="")
    safety_notes: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    quantity: Mapped[int | None]
    low_stock_threshold: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    territory: Mapped[Territory] = relationship()
    lab: Mapped[Lab] = relationship()
    category: Mapped[Category | None] = relationship()
    location: Mapped[Location | None] = relationship()
    photos: Mapped[list[ItemPhoto]] = relationship(
        back_populates="item", order_by="ItemPhoto.id", cascade="all, delete-orphan"
    )
    reports: Mapped[list[ProblemReport]] = relationship(back_populates="item", order_by="ProblemReport.id.desc()")

    @property
    def is_part(self) -> bool:
        """Whether it is a part or consumable (counted by quantity)."""
        return self.kind == ItemKind.PART

    @property
    def is_available(self) -> bool:
        """Whether it is available (in the lab, not lent, not under repair)."""
        return self.status == ItemStatus.AVAILABLE

    @property
    def is_retired(self) -> bool:
        """Whether it has left the active inventory."""
        return self.status == ItemStatus.RETIRED

    @property
    def status_settable(self) -> bool:
        """Whether a lab manager may set the status by hand or retire it (not while on loan or retired)."""
        return self.status not in (ItemStatus.RETIRED, ItemStatus.ON_LOAN)

    @property
    def is_low_stock(self) -> bool:
        """Whether a part has reached its low-stock threshold."""
        return (
            self.kind == ItemKind.PART
            and self.quantity is not None
            and self.low_stock_threshold is not None
            and self.quantity <= self.low_stock_threshold
        )

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ItemPhoto(db.Model):
    """A photo of an item (re-encoded, without metadata)."""

    __tablename__ = "item_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    thumb_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[Item] = relationship(back_populates="photos")


class ProblemReport(db.Model):
    """Something wrong with an item, reported by anyone logged in; lab managers close it."""

    __tablename__ = "problem_reports"
    __table_args__ = (sa.Index("ix_problem_reports_territory_id_status", "territory_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="CASCADE"), index=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"))
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(sa.Text)
    photo_key: Mapped[str | None] = mapped_column(sa.String(64))
    photo_thumb_key: Mapped[str | None] = mapped_column(sa.String(64))
    status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus, "report_status"), default=ReportStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str] = mapped_column(sa.Text, default="")

    item: Mapped[Item] = relationship(back_populates="reports")
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])

    @property
    def is_open(self) -> bool:
        """Whether it still waits for a lab manager."""
        return self.status == ReportStatus.OPEN


class SkillRequirement(db.Model):
    """A skill needed at a minimum level to use a tool, or any item of a category and of its sub-categories."""

    __tablename__ = "skill_requirements"
    __table_args__ = (
        sa.CheckConstraint("min_level BETWEEN 1 AND 4", name="min_level_range"),
        sa.CheckConstraint(
            "(item_id IS NOT NULL AND category_id IS NULL) OR (item_id IS NULL AND category_id IS NOT NULL)",
            name="one_target",
        ),
        # Also the indexes of item_id and category_id (leftmost column); NULLs never clash.
        sa.UniqueConstraint("item_id", "skill_id"),
        sa.UniqueConstraint("category_id", "skill_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("items.id", ondelete="CASCADE"))
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("categories.id", ondelete="CASCADE"))
    # Indexed: which tools need a skill, and the foreign key check when a skill goes.
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id", ondelete="RESTRICT"), index=True)
    min_level: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[Item | None] = relationship()
    category: Mapped[Category | None] = relationship()
    skill: Mapped[Skill] = relationship()

    @property
    def territory_id(self) -> int | None:
        """The item's territory; None for a category's requirement (categories are programme-wide)."""
        return self.item.territory_id if self.item is not None else None

    def __str__(self) -> str:
        target = f"{self.item.code} {self.item.name}" if self.item is not None else str(self.category)
        return f"{target}: {self.skill.name} ≥ {self.min_level}"


# --- The text index of item search ------------------------------------------------------------------
# Search looks for the folded text (case and accents ignored) of an item's name, code, brand, model and serial
# number through a text index on both engines (repairlab/search.py): the name in a group of its own, for the ranking.
# The migration writes the same DDL (tests/test_migrations.py checks).

SEARCH_INDEX = TextIndex("items", (("name", ("name",)), ("other", ("code", "brand", "model", "serial_number"))))
SEARCH_INDEX.attach(Item.__table__)
