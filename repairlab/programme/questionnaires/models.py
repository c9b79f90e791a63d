"""Questionnaires the talents answer at moments of their path, and the mentors' observations at the same moments.

A questionnaire (`Questionnaire`) has numbered versions (`QuestionnaireVersion`); a version holds the text shown:
its items (`QuestionnaireItem`, with their options `QuestionnaireOption`) grouped into scored scales
(`QuestionnaireScale`). A published version never changes (the services refuse; a new version is made instead), so
that an answer always refers to exactly the text that was shown. A questionnaire is asked at moments of the path
(`QuestionnaireMoment`); a talent's answer to it at one moment is a `QuestionnaireResponse` (in progress, completed
or declined), holding one `QuestionnaireAnswer` per item, saved as given. Mentors record their own view of the
talent at the same moments (`MentorObservation`, `ObservationRating`), kept apart from the talent's answers so that
the two views can be compared.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.clock import utcnow
from repairlab.extensions import LabelledEnum, UTCDateTime, db, enum_labels, str_enum
from repairlab.people.models import User

# --- Questionnaires and their versions ------------------------------------------------------------------------------


class VersionStatus(LabelledEnum):
    """A version is edited as a draft, then published (frozen, asked), then retired when a newer one is published."""

    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


VERSION_STATUS_LABELS = enum_labels(
    VersionStatus,
    {
        VersionStatus.DRAFT: _l("Draft"),
        VersionStatus.PUBLISHED: _l("Published"),
        VersionStatus.RETIRED: _l("Retired"),
    },
)


class Questionnaire(db.Model):
    """A questionnaire of the programme's evaluation, known by a stable key ("mon-parcours"); its text lives in its
    versions."""

    __tablename__ = "questionnaires"
    __table_args__ = (sa.CheckConstraint("length(key) BETWEEN 2 AND 40", name="key_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[QuestionnaireVersion]] = relationship(
        back_populates="questionnaire", order_by="QuestionnaireVersion.number"
    )
    moments: Mapped[list[QuestionnaireMoment]] = relationship(
        back_populates="questionnaire",
        cascade="all, delete-orphan",
        order_by="QuestionnaireMoment.id",
    )

    def __str__(self) -> str:
        return self.key


_DRAFT = sa.text("status = 'draft'")
_PUBLISHED = sa.text("status = 'published'")


class QuestionnaireVersion(db.Model):
    """One version of a questionnaire: its title and introduction in French and English, its items and scales.
    At most one draft and one published version per questionnaire at a time; earlier published ones are retired."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (
        sa.UniqueConstraint("questionnaire_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint("(status = 'draft') = (published_at IS NULL)", name="published_at_once_published"),
        sa.CheckConstraint("(status = 'retired') = (retired_at IS NOT NULL)", name="retired_at_when_retired"),
        sa.Index(
            "uq_questionnaire_versions_questionnaire_id_draft",
            "questionnaire_id",
            unique=True,
            sqlite_where=_DRAFT,
            postgresql_where=_DRAFT,
        ),
        sa.Index(
            "uq_questionnaire_versions_questionnaire_id_published",
            "questionnaire_id",
            unique=True,
            sqlite_where=_PUBLISHED,
            postgresql_where=_PUBLISHED,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaires.id", ondelete="RESTRICT"))
    number: Mapped[int]
    status: Mapped[VersionStatus] = mapped_column(
        str_enum(VersionStatus, "questionnaire_version_status"), default=VersionStatus.DRAFT
    )
    title_fr: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200))
    intro_fr: Mapped[str] = mapped_column(sa.Text, default="")
    intro_en: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="versions")
    scales: Mapped[list[QuestionnaireScale]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="QuestionnaireScale.position"
    )
    items: Mapped[list[QuestionnaireItem]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="QuestionnaireItem.position"
    )

    @property
    def is_draft(self) -> bool:
        """Whether the version may still change."""
        return self.status == VersionStatus.DRAFT

    def title(self, locale: str) -> str:
        """The title in that language (French unless English)."""
        return self.title_en if locale == "en" else self.title_fr

    def intro(self, locale: str) -> str:
        """The introduction in that language."""
        return self.intro_en if locale == "en" else self.intro_fr

    def __str__(self) -> str:
        return f"{self.title_fr} (v{self.number})"


# --- Scales and items -----------------------------------------------------------------------------------------------


class ScaleMethod(LabelledEnum):
    """How a scale's score is computed from its items' values."""

    SUM = "sum"
    MEAN = "mean"


SCALE_METHOD_LABELS = enum_labels(
    ScaleMethod, {ScaleMethod.SUM: _l("Sum of the items"), ScaleMethod.MEAN: _l("Mean of the items")}
)


class QuestionnaireScale(db.Model):
    """A named group of a version's items whose score is computed (sum or mean, reversed items turned round);
    the score is missing when more than `max_missing` of its items are unanswered. Higher always means better."""

    __tablename__ = "questionnaire_scales"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "key"),
        sa.UniqueConstraint("version_id", "position"),
        sa.CheckConstraint("max_missing >= 0", name="max_missing_not_negative"),
        sa.CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaire_versions.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(40))
    position: Mapped[int]
    label_fr: Mapped[str] = mapped_column(sa.String(120))
    label_en: Mapped[str] = mapped_column(sa.String(120))
    method: Mapped[ScaleMethod] = mapped_column(str_enum(ScaleMethod, "questionnaire_scale_method"))
    max_missing: Mapped[int] = mapped_column(default=0)

    version: Mapped[QuestionnaireVersion] = relationship(back_populates="scales")
    items: Mapped[list[QuestionnaireItem]] = relationship(back_populates="scale", order_by="QuestionnaireItem.position")

    def label(self, locale: str) -> str:
        """The scale's name in that language."""
        return self.label_en if locale == "en" else self.label_fr

    def __str__(self) -> str:
        return self.label_fr


class ItemKind(LabelledEnum):
    """What an item asks for: a point on a 4- or 5-point scale, one of a few choices, a number or a free text."""

    LIKERT4 = "likert4"
    LIKERT5 = "likert5"
    CHOICE = "choice"
    NUMBER = "number"
    TEXT = "text"


ITEM_KIND_LABELS = enum_labels(
    ItemKind,
    {
        ItemKind.LIKERT4: _l("Scale of 4 points"),
        ItemKind.LIKERT5: _l("Scale of 5 points"),
        ItemKind.CHOICE: _l("One choice among several"),
        ItemKind.NUMBER: _l("A number"),
        ItemKind.TEXT: _l("Free text"),
    },
)
# The number of points of each scale kind (their options are valued 1 to this).
LIKERT_POINTS = {ItemKind.LIKERT4: 4, ItemKind.LIKERT5: 5}
_LIKERT = "kind IN ('likert4', 'likert5')"


class QuestionnaireItem(db.Model):
    """One item of a version, at its position: its statement in French and English, its kind, its options (scale
    points or choices), its scale and whether it is reversed (a scale item only), its bounds (a number only)."""

    __tablename__ = "questionnaire_items"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "position"),
        sa.UniqueConstraint("version_id", "key"),
        sa.CheckConstraint("position >= 1", name="position_positive"),
        sa.CheckConstraint(f"scale_id IS NULL OR {_LIKERT}", name="scale_only_on_likert"),
        sa.CheckConstraint("NOT reversed OR scale_id IS NOT NULL", name="reversed_only_in_a_scale"),
        sa.CheckConstraint(
            "kind = 'number' OR (min_value IS NULL AND max_value IS NULL)", name="bounds_only_on_numbers"
        ),
        sa.CheckConstraint("min_value IS NULL OR max_value IS NULL OR min_value <= max_value", name="bounds_ordered"),
        sa.Index("ix_questionnaire_items_scale_id", "scale_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaire_versions.id", ondelete="CASCADE"))
    position: Mapped[int]
    # Stable across versions ("confiance-1"): researchers follow an item from one version to the next by it.
    key: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind, "questionnaire_item_kind"))
    text_fr: Mapped[str] = mapped_column(sa.String(500))
    text_en: Mapped[str] = mapped_column(sa.String(500))
    scale_id: Mapped[int | None] = mapped_column(sa.ForeignKey("questionnaire_scales.id", ondelete="RESTRICT"))
    reversed: Mapped[bool] = mapped_column(default=False)
    min_value: Mapped[int | None]
    max_value: Mapped[int | None]

    version: Mapped[QuestionnaireVersion] = relationship(back_populates="items")
    scale: Mapped[QuestionnaireScale | None] = relationship(back_populates="items")
    options: Mapped[list[QuestionnaireOption]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="QuestionnaireOption.value"
    )

    def text(self, locale: str) -> str:
        """The statement in that language."""
        return self.text_en if locale == "en" else self.text_fr

    @property
    def is_likert(self) -> bool:
        """Whether the item is a point on a scale (scored)."""
        return self.kind in LIKERT_POINTS

    def __str__(self) -> str:
        return f"{self.position}. {self.text_fr}"


class QuestionnaireOption(db.Model):
    """A labelled option of an item: a point of its scale (valued 1 to 4 or 5) or one of its choices (1 to n)."""

    __tablename__ = "questionnaire_item_options"
    __table_args__ = (
        sa.UniqueConstraint("item_id", "value"),
        sa.CheckConstraint("value BETWEEN 1 AND 20", name="value_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaire_items.id", ondelete="CASCADE"))
    value: Mapped[int]
    label_fr: Mapped[str] = mapped_column(sa.String(120))
    label_en: Mapped[str] = mapped_column(sa.String(120))

    item: Mapped[QuestionnaireItem] = relationship(back_populates="options")

    def label(self, locale: str) -> str:
        """The option's words in that language."""
        return self.label_en if locale == "en" else self.label_fr


# --- When a questionnaire is asked ----------------------------------------------------------------------------------


class MomentKind(LabelledEnum):
    """The moments of a path at which a questionnaire is asked (or an observation made)."""

    INTAKE = "intake"
    WEEKS_AFTER_ENROLMENT = "weeks_after_enrolment"
    EXIT = "exit"
    FOLLOW_UP_6 = "follow_up_6"
    FOLLOW_UP_12 = "follow_up_12"
    FOLLOW_UP_24 = "follow_up_24"


MOMENT_KIND_LABELS = enum_labels(
    MomentKind,
    {
        MomentKind.INTAKE: _l("At intake"),
        MomentKind.WEEKS_AFTER_ENROLMENT: _l("Weeks after enrolment"),
        MomentKind.EXIT: _l("At exit"),
        MomentKind.FOLLOW_UP_6: _l("6 months after exit"),
        MomentKind.FOLLOW_UP_12: _l("12 months after exit"),
        MomentKind.FOLLOW_UP_24: _l("24 months after exit"),
    },
)
# The months after the exit of each follow-up moment.
FOLLOW_UP_MOMENTS = {MomentKind.FOLLOW_UP_6: 6, MomentKind.FOLLOW_UP_12: 12, MomentKind.FOLLOW_UP_24: 24}
# "weeks" is the N of "N weeks after enrolment", and 0 for every other moment (so that it can be part of a unique key).
_WEEKS_RULE = (
    "(moment = 'weeks_after_enrolment' AND weeks BETWEEN 1 AND 520) OR "
    "(moment <> 'weeks_after_enrolment' AND weeks = 0)"
)


class QuestionnaireMoment(db.Model):
    """A moment of the path at which a questionnaire is asked (its latest published version)."""

    __tablename__ = "questionnaire_moments"
    __table_args__ = (
        sa.UniqueConstraint("questionnaire_id", "moment", "weeks"),
        sa.CheckConstraint(_WEEKS_RULE, name="weeks_only_after_enrolment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaires.id", ondelete="CASCADE"))
    moment: Mapped[MomentKind] = mapped_column(str_enum(MomentKind, "questionnaire_moment_kind"))
    weeks: Mapped[int] = mapped_column(default=0)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="moments")


# --- Responses and answers ------------------------------------------------------------------------------------------


class ResponseStatus(LabelledEnum):
    """A response is in progress from its first answer (or a postponement), then completed or declined."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DECLINED = "declined"


RESPONSE_STATUS_LABELS = enum_labels(
    ResponseStatus,
    {
        ResponseStatus.IN_PROGRESS: _l("In progress"),
        ResponseStatus.COMPLETED: _l("Answered"),
        ResponseStatus.DECLINED: _l("Declined"),
    },
)


class QuestionnaireResponse(db.Model):
    """A talent's response to a questionnaire at one moment of their path (once per questionnaire and moment), on
    the version that was shown: in progress (perhaps postponed to a day), completed, or declined (an answer too).
    `assisted_by` is the mentor who last filled it in with the talent."""

    __tablename__ = "questionnaire_responses"
    __table_args__ = (
        sa.UniqueConstraint("talent_id", "questionnaire_id", "moment", "weeks"),
        sa.CheckConstraint(_WEEKS_RULE, name="weeks_only_after_enrolment"),
        sa.CheckConstraint("(status = 'completed') = (completed_at IS NOT NULL)", name="completed_at_when_completed"),
        sa.CheckConstraint("(status = 'declined') = (declined_at IS NOT NULL)", name="declined_at_when_declined"),
        sa.CheckConstraint("status = 'in_progress' OR postponed_until IS NULL", name="postponed_only_in_progress"),
        sa.Index("ix_questionnaire_responses_territory_id_status", "territory_id", "status"),
        sa.Index("ix_questionnaire_responses_version_id", "version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"))
    questionnaire_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaires.id", ondelete="RESTRICT"), index=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaire_versions.id", ondelete="RESTRICT"))
    moment: Mapped[MomentKind] = mapped_column(str_enum(MomentKind, "questionnaire_response_moment"))
    weeks: Mapped[int] = mapped_column(default=0)
    due_on: Mapped[date]
    status: Mapped[ResponseStatus] = mapped_column(
        str_enum(ResponseStatus, "questionnaire_response_status"), default=ResponseStatus.IN_PROGRESS
    )
    postponed_until: Mapped[date | None]
    assisted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    talent: Mapped[User] = relationship(foreign_keys=[talent_id])
    assisted_by: Mapped[User | None] = relationship(foreign_keys=[assisted_by_id])
    questionnaire: Mapped[Questionnaire] = relationship()
    version: Mapped[QuestionnaireVersion] = relationship()
    answers: Mapped[list[QuestionnaireAnswer]] = relationship(back_populates="response", cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        """Whether answers may still be given."""
        return self.status == ResponseStatus.IN_PROGRESS

    def __str__(self) -> str:
        return f"{self.questionnaire_id}/{self.moment.value}"


# The longest free-text answer.
MAX_ANSWER_TEXT = 2000


class QuestionnaireAnswer(db.Model):
    """The answer to one item of a response, saved as given (once per item, replaced when changed): a value (the
    option's value, or the number), or a text, or nothing when the talent passed the item. `assisted_by` is the
    mentor who filled it in with the talent."""

    __tablename__ = "questionnaire_answers"
    __table_args__ = (
        sa.UniqueConstraint("response_id", "item_id"),
        sa.CheckConstraint(
            "(skipped AND value IS NULL AND text IS NULL) OR (NOT skipped AND ((value IS NULL) <> (text IS NULL)))",
            name="one_value_unless_skipped",
        ),
        sa.Index("ix_questionnaire_answers_item_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaire_responses.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaire_items.id", ondelete="RESTRICT"))
    value: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    text: Mapped[str | None] = mapped_column(sa.Text)
    skipped: Mapped[bool] = mapped_column(default=False)
    assisted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    response: Mapped[QuestionnaireResponse] = relationship(back_populates="answers")
    item: Mapped[QuestionnaireItem] = relationship()


# --- Mentors' observations ------------------------------------------------------------------------------------------


class ObservationDimension(LabelledEnum):
    """What a mentor observes of a talent, each on a 4-point scale."""

    AUTONOMY = "autonomy"
    PUNCTUALITY = "punctuality"
    TEAMWORK = "teamwork"
    TECHNICAL_PROGRESS = "technical_progress"


OBSERVATION_DIMENSION_LABELS = enum_labels(
    ObservationDimension,
    {
        ObservationDimension.AUTONOMY: _l("Autonomy"),
        ObservationDimension.PUNCTUALITY: _l("Punctuality and attendance"),
        ObservationDimension.TEAMWORK: _l("Teamwork"),
        ObservationDimension.TECHNICAL_PROGRESS: _l("Technical progress"),
    },
)
# The 4 points of an observation's scale, 1 (lowest) to 4.
OBSERVATION_POINTS = 4
MAX_OBSERVATION_COMMENT = 500


class MentorObservation(db.Model):
    """A mentor's short structured observation of a talent at a moment of the path (one per mentor, talent and
    moment), kept apart from the talent's own answers."""

    __tablename__ = "mentor_observations"
    __table_args__ = (
        sa.UniqueConstraint("talent_id", "moment", "weeks", "mentor_id"),
        sa.CheckConstraint(_WEEKS_RULE, name="weeks_only_after_enrolment"),
        sa.Index("ix_mentor_observations_territory_id_observed_on", "territory_id", "observed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"))
    mentor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    moment: Mapped[MomentKind] = mapped_column(str_enum(MomentKind, "mentor_observation_moment"))
    weeks: Mapped[int] = mapped_column(default=0)
    observed_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    talent: Mapped[User] = relationship(foreign_keys=[talent_id])
    mentor: Mapped[User | None] = relationship(foreign_keys=[mentor_id])
    ratings: Mapped[list[ObservationRating]] = relationship(
        back_populates="observation", cascade="all, delete-orphan", order_by="ObservationRating.id"
    )


class ObservationRating(db.Model):
    """One dimension of an observation: a point from 1 to 4 (or none: not observed) and a short comment."""

    __tablename__ = "observation_ratings"
    __table_args__ = (
        sa.UniqueConstraint("observation_id", "dimension"),
        sa.CheckConstraint(f"value IS NULL OR value BETWEEN 1 AND {OBSERVATION_POINTS}", name="value_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(sa.ForeignKey("mentor_observations.id", ondelete="CASCADE"))
    dimension: Mapped[ObservationDimension] = mapped_column(str_enum(ObservationDimension, "observation_dimension"))
    value: Mapped[int | None]
    comment: Mapped[str] = mapped_column(sa.String(MAX_OBSERVATION_COMMENT), default="")

    observation: Mapped[MentorObservation] = relationship(back_populates="ratings")
