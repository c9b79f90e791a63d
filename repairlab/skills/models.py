"""Skills: the catalogue (domains and skills with four levels) and each talent's validations, kept as history."""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.clock import utcnow
from repairlab.extensions import LabelledEnum, UTCDateTime, db, enum_labels, str_enum
from repairlab.people.models import Territory, User


class SkillLevel(IntEnum):
    """The programme's scale: three levels of practice, plus being able to teach it."""

    DISCOVERED = 1
    PRACTISED = 2
    AUTONOMOUS = 3
    CAN_TEACH = 4

    @property
    def label(self) -> str:
        """Return the translated name of the level, e.g. "practised with help"."""
        return str(LEVEL_LABELS[self])

    @property
    def meaning(self) -> str:
        """Return what the level means when a skill gives no description of its own."""
        return str(LEVEL_MEANINGS[self])


LEVEL_LABELS = {
    SkillLevel.DISCOVERED: _l("discovered"),
    SkillLevel.PRACTISED: _l("practised with help"),
    SkillLevel.AUTONOMOUS: _l("autonomous"),
    SkillLevel.CAN_TEACH: _l("can teach"),
}

LEVEL_MEANINGS = {
    SkillLevel.DISCOVERED: _l("Has seen how it is done and tried it with someone."),
    SkillLevel.PRACTISED: _l("Has done it several times, with help when needed."),
    SkillLevel.AUTONOMOUS: _l("Does it alone, safely and well."),
    SkillLevel.CAN_TEACH: _l("Can show others how to do it and check their work."),
}

MIN_LEVEL = int(min(SkillLevel))
MAX_LEVEL = int(max(SkillLevel))


class ValidationKind(LabelledEnum):
    """Who vouches for a skill: a mentor or lab manager (validated), or the talent themself (declared)."""

    VALIDATED = "validated"
    DECLARED = "declared"


KIND_LABELS = enum_labels(
    ValidationKind,
    {
        ValidationKind.VALIDATED: _l("Validated"),
        ValidationKind.DECLARED: _l("Declared by the talent"),
    },
)


class ValidationStatus(LabelledEnum):
    """A record's place in the history: the current one, replaced by a newer one, or withdrawn."""

    ACTIVE = "active"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = enum_labels(
    ValidationStatus,
    {
        ValidationStatus.ACTIVE: _l("Current"),
        ValidationStatus.SUPERSEDED: _l("Replaced by a newer one"),
        ValidationStatus.WITHDRAWN: _l("Withdrawn"),
    },
)


class SkillDomain(db.Model):
    """A family of skills, e.g. electronics or textile."""

    __tablename__ = "skill_domains"
    __table_args__ = (sa.CheckConstraint("position BETWEEN -1000 AND 1000", name="position_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # Trimmed, case- and accent-folded name: the unique constraint makes duplicates impossible on every engine.
    name_key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    skills: Mapped[list[Skill]] = relationship(back_populates="domain", order_by="Skill.name")

    def __str__(self) -> str:
        return self.name


class Skill(db.Model):
    """A practical skill of the catalogue, with what each level means for it."""

    __tablename__ = "skills"
    __table_args__ = (
        sa.UniqueConstraint("domain_id", "name_key"),
        sa.CheckConstraint("validity_months IS NULL OR validity_months BETWEEN 1 AND 120", name="validity_range"),
        # Only safety skills expire.
        sa.CheckConstraint("is_safety OR validity_months IS NULL", name="validity_safety_only"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by the unique (domain_id, name_key) constraint.
    domain_id: Mapped[int] = mapped_column(sa.ForeignKey("skill_domains.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(sa.String(120))
    name_key: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    discovered_means: Mapped[str] = mapped_column(sa.Text, default="")
    practised_means: Mapped[str] = mapped_column(sa.Text, default="")
    autonomous_means: Mapped[str] = mapped_column(sa.Text, default="")
    can_teach_means: Mapped[str] = mapped_column(sa.Text, default="")
    esco_uri: Mapped[str] = mapped_column(sa.String(255), default="")
    is_safety: Mapped[bool] = mapped_column(default=False)
    # How long a validation of a safety skill stays valid; None: it does not expire.
    validity_months: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    domain: Mapped[SkillDomain] = relationship(back_populates="skills")

    def level_meaning(self, level: int) -> str:
        """What this level means for this skill (the programme's general meaning when none is written)."""
        text = {
            SkillLevel.DISCOVERED: self.discovered_means,
            SkillLevel.PRACTISED: self.practised_means,
            SkillLevel.AUTONOMOUS: self.autonomous_means,
            SkillLevel.CAN_TEACH: self.can_teach_means,
        }.get(SkillLevel(level), "")
        return text or SkillLevel(level).meaning

    def __str__(self) -> str:
        return self.name


class SkillValidation(db.Model):
    """One statement that a talent holds a skill at a level: validated by staff, or declared by the talent.

    Never deleted: a newer record of the same kind supersedes the current one, and a record can be
    withdrawn with a reason, so the passport shows the whole path.
    """

    __tablename__ = "skill_validations"
    __table_args__ = (
        sa.CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),
        sa.CheckConstraint("kind = 'declared' OR validator_id IS NOT NULL", name="validated_has_validator"),
        sa.CheckConstraint("kind = 'validated' OR validator_id IS NULL", name="declared_has_no_validator"),
        sa.CheckConstraint("kind = 'declared' OR token IS NOT NULL", name="validated_has_token"),
        sa.CheckConstraint(
            "status <> 'withdrawn' OR (withdrawn_at IS NOT NULL AND withdraw_reason <> '')", name="withdrawn_has_reason"
        ),
        sa.CheckConstraint("expires_on IS NULL OR expires_on > validated_on", name="expires_after_validation"),
        # At most one current record of each kind per talent and skill, whatever two people do at once.
        sa.Index(
            "uq_skill_validations_current",
            "talent_id",
            "skill_id",
            "kind",
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        ),
        sa.Index("ix_skill_validations_talent_id_status", "talent_id", "status"),
        sa.Index("ix_skill_validations_skill_id_status", "skill_id", "status"),
        sa.Index("ix_skill_validations_territory_id_created_at", "territory_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # talent_id, skill_id and territory_id are indexed by the composite indexes above (leftmost column).
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id", ondelete="RESTRICT"))
    # The talent's territory when the record was made: the credential's issuing territory.
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"))
    level: Mapped[int]
    kind: Mapped[ValidationKind] = mapped_column(str_enum(ValidationKind, "validation_kind"))
    status: Mapped[ValidationStatus] = mapped_column(
        str_enum(ValidationStatus, "validation_status"), default=ValidationStatus.ACTIVE
    )
    validated_on: Mapped[date]
    validator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    photo_key: Mapped[str | None] = mapped_column(sa.String(64))
    photo_thumb_key: Mapped[str | None] = mapped_column(sa.String(64))
    evidence_url: Mapped[str] = mapped_column(sa.String(500), default="")
    expires_on: Mapped[date | None]
    # Unguessable public verification token (validated records only).
    token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    superseded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("skill_validations.id", ondelete="SET NULL"), index=True
    )
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    withdraw_reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    talent: Mapped[User] = relationship(foreign_keys=[talent_id])
    skill: Mapped[Skill] = relationship()
    territory: Mapped[Territory] = relationship()
    validator: Mapped[User | None] = relationship(foreign_keys=[validator_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
    superseded_by: Mapped[SkillValidation | None] = relationship(remote_side=[id], foreign_keys=[superseded_by_id])

    @property
    def level_enum(self) -> SkillLevel:
        """The level as a SkillLevel."""
        return SkillLevel(self.level)

    @property
    def level_label(self) -> str:
        """The level in words, e.g. "autonomous"."""
        return SkillLevel(self.level).label

    @property
    def is_validated(self) -> bool:
        """Whether staff validated it (not only declared by the talent)."""
        return self.kind == ValidationKind.VALIDATED

    @property
    def is_superseded(self) -> bool:
        """Whether a newer record replaced it."""
        return self.status == ValidationStatus.SUPERSEDED

    @property
    def is_withdrawn(self) -> bool:
        """Whether it was withdrawn."""
        return self.status == ValidationStatus.WITHDRAWN

    def is_expired(self, on: date) -> bool:
        """Whether it has expired on that day (it is valid until, not including, expires_on)."""
        return self.expires_on is not None and on >= self.expires_on

    def __str__(self) -> str:
        return f"{self.skill.name if self.skill else self.skill_id} – {self.level}"
