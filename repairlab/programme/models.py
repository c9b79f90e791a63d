"""Programme: the programme's periods and their targets, the cohorts' periods, and each talent's path from intake
to exit and follow-ups (dated rows: a path is a history, not a current value)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.clock import utcnow
from repairlab.extensions import LabelledEnum, UTCDateTime, db, enum_labels, str_enum
from repairlab.people.models import Cohort, Lab, Territory, Track, User
from repairlab.projects.models import Project

# --- Periods --------------------------------------------------------------------------------------------------------


class ProgrammePeriod(db.Model):
    """A period of the programme: 1 mass remobilisation, 2 prototyping and incubation, 3 transfer to new
    territories; with its dates and its programme-wide target of talents (period 2: 300)."""

    __tablename__ = "programme_periods"
    __table_args__ = (
        sa.CheckConstraint("number BETWEEN 1 AND 9", name="number_range"),
        sa.CheckConstraint("end_date >= start_date", name="dates_ordered"),
        sa.CheckConstraint("target_talents >= 0", name="target_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    start_date: Mapped[date]
    end_date: Mapped[date]
    target_talents: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    territory_targets: Mapped[list[PeriodTerritoryTarget]] = relationship(
        back_populates="period", cascade="all, delete-orphan", order_by="PeriodTerritoryTarget.territory_id"
    )

    def __str__(self) -> str:
        return self.name


class PeriodTerritoryTarget(db.Model):
    """A period's dates and target number of talents in one territory."""

    __tablename__ = "period_territory_targets"
    __table_args__ = (
        sa.UniqueConstraint("period_id", "territory_id"),
        sa.CheckConstraint("end_date >= start_date", name="dates_ordered"),
        sa.CheckConstraint("target_talents >= 0", name="target_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("programme_periods.id", ondelete="CASCADE"))
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    target_talents: Mapped[int] = mapped_column(default=0)

    period: Mapped[ProgrammePeriod] = relationship(back_populates="territory_targets")
    territory: Mapped[Territory] = relationship()

    def __str__(self) -> str:
        return f"{self.period.name if self.period else self.period_id} – {self.territory_id}"


class CohortPeriod(db.Model):
    """Which period a cohort belongs to (one at most; kept on the programme's side so people need not know periods)."""

    __tablename__ = "cohort_periods"

    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("programme_periods.id", ondelete="RESTRICT"), index=True)

    cohort: Mapped[Cohort] = relationship()
    period: Mapped[ProgrammePeriod] = relationship()


# --- Intake ---------------------------------------------------------------------------------------------------------


class AgeBand(LabelledEnum):
    """Age at intake, in the bands the funder asks for."""

    UNDER_26 = "under_26"
    FROM_26_TO_44 = "26_to_44"
    FROM_45_TO_54 = "45_to_54"
    OVER_54 = "55_and_over"


AGE_BAND_LABELS = enum_labels(
    AgeBand,
    {
        AgeBand.UNDER_26: _l("Under 26"),
        AgeBand.FROM_26_TO_44: _l("26 to 44"),
        AgeBand.FROM_45_TO_54: _l("45 to 54"),
        AgeBand.OVER_54: _l("55 and over"),
    },
)


class Gender(LabelledEnum):
    """Gender as the talent states it (optional)."""

    WOMAN = "woman"
    MAN = "man"
    OTHER = "other"
    NOT_SAID = "not_said"


GENDER_LABELS = enum_labels(
    Gender,
    {
        Gender.WOMAN: _l("Woman"),
        Gender.MAN: _l("Man"),
        Gender.OTHER: _l("Other"),
        Gender.NOT_SAID: _l("Prefers not to say"),
    },
)


class ResidenceArea(LabelledEnum):
    """Where the talent lives: a priority neighbourhood of the city policy (QPV), a rural area, or neither."""

    QPV = "qpv"
    RURAL = "rural"
    NEITHER = "neither"


RESIDENCE_AREA_LABELS = enum_labels(
    ResidenceArea,
    {
        ResidenceArea.QPV: _l("Priority neighbourhood (QPV)"),
        ResidenceArea.RURAL: _l("Rural area"),
        ResidenceArea.NEITHER: _l("Neither"),
    },
)


class DiplomaLevel(LabelledEnum):
    """Highest diploma, in the French levels of the national qualifications framework."""

    NONE = "none"  # no diploma, or below level 3
    LEVEL_3 = "level_3"  # CAP, BEP
    LEVEL_4 = "level_4"  # baccalauréat
    LEVEL_5 = "level_5"  # bac + 2
    LEVEL_6_PLUS = "level_6_plus"  # bac + 3 and above


DIPLOMA_LEVEL_LABELS = enum_labels(
    DiplomaLevel,
    {
        DiplomaLevel.NONE: _l("No diploma"),
        DiplomaLevel.LEVEL_3: _l("CAP, BEP (level 3)"),
        DiplomaLevel.LEVEL_4: _l("Baccalauréat (level 4)"),
        DiplomaLevel.LEVEL_5: _l("Two years after the bac (level 5)"),
        DiplomaLevel.LEVEL_6_PLUS: _l("Three years after the bac or more (level 6+)"),
    },
)


class TimeOutOfEmployment(LabelledEnum):
    """How long the talent had been without a job at intake."""

    UNDER_6_MONTHS = "under_6_months"
    FROM_6_TO_12_MONTHS = "6_to_12_months"
    FROM_12_TO_24_MONTHS = "12_to_24_months"
    OVER_24_MONTHS = "over_24_months"
    NEVER_EMPLOYED = "never_employed"


TIME_OUT_OF_EMPLOYMENT_LABELS = enum_labels(
    TimeOutOfEmployment,
    {
        TimeOutOfEmployment.UNDER_6_MONTHS: _l("Less than 6 months"),
        TimeOutOfEmployment.FROM_6_TO_12_MONTHS: _l("6 to 12 months"),
        TimeOutOfEmployment.FROM_12_TO_24_MONTHS: _l("1 to 2 years"),
        TimeOutOfEmployment.OVER_24_MONTHS: _l("More than 2 years"),
        TimeOutOfEmployment.NEVER_EMPLOYED: _l("Never had a job"),
    },
)


class SourcingPartner(LabelledEnum):
    """How the talent heard of the programme."""

    FRANCE_TRAVAIL = "france_travail"
    MISSION_LOCALE = "mission_locale"
    SOCIAL_SERVICES = "social_services"
    ASSOCIATION = "association"
    INCLUSION_STRUCTURE = "inclusion_structure"
    WORD_OF_MOUTH = "word_of_mouth"
    SOCIAL_MEDIA = "social_media"
    OTHER = "other"


SOURCING_PARTNER_LABELS = enum_labels(
    SourcingPartner,
    {
        SourcingPartner.FRANCE_TRAVAIL: _l("France Travail"),
        SourcingPartner.MISSION_LOCALE: _l("Mission locale"),
        SourcingPartner.SOCIAL_SERVICES: _l("Social services"),
        SourcingPartner.ASSOCIATION: _l("A local association"),
        SourcingPartner.INCLUSION_STRUCTURE: _l("Another inclusion structure"),
        SourcingPartner.WORD_OF_MOUTH: _l("Word of mouth"),
        SourcingPartner.SOCIAL_MEDIA: _l("Social media"),
        SourcingPartner.OTHER: _l("Other"),
    },
)

# The evaluation fields of an intake: each optional, and only with the talent's consent.
EVALUATION_FIELDS = (
    "age_band",
    "gender",
    "residence_area",
    "receives_minimum_social_benefits",
    "diploma_level",
    "time_out_of_employment",
    "is_neet",
    "sourcing_partner",
)
_NO_EVALUATION = " AND ".join(f"{name} IS NULL" for name in EVALUATION_FIELDS)


class TalentIntake(db.Model):
    """A talent's intake into the programme (one per talent): its date and, only when the talent consented (date
    and version of the information notice), the evaluation fields, each optional; and the day the consent was
    withdrawn, if it was."""

    __tablename__ = "talent_intakes"
    __table_args__ = (
        # Consent is recorded with its date and the notice's version; without it no evaluation field is kept.
        sa.CheckConstraint(
            "(evaluation_consent AND consent_date IS NOT NULL AND consent_notice_version IS NOT NULL) OR "
            "(NOT evaluation_consent AND consent_date IS NULL AND consent_notice_version IS NULL "
            f"AND {_NO_EVALUATION})",
            name="evaluation_needs_consent",
        ),
        # A withdrawal ends a consent given, on or after the day it was given.
        sa.CheckConstraint(
            "consent_withdrawn_on IS NULL OR (evaluation_consent AND consent_withdrawn_on >= consent_date)",
            name="withdrawal_after_consent",
        ),
        sa.Index("ix_talent_intakes_territory_id_intake_date", "territory_id", "intake_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), unique=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"))
    intake_date: Mapped[date]
    evaluation_consent: Mapped[bool] = mapped_column(default=False)
    consent_date: Mapped[date | None]
    consent_notice_version: Mapped[str | None] = mapped_column(sa.String(20))
    # The day the talent withdrew their consent to the evaluation: their questionnaires are no longer asked, and
    # exports made later leave their answers out (the consent's date and version stay, as its history).
    consent_withdrawn_on: Mapped[date | None]
    age_band: Mapped[AgeBand | None] = mapped_column(str_enum(AgeBand, "intake_age_band"))
    gender: Mapped[Gender | None] = mapped_column(str_enum(Gender, "intake_gender"))
    residence_area: Mapped[ResidenceArea | None] = mapped_column(str_enum(ResidenceArea, "intake_residence_area"))
    receives_minimum_social_benefits: Mapped[bool | None]
    diploma_level: Mapped[DiplomaLevel | None] = mapped_column(str_enum(DiplomaLevel, "intake_diploma_level"))
    time_out_of_employment: Mapped[TimeOutOfEmployment | None] = mapped_column(
        str_enum(TimeOutOfEmployment, "intake_time_out_of_employment")
    )
    is_neet: Mapped[bool | None]
    sourcing_partner: Mapped[SourcingPartner | None] = mapped_column(
        str_enum(SourcingPartner, "intake_sourcing_partner")
    )
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    talent: Mapped[User] = relationship(foreign_keys=[talent_id])

    def __str__(self) -> str:
        return f"intake {self.talent_id}"


# --- Path events ----------------------------------------------------------------------------------------------------


class PathEventKind(LabelledEnum):
    """The dated steps of a talent's path between intake and exit."""

    ENROLMENT = "enrolment"
    TRACK_CHOSEN = "track_chosen"
    TRACK_CHANGED = "track_changed"
    SUSPENSION = "suspension"
    RESUMPTION = "resumption"


PATH_EVENT_KIND_LABELS = enum_labels(
    PathEventKind,
    {
        PathEventKind.ENROLMENT: _l("Enrolment"),
        PathEventKind.TRACK_CHOSEN: _l("Track chosen"),
        PathEventKind.TRACK_CHANGED: _l("Track changed"),
        PathEventKind.SUSPENSION: _l("Path suspended"),
        PathEventKind.RESUMPTION: _l("Path resumed"),
    },
)

_TRACK_EVENTS = "kind IN ('track_chosen', 'track_changed')"
_ENROLMENT = sa.text("kind = 'enrolment'")
_TRACK_CHOSEN = sa.text("kind = 'track_chosen'")


class PathEvent(db.Model):
    """A dated step of a talent's path: enrolment (in a cohort), track chosen or changed, suspension, resumption."""

    __tablename__ = "path_events"
    __table_args__ = (
        sa.CheckConstraint(f"({_TRACK_EVENTS}) = (track IS NOT NULL)", name="track_only_on_track_events"),
        sa.CheckConstraint("kind = 'enrolment' OR cohort_id IS NULL", name="cohort_only_on_enrolment"),
        # One enrolment and one first choice of track per talent; changes and suspensions may repeat.
        sa.Index(
            "uq_path_events_talent_id_enrolment",
            "talent_id",
            unique=True,
            sqlite_where=_ENROLMENT,
            postgresql_where=_ENROLMENT,
        ),
        sa.Index(
            "uq_path_events_talent_id_track_chosen",
            "talent_id",
            unique=True,
            sqlite_where=_TRACK_CHOSEN,
            postgresql_where=_TRACK_CHOSEN,
        ),
        sa.Index("ix_path_events_talent_id_occurred_on", "talent_id", "occurred_on"),
        sa.Index("ix_path_events_territory_id_kind_occurred_on", "territory_id", "kind", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"))
    kind: Mapped[PathEventKind] = mapped_column(str_enum(PathEventKind, "path_event_kind"))
    occurred_on: Mapped[date]
    track: Mapped[Track | None] = mapped_column(str_enum(Track, "path_event_track"))
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    # A short staff note (e.g. the reason of a suspension); erased with the talent.
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    talent: Mapped[User] = relationship(foreign_keys=[talent_id])
    cohort: Mapped[Cohort | None] = relationship()

    def __str__(self) -> str:
        return str(self.kind.label)


# --- Activity sessions and attendance -------------------------------------------------------------------------------


class ActivityKind(LabelledEnum):
    """What kind of session talents attend."""

    WORKSHOP = "workshop"
    REPAIR_CAFE = "repair_cafe"
    TRAINING = "training"
    COLLECTIVE_INFO = "collective_info"
    COMPANY_VISIT = "company_visit"
    OTHER = "other"


ACTIVITY_KIND_LABELS = enum_labels(
    ActivityKind,
    {
        ActivityKind.WORKSHOP: _l("Workshop"),
        ActivityKind.REPAIR_CAFE: _l("Repair café"),
        ActivityKind.TRAINING: _l("Training"),
        ActivityKind.COLLECTIVE_INFO: _l("Information session"),
        ActivityKind.COMPANY_VISIT: _l("Company visit"),
        ActivityKind.OTHER: _l("Other activity"),
    },
)


class ActivitySession(db.Model):
    """A workshop or activity held on one day in a territory (in a lab), whose attendance is recorded at once."""

    __tablename__ = "activity_sessions"
    __table_args__ = (
        sa.CheckConstraint("duration_minutes BETWEEN 1 AND 1440", name="duration_range"),
        sa.Index("ix_activity_sessions_territory_id_held_on", "territory_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"))
    lab_id: Mapped[int | None] = mapped_column(sa.ForeignKey("labs.id", ondelete="SET NULL"), index=True)
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind, "activity_kind"))
    title: Mapped[str] = mapped_column(sa.String(200))
    held_on: Mapped[date]
    duration_minutes: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lab: Mapped[Lab | None] = relationship()
    attendances: Mapped[list[SessionAttendance]] = relationship(back_populates="session", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.title


class AttendanceMethod(LabelledEnum):
    """How an attendance was recorded."""

    LIST = "list"
    CARD = "card"


ATTENDANCE_METHOD_LABELS = enum_labels(
    AttendanceMethod,
    {AttendanceMethod.LIST: _l("Ticked on the list"), AttendanceMethod.CARD: _l("Member card scanned")},
)


class SessionAttendance(db.Model):
    """A talent present at a session (once per session)."""

    __tablename__ = "session_attendances"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "talent_id"),
        # A talent's sessions, read from the index alone (the timeline, the indicators' attendance).
        sa.Index("ix_session_attendances_talent_id_session_id", "talent_id", "session_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("activity_sessions.id", ondelete="CASCADE"))
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    method: Mapped[AttendanceMethod] = mapped_column(str_enum(AttendanceMethod, "attendance_method"))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[ActivitySession] = relationship(back_populates="attendances")
    talent: Mapped[User] = relationship(foreign_keys=[talent_id])


# --- Exits and follow-ups -------------------------------------------------------------------------------------------


class ExitCategory(LabelledEnum):
    """The exit categories of the French inclusion programmes."""

    DURABLE_EMPLOYMENT = "durable_employment"
    TRANSITION_EMPLOYMENT = "transition_employment"
    POSITIVE_EXIT = "positive_exit"
    OTHER_EXIT = "other_exit"


EXIT_CATEGORY_LABELS = enum_labels(
    ExitCategory,
    {
        ExitCategory.DURABLE_EMPLOYMENT: _l("Durable employment"),
        ExitCategory.TRANSITION_EMPLOYMENT: _l("Transition employment"),
        ExitCategory.POSITIVE_EXIT: _l("Positive exit"),
        ExitCategory.OTHER_EXIT: _l("Other exit"),
    },
)


class ExitSubtype(LabelledEnum):
    """The situation within an exit category."""

    PERMANENT_CONTRACT = "permanent_contract"  # CDI
    FIXED_TERM_6_MONTHS_OR_MORE = "fixed_term_6_months_or_more"
    TEMPING_6_MONTHS_OR_MORE = "temping_6_months_or_more"
    CIVIL_SERVICE = "civil_service"
    BUSINESS_CREATION = "business_creation"
    FIXED_TERM_UNDER_6_MONTHS = "fixed_term_under_6_months"
    TEMPING_UNDER_6_MONTHS = "temping_under_6_months"
    SUBSIDISED_CONTRACT = "subsidised_contract"
    QUALIFYING_TRAINING = "qualifying_training"
    OTHER_INCLUSION_STRUCTURE = "other_inclusion_structure"
    JOB_SEEKING = "job_seeking"
    INACTIVITY = "inactivity"
    MOVED_AWAY = "moved_away"
    UNKNOWN = "unknown"


EXIT_SUBTYPE_LABELS = enum_labels(
    ExitSubtype,
    {
        ExitSubtype.PERMANENT_CONTRACT: _l("Permanent contract (CDI)"),
        ExitSubtype.FIXED_TERM_6_MONTHS_OR_MORE: _l("Fixed-term contract of 6 months or more"),
        ExitSubtype.TEMPING_6_MONTHS_OR_MORE: _l("Temping of 6 months or more"),
        ExitSubtype.CIVIL_SERVICE: _l("Civil service"),
        ExitSubtype.BUSINESS_CREATION: _l("Business creation"),
        ExitSubtype.FIXED_TERM_UNDER_6_MONTHS: _l("Fixed-term contract under 6 months"),
        ExitSubtype.TEMPING_UNDER_6_MONTHS: _l("Temping under 6 months"),
        ExitSubtype.SUBSIDISED_CONTRACT: _l("Subsidised contract"),
        ExitSubtype.QUALIFYING_TRAINING: _l("Qualifying training"),
        ExitSubtype.OTHER_INCLUSION_STRUCTURE: _l("Another inclusion structure"),
        ExitSubtype.JOB_SEEKING: _l("Looking for a job"),
        ExitSubtype.INACTIVITY: _l("Inactive"),
        ExitSubtype.MOVED_AWAY: _l("Moved away"),
        ExitSubtype.UNKNOWN: _l("Unknown"),
    },
)

# Which sub-types belong to which category: the one table both the database check and the forms read.
EXIT_SUBTYPES: dict[ExitCategory, tuple[ExitSubtype, ...]] = {
    ExitCategory.DURABLE_EMPLOYMENT: (
        ExitSubtype.PERMANENT_CONTRACT,
        ExitSubtype.FIXED_TERM_6_MONTHS_OR_MORE,
        ExitSubtype.TEMPING_6_MONTHS_OR_MORE,
        ExitSubtype.CIVIL_SERVICE,
        ExitSubtype.BUSINESS_CREATION,
    ),
    ExitCategory.TRANSITION_EMPLOYMENT: (
        ExitSubtype.FIXED_TERM_UNDER_6_MONTHS,
        ExitSubtype.TEMPING_UNDER_6_MONTHS,
        ExitSubtype.SUBSIDISED_CONTRACT,
    ),
    ExitCategory.POSITIVE_EXIT: (ExitSubtype.QUALIFYING_TRAINING, ExitSubtype.OTHER_INCLUSION_STRUCTURE),
    ExitCategory.OTHER_EXIT: (
        ExitSubtype.JOB_SEEKING,
        ExitSubtype.INACTIVITY,
        ExitSubtype.MOVED_AWAY,
        ExitSubtype.UNKNOWN,
    ),
}


def _subtype_matches_category(category: str = "category", subtype: str = "subtype") -> str:
    pairs = " OR ".join(
        f"({category} = '{cat.value}' AND {subtype} IN ({', '.join(repr(s.value) for s in subtypes)}))"
        for cat, subtypes in EXIT_SUBTYPES.items()
    )
    return f"({pairs})"


class Evidence(LabelledEnum):
    """Whether a situation is only declared by the talent or proven by a document (contract, certificate)."""

    DECLARED = "declared"
    PROVEN = "proven"


EVIDENCE_LABELS = enum_labels(Evidence, {Evidence.DECLARED: _l("Declared"), Evidence.PROVEN: _l("Proven")})


class TalentExit(db.Model):
    """A talent's exit from the programme (at most one): date, category and sub-type, declared or proven; a business
    creation may link the launched project."""

    __tablename__ = "talent_exits"
    __table_args__ = (
        sa.CheckConstraint(_subtype_matches_category(), name="subtype_in_category"),
        sa.CheckConstraint("project_id IS NULL OR subtype = 'business_creation'", name="project_only_on_creation"),
        sa.Index("ix_talent_exits_territory_id_exit_date", "territory_id", "exit_date"),
        sa.Index("ix_talent_exits_category", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), unique=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"))
    exit_date: Mapped[date]
    category: Mapped[ExitCategory] = mapped_column(str_enum(ExitCategory, "exit_category"))
    subtype: Mapped[ExitSubtype] = mapped_column(str_enum(ExitSubtype, "exit_subtype"))
    evidence: Mapped[Evidence] = mapped_column(str_enum(Evidence, "exit_evidence"))
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    talent: Mapped[User] = relationship(foreign_keys=[talent_id])
    project: Mapped[Project | None] = relationship()
    follow_ups: Mapped[list[ExitFollowUp]] = relationship(
        back_populates="talent_exit", order_by="ExitFollowUp.months_after_exit"
    )

    def __str__(self) -> str:
        return str(self.category.label)


# The follow-ups the funder asks for, in months after the exit.
FOLLOW_UP_MONTHS = (6, 12, 24)


class ExitFollowUp(db.Model):
    """What became of a talent 6, 12 or 24 months after their exit (once per milestone); "not reached" is an
    answer, with no situation."""

    __tablename__ = "exit_follow_ups"
    __table_args__ = (
        sa.UniqueConstraint("talent_id", "months_after_exit"),
        sa.CheckConstraint("months_after_exit IN (6, 12, 24)", name="milestone_known"),
        sa.CheckConstraint(
            f"(reached AND category IS NOT NULL AND subtype IS NOT NULL AND evidence IS NOT NULL "
            f"AND {_subtype_matches_category()}) OR "
            "(NOT reached AND category IS NULL AND subtype IS NULL AND evidence IS NULL)",
            name="situation_when_reached",
        ),
        sa.Index("ix_exit_follow_ups_territory_id_months_after_exit", "territory_id", "months_after_exit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_exit_id: Mapped[int] = mapped_column(sa.ForeignKey("talent_exits.id", ondelete="CASCADE"), index=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"))
    months_after_exit: Mapped[int]
    contacted_on: Mapped[date]
    reached: Mapped[bool]
    category: Mapped[ExitCategory | None] = mapped_column(str_enum(ExitCategory, "follow_up_category"))
    subtype: Mapped[ExitSubtype | None] = mapped_column(str_enum(ExitSubtype, "follow_up_subtype"))
    evidence: Mapped[Evidence | None] = mapped_column(str_enum(Evidence, "follow_up_evidence"))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    talent_exit: Mapped[TalentExit] = relationship(back_populates="follow_ups")

    def __str__(self) -> str:
        return f"+{self.months_after_exit}"
