"""Repairs: repair events, repair tickets in the Open Repair Data Standard (ORDS v0.3) vocabulary, the talents'
work, the parts and tools used, and the figures of the waste and CO2e that a repair prevented.

The rules the database can hold are here: a barrier only with End of life, an outcome before a ticket is ready
or closed, no negative minutes, weights or quantities, one ticket per partner record imported.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.clock import utcnow
from repairlab.extensions import LabelledEnum, UTCDateTime, db, enum_labels, str_enum
from repairlab.inventory.models import Item
from repairlab.people.models import Lab, Territory, User
from repairlab.search import TextIndex
from repairlab.skills.models import Skill

# Reference tables: filled by the migration (and by `reference.ensure_reference_data()` for a database made with
# create_all), never emptied between tests.
REFERENCE_DATA = {"reference_data": True}


class TicketStatus(LabelledEnum):
    """Where a repair ticket stands; received → diagnosed → in repair → ready to collect → returned (or
    abandoned)."""

    RECEIVED = "received"
    DIAGNOSED = "diagnosed"
    IN_REPAIR = "in_repair"
    READY = "ready"
    RETURNED = "returned"
    ABANDONED = "abandoned"


STATUS_LABELS = enum_labels(
    TicketStatus,
    {
        TicketStatus.RECEIVED: _l("Received"),
        TicketStatus.DIAGNOSED: _l("Diagnosed"),
        TicketStatus.IN_REPAIR: _l("In repair"),
        TicketStatus.READY: _l("Ready to collect"),
        TicketStatus.RETURNED: _l("Returned"),
        TicketStatus.ABANDONED: _l("Abandoned"),
    },
)

OPEN_STATUSES = (TicketStatus.RECEIVED, TicketStatus.DIAGNOSED, TicketStatus.IN_REPAIR, TicketStatus.READY)
CLOSED_STATUSES = (TicketStatus.RETURNED, TicketStatus.ABANDONED)


class Outcome(LabelledEnum):
    """The ORDS repair status of a ticket (`repair_status`)."""

    FIXED = "fixed"
    REPAIRABLE = "repairable"
    END_OF_LIFE = "end_of_life"
    UNKNOWN = "unknown"


OUTCOME_LABELS = enum_labels(
    Outcome,
    {
        Outcome.FIXED: _l("Fixed"),
        Outcome.REPAIRABLE: _l("Repairable"),
        Outcome.END_OF_LIFE: _l("End of life"),
        Outcome.UNKNOWN: _l("Unknown"),
    },
)


class RepairableNeed(LabelledEnum):
    """What a repairable object would need to be fixed."""

    PART_TO_ORDER = "part_to_order"
    PROFESSIONAL = "professional"
    MORE_TIME = "more_time"
    OWNER_AT_HOME = "owner_at_home"


NEED_LABELS = enum_labels(
    RepairableNeed,
    {
        RepairableNeed.PART_TO_ORDER: _l("A spare part to order"),
        RepairableNeed.PROFESSIONAL: _l("A professional repairer"),
        RepairableNeed.MORE_TIME: _l("More time"),
        RepairableNeed.OWNER_AT_HOME: _l("The owner can finish it at home"),
    },
)


class Barrier(LabelledEnum):
    """The six ORDS barriers of an object at its end of life (`repair_barrier_if_end_of_life`)."""

    SPARE_PARTS_NOT_AVAILABLE = "spare_parts_not_available"
    SPARE_PARTS_TOO_EXPENSIVE = "spare_parts_too_expensive"
    NO_WAY_TO_OPEN = "no_way_to_open"
    REPAIR_INFORMATION_NOT_AVAILABLE = "repair_information_not_available"
    LACK_OF_EQUIPMENT = "lack_of_equipment"
    TOO_WORN_OUT = "too_worn_out"


BARRIER_LABELS = enum_labels(
    Barrier,
    {
        Barrier.SPARE_PARTS_NOT_AVAILABLE: _l("Spare parts not available"),
        Barrier.SPARE_PARTS_TOO_EXPENSIVE: _l("Spare parts too expensive"),
        Barrier.NO_WAY_TO_OPEN: _l("No way to open the product"),
        Barrier.REPAIR_INFORMATION_NOT_AVAILABLE: _l("Repair information not available"),
        Barrier.LACK_OF_EQUIPMENT: _l("Lack of equipment"),
        Barrier.TOO_WORN_OUT: _l("Item too worn out"),
    },
)


class TicketSource(LabelledEnum):
    """Where a ticket comes from: the lab's desk, a partner file imported as the lab's history, or a partner file
    kept as external reference data (no lab)."""

    DESK = "desk"
    HISTORY = "history"
    REFERENCE = "reference"


SOURCE_LABELS = enum_labels(
    TicketSource,
    {
        TicketSource.DESK: _l("Taken in at the lab"),
        TicketSource.HISTORY: _l("Imported history of the lab"),
        TicketSource.REFERENCE: _l("External reference data"),
    },
)


class DutyRole(LabelledEnum):
    """What a person does at a repair event."""

    TALENT = "talent"
    VOLUNTEER = "volunteer"


DUTY_LABELS = enum_labels(DutyRole, {DutyRole.TALENT: _l("Talent"), DutyRole.VOLUNTEER: _l("Volunteer")})


class RepairCategory(db.Model):
    """An ORDS product category (the 40 powered ones, with their ORDS id) or an unpowered one, with the average
    weight and manufacturing footprint the impact is computed from (None: the user's weight estimate is needed)."""

    __tablename__ = "repair_categories"
    __table_args__ = (
        sa.CheckConstraint("weight_kg IS NULL OR weight_kg >= 0", name="weight_positive"),
        sa.CheckConstraint("footprint_kg IS NULL OR footprint_kg >= 0", name="footprint_positive"),
        {"info": REFERENCE_DATA},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The ORDS product_category_id (1 to 40); None for the unpowered categories, which ORDS v0.3 does not list.
    ords_id: Mapped[int | None] = mapped_column(unique=True)
    # The ORDS name in English, as written in ORDS files ("Small kitchen item"); translated on display.
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    powered: Mapped[bool] = mapped_column(default=True)
    weight_kg: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 3))
    footprint_kg: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 3))
    source: Mapped[str] = mapped_column(sa.String(255), default="")
    active: Mapped[bool] = mapped_column(default=True)

    skills: Mapped[list[Skill]] = relationship(secondary="repair_category_skills", order_by="Skill.name")

    def __str__(self) -> str:
        return self.name


class ImpactConstant(db.Model):
    """A constant of the Fixometer method (the displacement factor, the CO2e per kg of a Misc object), with its
    source; tickets store the values they were computed with."""

    __tablename__ = "repair_impact_constants"
    __table_args__ = (sa.CheckConstraint("value >= 0", name="value_positive"), {"info": REFERENCE_DATA})

    key: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[Decimal] = mapped_column(sa.Numeric(16, 8))
    source: Mapped[str] = mapped_column(sa.String(255), default="")


class CategorySkill(db.Model):
    """A skill that repairing objects of a category exercises (an electrical small appliance: the electrical
    skills)."""

    __tablename__ = "repair_category_skills"

    category_id: Mapped[int] = mapped_column(
        sa.ForeignKey("repair_categories.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True)


class RepairEvent(db.Model):
    """A planned repair session ("Repair Café") at a lab: a day, opening hours, the people on duty."""

    __tablename__ = "repair_events"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="hours_order"),
        sa.Index("ix_repair_events_lab_id_day", "lab_id", "day"),
        sa.Index("ix_repair_events_territory_id_day", "territory_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"))
    lab_id: Mapped[int] = mapped_column(sa.ForeignKey("labs.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(sa.String(120))
    day: Mapped[date]
    starts_at: Mapped[time] = mapped_column(sa.Time)
    ends_at: Mapped[time] = mapped_column(sa.Time)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    territory: Mapped[Territory] = relationship()
    lab: Mapped[Lab] = relationship()
    staff: Mapped[list[RepairEventStaff]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="RepairEventStaff.user_id"
    )


class RepairEventStaff(db.Model):
    """A talent or volunteer on duty at a repair event."""

    __tablename__ = "repair_event_staff"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("repair_events.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), primary_key=True, index=True)
    role: Mapped[DutyRole] = mapped_column(str_enum(DutyRole, "repair_duty_role"))

    event: Mapped[RepairEvent] = relationship(back_populates="staff")
    user: Mapped[User] = relationship()


OPEN_TICKET = sa.text("status IN ('received', 'diagnosed', 'in_repair', 'ready')")
EXTERNAL = sa.text("external_id IS NOT NULL")


class RepairTicket(db.Model):
    """One object brought in to be repaired (or one repair record imported from a partner's ORDS file)."""

    __tablename__ = "repair_tickets"
    __table_args__ = (
        # ORDS: a barrier is given only for an object at its end of life; a need only for a repairable one.
        sa.CheckConstraint(
            "barrier IS NULL OR (outcome IS NOT NULL AND outcome = 'end_of_life')", name="barrier_only_end_of_life"
        ),
        sa.CheckConstraint(
            "repairable_need IS NULL OR (outcome IS NOT NULL AND outcome = 'repairable')", name="need_only_repairable"
        ),
        # An outcome before the object is ready to collect or the ticket closes.
        sa.CheckConstraint(
            "status IN ('received', 'diagnosed', 'in_repair') OR outcome IS NOT NULL", name="outcome_to_close"
        ),
        sa.CheckConstraint(
            "(status IN ('returned', 'abandoned')) = (closed_at IS NOT NULL)", name="closed_at_when_closed"
        ),
        # A ticket of the desk has a code and a lab; a partner's record kept as reference data has neither.
        sa.CheckConstraint(
            "source <> 'desk' OR (code IS NOT NULL AND lab_id IS NOT NULL)", name="desk_ticket_has_code_and_lab"
        ),
        sa.CheckConstraint("source = 'reference' OR lab_id IS NOT NULL", name="lab_unless_reference"),
        sa.CheckConstraint("(lab_id IS NULL) = (territory_id IS NULL)", name="lab_with_territory"),
        sa.CheckConstraint("source = 'desk' OR external_id IS NOT NULL", name="imported_has_external_id"),
        sa.CheckConstraint(
            "year_of_manufacture IS NULL OR year_of_manufacture BETWEEN 1900 AND 2100", name="year_range"
        ),
        sa.CheckConstraint("product_age IS NULL OR product_age >= 0", name="age_positive"),
        sa.CheckConstraint("estimated_weight_kg IS NULL OR estimated_weight_kg >= 0", name="estimate_positive"),
        sa.CheckConstraint("impact_weight_kg IS NULL OR impact_weight_kg >= 0", name="impact_weight_positive"),
        sa.CheckConstraint("impact_footprint_kg IS NULL OR impact_footprint_kg >= 0", name="impact_footprint_positive"),
        sa.CheckConstraint("waste_prevented_kg IS NULL OR waste_prevented_kg >= 0", name="waste_positive"),
        sa.CheckConstraint("co2e_prevented_kg IS NULL OR co2e_prevented_kg >= 0", name="co2e_positive"),
        # Importing the same partner record twice imports it once.
        sa.Index(
            "uq_repair_tickets_provider_external_id",
            "data_provider",
            "external_id",
            unique=True,
            sqlite_where=EXTERNAL,
            postgresql_where=EXTERNAL,
        ),
        # The desk reads the open tickets of a territory by status: a small partial index, whatever the history.
        sa.Index(
            "ix_repair_tickets_open_territory_id_status",
            "territory_id",
            "status",
            sqlite_where=OPEN_TICKET,
            postgresql_where=OPEN_TICKET,
        ),
        sa.Index("ix_repair_tickets_territory_id_event_date", "territory_id", "event_date"),
        # The impact figures read only these columns: one scan of this index, not of the wide rows (repairs/queries).
        sa.Index(
            "ix_repair_tickets_figures",
            "territory_id",
            "lab_id",
            "event_date",
            "category_id",
            "event_id",
            "outcome",
            "waste_prevented_kg",
            "co2e_prevented_kg",
        ),
        # The latest change: the version of the tickets the impact pages' figures were computed at.
        sa.Index("ix_repair_tickets_updated_at", "updated_at"),
        sa.Index("ix_repair_tickets_lab_id_event_date", "lab_id", "event_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    territory_id: Mapped[int | None] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"))
    lab_id: Mapped[int | None] = mapped_column(sa.ForeignKey("labs.id", ondelete="RESTRICT"))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("repair_events.id", ondelete="RESTRICT"), index=True)
    source: Mapped[TicketSource] = mapped_column(
        str_enum(TicketSource, "repair_ticket_source"), default=TicketSource.DESK
    )
    status: Mapped[TicketStatus] = mapped_column(
        str_enum(TicketStatus, "repair_ticket_status"), default=TicketStatus.RECEIVED
    )
    # The ORDS date of the repair: the event's day, or the day the object was taken in.
    event_date: Mapped[date]

    # The owner: all optional, kept only with consent, erased a while after the object is returned.
    owner_first_name: Mapped[str] = mapped_column(sa.String(80), default="")
    owner_email: Mapped[str] = mapped_column(sa.String(254), default="")
    owner_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    owner_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    owner_locale: Mapped[str] = mapped_column(sa.String(5), default="fr")
    owner_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    owner_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # The object.
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("repair_categories.id", ondelete="RESTRICT"), index=True)
    lab_category: Mapped[str] = mapped_column(sa.String(255), default="")  # ORDS partner_product_category
    brand: Mapped[str] = mapped_column(sa.String(80), default="")
    model: Mapped[str] = mapped_column(sa.String(80), default="")
    year_of_manufacture: Mapped[int | None]
    product_age: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))  # years
    estimated_weight_kg: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 3))
    problem: Mapped[str] = mapped_column(sa.Text, default="")
    photo_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    photo_thumb_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    # The repair.
    diagnosis: Mapped[str] = mapped_column(sa.Text, default="")
    work_done: Mapped[str] = mapped_column(sa.Text, default="")
    outcome: Mapped[Outcome | None] = mapped_column(str_enum(Outcome, "repair_outcome"))
    repairable_need: Mapped[RepairableNeed | None] = mapped_column(str_enum(RepairableNeed, "repairable_need"))
    barrier: Mapped[Barrier | None] = mapped_column(str_enum(Barrier, "repair_barrier"))

    # The impact, with the figures it was computed from (a later change of the table rewrites nothing).
    impact_weight_kg: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 3))
    impact_footprint_kg: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 3))
    impact_displacement: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 4))
    waste_prevented_kg: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 3))
    co2e_prevented_kg: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 3))

    # A partner's record: its ORDS id, provider, group and country, kept as given so that it re-exports unchanged.
    external_id: Mapped[str | None] = mapped_column(sa.String(80))
    data_provider: Mapped[str] = mapped_column(sa.String(120), default="")
    group_identifier: Mapped[str] = mapped_column(sa.String(120), default="")
    country: Mapped[str] = mapped_column(sa.String(3), default="FRA")

    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    territory: Mapped[Territory | None] = relationship()
    lab: Mapped[Lab | None] = relationship()
    event: Mapped[RepairEvent | None] = relationship()
    category: Mapped[RepairCategory] = relationship()
    created_by: Mapped[User | None] = relationship()
    changes: Mapped[list[RepairStatusChange]] = relationship(
        back_populates="ticket", cascade="all, delete-orphan", order_by="RepairStatusChange.id"
    )
    work: Mapped[list[RepairWork]] = relationship(
        back_populates="ticket", cascade="all, delete-orphan", order_by="RepairWork.id"
    )
    parts: Mapped[list[RepairPartUse]] = relationship(
        back_populates="ticket", cascade="all, delete-orphan", order_by="RepairPartUse.id"
    )
    tools: Mapped[list[RepairToolUse]] = relationship(
        back_populates="ticket", cascade="all, delete-orphan", order_by="RepairToolUse.id"
    )

    @property
    def is_open(self) -> bool:
        """Whether the object is still in the lab's hands."""
        return self.status in OPEN_STATUSES

    def __str__(self) -> str:
        return self.code or self.external_id or f"#{self.id}"


# The text index of the tickets' search (repairlab/search.py): the code, brand, model and the lab's own category,
# folded (case and accents ignored); a partner's record has no code. The migration writes the same DDL.
SEARCH_INDEX = TextIndex(
    "repair_tickets", (("text", ("code", "brand", "model", "lab_category")),), nullable=frozenset({"code"})
)
SEARCH_INDEX.attach(RepairTicket.__table__)


class RepairStatusChange(db.Model):
    """One dated step of a ticket, by whom: the ticket's history."""

    __tablename__ = "repair_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("repair_tickets.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[TicketStatus | None] = mapped_column(str_enum(TicketStatus, "repair_change_from"))
    to_status: Mapped[TicketStatus] = mapped_column(str_enum(TicketStatus, "repair_change_to"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    ticket: Mapped[RepairTicket] = relationship(back_populates="changes")
    changed_by: Mapped[User | None] = relationship()


class RepairWork(db.Model):
    """A talent's time on a ticket."""

    __tablename__ = "repair_work"
    __table_args__ = (sa.CheckConstraint("minutes >= 0", name="minutes_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("repair_tickets.id", ondelete="CASCADE"), index=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    minutes: Mapped[int] = mapped_column(default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[RepairTicket] = relationship(back_populates="work")
    talent: Mapped[User] = relationship(foreign_keys=[talent_id])


class RepairPartUse(db.Model):
    """Spare parts taken from the lab's stock for a ticket (the part's quantity went down by as many)."""

    __tablename__ = "repair_part_uses"
    __table_args__ = (sa.CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("repair_tickets.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="RESTRICT"), index=True)
    quantity: Mapped[int]
    taken_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[RepairTicket] = relationship(back_populates="parts")
    item: Mapped[Item] = relationship()


class RepairToolUse(db.Model):
    """A tool of the lab used on a ticket."""

    __tablename__ = "repair_tool_uses"
    __table_args__ = (sa.UniqueConstraint("ticket_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("repair_tickets.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="RESTRICT"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[RepairTicket] = relationship(back_populates="tools")
    item: Mapped[Item] = relationship()
