"""Guides: repair guides and workshop plans that labs write once, reuse everywhere and publish under an open licence.

A guide (`Guide`) is the stable thing with a slug and a status; what it says lives in its versions (`GuideVersion`),
one per save, never changed once written: the steps (`GuideStep`) with their photos (`GuideStepPhoto`), the tools
needed as inventory categories (`GuideToolCategory`), the parts or materials (`GuidePart`) and the skills it
exercises (`GuideSkill`). The guide points to its latest and its published version by number, so no foreign key
runs back from guides to versions (no cycle between the two tables). Every publication is kept
(`GuidePublication`): a version once published keeps its public address /guides/<slug>/v/<n>.

The work links: a guide followed on a repair ticket (`GuideUse`), a workshop plan attached to a programme session
(`GuideSessionPlan`), and how each author wants to be credited (`GuideCredit`).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.clock import utcnow
from repairlab.extensions import LabelledEnum, UTCDateTime, db, enum_labels, str_enum
from repairlab.inventory.models import Category
from repairlab.people.models import Territory, User
from repairlab.programme.models import ActivitySession
from repairlab.repairs.models import RepairCategory, RepairTicket
from repairlab.skills.models import Skill

LANGUAGES = ("fr", "en")


class GuideKind(LabelledEnum):
    """A repair guide (for a kind of object) or a workshop plan (a session for a group)."""

    REPAIR = "repair"
    WORKSHOP = "workshop"


KIND_LABELS = enum_labels(GuideKind, {GuideKind.REPAIR: _l("Repair guide"), GuideKind.WORKSHOP: _l("Workshop plan")})


class GuideStatus(LabelledEnum):
    """Where the guide's latest version stands.

    draft: being written; proposed: a talent's version waits for a mentor's or lab manager's review; published: the
    latest version is the public one; withdrawn: taken off the public pages (published_number is then empty, until
    a version is published again). A guide published earlier stays public (its published version) while a newer
    version is a draft or proposed.
    """

    DRAFT = "draft"
    PROPOSED = "proposed"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = enum_labels(
    GuideStatus,
    {
        GuideStatus.DRAFT: _l("Draft"),
        GuideStatus.PROPOSED: _l("Waiting for review"),
        GuideStatus.PUBLISHED: _l("Published"),
        GuideStatus.WITHDRAWN: _l("Withdrawn"),
    },
)


class Licence(LabelledEnum):
    """The open licences a guide may carry (SPDX identifiers); CC BY-SA 4.0 by default."""

    CC_BY_SA_4 = "CC-BY-SA-4.0"
    CC_BY_4 = "CC-BY-4.0"
    CC0_1 = "CC0-1.0"
    CC_BY_NC_SA_4 = "CC-BY-NC-SA-4.0"

    @property
    def url(self) -> str:
        """The licence's legal text."""
        return LICENCE_URLS[self]

    @property
    def short(self) -> str:
        """The licence's usual short name ("CC BY-SA 4.0")."""
        return LICENCE_SHORT[self]


LICENCE_LABELS = enum_labels(
    Licence,
    {
        Licence.CC_BY_SA_4: _l("CC BY-SA 4.0: reuse and adapt, credit the authors, share alike"),
        Licence.CC_BY_4: _l("CC BY 4.0: reuse and adapt, credit the authors"),
        Licence.CC0_1: _l("CC0 1.0: public domain, no conditions"),
        Licence.CC_BY_NC_SA_4: _l("CC BY-NC-SA 4.0: as CC BY-SA, no commercial use"),
    },
)
LICENCE_SHORT = {
    Licence.CC_BY_SA_4: "CC BY-SA 4.0",
    Licence.CC_BY_4: "CC BY 4.0",
    Licence.CC0_1: "CC0 1.0",
    Licence.CC_BY_NC_SA_4: "CC BY-NC-SA 4.0",
}
LICENCE_URLS = {
    Licence.CC_BY_SA_4: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC0_1: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.CC_BY_NC_SA_4: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
}


class CreditChoice(LabelledEnum):
    """How an author is named on the public pages and in exports."""

    FULL_NAME = "full_name"
    FIRST_NAME = "first_name"
    NONE = "none"


CREDIT_LABELS = enum_labels(
    CreditChoice,
    {
        CreditChoice.FULL_NAME: _l("By my full name"),
        CreditChoice.FIRST_NAME: _l("By my first name only"),
        CreditChoice.NONE: _l("Not credited"),
    },
)


class Helped(LabelledEnum):
    """Whether a guide followed on a repair helped."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


HELPED_LABELS = enum_labels(Helped, {Helped.YES: _l("Yes"), Helped.PARTLY: _l("Partly"), Helped.NO: _l("No")})

PUBLIC_GUIDE = sa.text("published_number IS NOT NULL")


class Guide(db.Model):
    """A repair guide or a workshop plan of a territory: its stable address (slug), kind, language, licence, object
    and status; what it says is in its versions."""

    __tablename__ = "guides"
    __table_args__ = (
        sa.CheckConstraint("language IN ('fr', 'en')", name="language_known"),
        # A repair guide is for a kind of object (an ORDS product category); a workshop plan may name none.
        sa.CheckConstraint("kind <> 'repair' OR repair_category_id IS NOT NULL", name="repair_has_category"),
        sa.CheckConstraint("latest_number >= 1", name="latest_positive"),
        sa.CheckConstraint(
            "published_number IS NULL OR published_number BETWEEN 1 AND latest_number", name="published_in_range"
        ),
        # "Published" says the latest version is the public one.
        sa.CheckConstraint(
            "status <> 'published' OR (published_number IS NOT NULL AND published_number = latest_number)",
            name="published_is_latest",
        ),
        # A withdrawn guide is public no more, whatever its versions: publishing one again makes it public.
        sa.CheckConstraint("status <> 'withdrawn' OR published_number IS NULL", name="withdrawn_not_public"),
        # The public list: published guides of a kind of object.
        sa.Index(
            "ix_guides_public_category",
            "repair_category_id",
            "kind",
            sqlite_where=PUBLIC_GUIDE,
            postgresql_where=PUBLIC_GUIDE,
        ),
        sa.Index("ix_guides_territory_id_status", "territory_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The same guide in every instance it is exported to: what an import recognises (imported once, never twice).
    uid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    # The address: /guides/<slug>; never changes once given.
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"))
    kind: Mapped[GuideKind] = mapped_column(str_enum(GuideKind, "guide_kind"))
    language: Mapped[str] = mapped_column(sa.String(2), default="fr")
    licence: Mapped[Licence] = mapped_column(str_enum(Licence, "guide_licence"), default=Licence.CC_BY_SA_4)
    repair_category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("repair_categories.id", ondelete="RESTRICT"))
    brand: Mapped[str] = mapped_column(sa.String(80), default="")
    model: Mapped[str] = mapped_column(sa.String(80), default="")
    status: Mapped[GuideStatus] = mapped_column(str_enum(GuideStatus, "guide_status"), default=GuideStatus.DRAFT)
    latest_number: Mapped[int] = mapped_column(default=1)
    # The public version (None: not public, never published or withdrawn).
    published_number: Mapped[int | None]
    # The reviewer's note when a proposal is sent back (cleared when it is published).
    review_note: Mapped[str] = mapped_column(sa.Text, default="")
    # The folded text of the published version (title, summary, steps, brand, model) that the public search reads.
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    # Where an imported guide comes from ("RepairLab Roubaix-Lille, RBX"); empty for a guide written here.
    origin: Mapped[str] = mapped_column(sa.String(255), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    territory: Mapped[Territory] = relationship()
    repair_category: Mapped[RepairCategory | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    versions: Mapped[list[GuideVersion]] = relationship(
        back_populates="guide", order_by="GuideVersion.number", cascade="all, delete-orphan"
    )
    latest: Mapped[GuideVersion] = relationship(
        primaryjoin="and_(foreign(GuideVersion.guide_id) == Guide.id, GuideVersion.number == Guide.latest_number)",
        viewonly=True,
        uselist=False,
    )
    published: Mapped[GuideVersion | None] = relationship(
        primaryjoin="and_(foreign(GuideVersion.guide_id) == Guide.id, GuideVersion.number == Guide.published_number)",
        viewonly=True,
        uselist=False,
    )

    @property
    def is_public(self) -> bool:
        """Whether anyone may read its published version (published, not withdrawn since)."""
        return self.published_number is not None

    def __str__(self) -> str:
        return self.slug


class GuideVersion(db.Model):
    """One saved state of a guide, by whom and when, with what changed; never changed once written."""

    __tablename__ = "guide_versions"
    __table_args__ = (
        sa.UniqueConstraint("guide_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint("duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 1440", name="duration_range"),
        sa.CheckConstraint("group_size IS NULL OR group_size BETWEEN 1 AND 200", name="group_size_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    guide_id: Mapped[int] = mapped_column(sa.ForeignKey("guides.id", ondelete="CASCADE"))
    number: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # An imported version's author as the bundle credits them (no account here); empty for a version written here.
    credited_as: Mapped[str] = mapped_column(sa.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    change_note: Mapped[str] = mapped_column(sa.String(300), default="")
    title: Mapped[str] = mapped_column(sa.String(160))
    # A repair guide: the symptom; a workshop plan: its objectives (Markdown).
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    safety: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    # Workshop plans: how long, for how many, and how to check what was learnt (Markdown).
    duration_minutes: Mapped[int | None]
    group_size: Mapped[int | None]
    learning_check: Mapped[str] = mapped_column(sa.Text, default="")

    guide: Mapped[Guide] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()
    steps: Mapped[list[GuideStep]] = relationship(
        back_populates="version", order_by="GuideStep.position", cascade="all, delete-orphan"
    )
    tool_categories: Mapped[list[GuideToolCategory]] = relationship(
        back_populates="version", cascade="all, delete-orphan"
    )
    parts: Mapped[list[GuidePart]] = relationship(
        back_populates="version", order_by="GuidePart.position", cascade="all, delete-orphan"
    )
    skills: Mapped[list[GuideSkill]] = relationship(back_populates="version", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class GuideStep(db.Model):
    """A step of a version: a title, Markdown text, photos, and for a workshop its timing."""

    __tablename__ = "guide_steps"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "position"),
        sa.CheckConstraint("position >= 1", name="position_positive"),
        sa.CheckConstraint("minutes IS NULL OR minutes BETWEEN 0 AND 1440", name="minutes_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("guide_versions.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(160), default="")
    text: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    minutes: Mapped[int | None]

    version: Mapped[GuideVersion] = relationship(back_populates="steps")
    photos: Mapped[list[GuideStepPhoto]] = relationship(
        back_populates="step", order_by="GuideStepPhoto.position", cascade="all, delete-orphan"
    )


class GuideStepPhoto(db.Model):
    """A photo of a step, stored by repairlab.images (checked, re-encoded, without metadata). A later version that
    keeps the photo points to the same stored file: a key may appear in many versions."""

    __tablename__ = "guide_step_photos"
    __table_args__ = (
        sa.UniqueConstraint("step_id", "position"),
        sa.CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(sa.ForeignKey("guide_steps.id", ondelete="CASCADE"))
    position: Mapped[int]
    key: Mapped[str] = mapped_column(sa.String(64), index=True)
    thumb_key: Mapped[str] = mapped_column(sa.String(64))
    width: Mapped[int]
    height: Mapped[int]
    # What the photo shows, for people who cannot see it.
    caption: Mapped[str] = mapped_column(sa.String(200), default="")

    step: Mapped[GuideStep] = relationship(back_populates="photos")


class GuideToolCategory(db.Model):
    """A tool a version needs, as an inventory category (the lab's tools of that category are shown)."""

    __tablename__ = "guide_tool_categories"

    version_id: Mapped[int] = mapped_column(sa.ForeignKey("guide_versions.id", ondelete="CASCADE"), primary_key=True)
    # Indexed: the guides of a tool's category, for the tool's page.
    category_id: Mapped[int] = mapped_column(
        sa.ForeignKey("categories.id", ondelete="RESTRICT"), primary_key=True, index=True
    )

    version: Mapped[GuideVersion] = relationship(back_populates="tool_categories")
    category: Mapped[Category] = relationship()


class GuidePart(db.Model):
    """A spare part (repair guide) or a material to prepare (workshop plan), in words, with a quantity."""

    __tablename__ = "guide_parts"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "position"),
        sa.CheckConstraint("position >= 1", name="position_positive"),
        sa.CheckConstraint("quantity IS NULL OR quantity BETWEEN 1 AND 10000", name="quantity_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("guide_versions.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(160))
    quantity: Mapped[int | None]

    version: Mapped[GuideVersion] = relationship(back_populates="parts")


class GuideSkill(db.Model):
    """A skill a version exercises (repair) or teaches (workshop), at a level of the programme's scale (1-4)."""

    __tablename__ = "guide_skills"
    __table_args__ = (sa.CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),)

    version_id: Mapped[int] = mapped_column(sa.ForeignKey("guide_versions.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id", ondelete="RESTRICT"), primary_key=True, index=True)
    level: Mapped[int]

    version: Mapped[GuideVersion] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()


class GuidePublication(db.Model):
    """A version made public, by whom and when: that version's address stays public while the guide is."""

    __tablename__ = "guide_publications"
    __table_args__ = (sa.UniqueConstraint("guide_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guide_id: Mapped[int] = mapped_column(sa.ForeignKey("guides.id", ondelete="CASCADE"))
    number: Mapped[int]
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("guide_versions.id", ondelete="CASCADE"), index=True)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    guide: Mapped[Guide] = relationship()
    version: Mapped[GuideVersion] = relationship()
    published_by: Mapped[User | None] = relationship()


class GuideCredit(db.Model):
    """How one author of a guide wants to be credited; without a row, staff are credited by their full name and
    talents not at all (they choose to be)."""

    __tablename__ = "guide_credits"

    guide_id: Mapped[int] = mapped_column(sa.ForeignKey("guides.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    choice: Mapped[CreditChoice] = mapped_column(str_enum(CreditChoice, "guide_credit_choice"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()


class GuideUse(db.Model):
    """A guide followed on a repair ticket (which version), and whether it helped."""

    __tablename__ = "guide_uses"
    __table_args__ = (sa.UniqueConstraint("ticket_id", "guide_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("repair_tickets.id", ondelete="CASCADE"))
    guide_id: Mapped[int] = mapped_column(sa.ForeignKey("guides.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("guide_versions.id", ondelete="RESTRICT"), index=True)
    helped: Mapped[Helped | None] = mapped_column(str_enum(Helped, "guide_helped"))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[RepairTicket] = relationship()
    guide: Mapped[Guide] = relationship()
    version: Mapped[GuideVersion] = relationship()


class GuideSessionPlan(db.Model):
    """The workshop plan (a version of it) used at a programme session: the session's attendance says who was there
    when that plan was run."""

    __tablename__ = "guide_session_plans"

    session_id: Mapped[int] = mapped_column(sa.ForeignKey("activity_sessions.id", ondelete="CASCADE"), primary_key=True)
    guide_id: Mapped[int] = mapped_column(sa.ForeignKey("guides.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("guide_versions.id", ondelete="RESTRICT"), index=True)
    attached_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[ActivitySession] = relationship()
    guide: Mapped[Guide] = relationship()
    version: Mapped[GuideVersion] = relationship()


@sa.event.listens_for(GuideVersion, "before_update")
@sa.event.listens_for(GuideStep, "before_update")
@sa.event.listens_for(GuideStepPhoto, "before_update")
@sa.event.listens_for(GuidePart, "before_update")
@sa.event.listens_for(GuideSkill, "before_update")
@sa.event.listens_for(GuideToolCategory, "before_update")
def _versions_are_immutable(_mapper, _connection, target) -> None:
    """A version, once written, is what was published or followed: a change makes a new version."""
    raise TypeError(f"{type(target).__name__} rows are never changed: save a new version")
