"""People: territories, labs, cohorts, tracks and user accounts."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.auth import ROLE_LABELS, Role  # noqa: F401  (the roles belong to the foundation; re-exported)
from repairlab.clock import utcnow
from repairlab.extensions import LabelledEnum, UTCDateTime, db, enum_labels, str_enum
from repairlab.search import TextIndex


class Track(LabelledEnum):
    """The programme's two tracks ("parcours")."""

    EMPLOYMENT = "employment"
    ENTREPRENEURSHIP = "entrepreneurship"


TRACK_LABELS = enum_labels(
    Track,
    {
        Track.EMPLOYMENT: _l("Sustainable employment"),
        Track.ENTREPRENEURSHIP: _l("Sustainable entrepreneurship"),
    },
)


class Territory(db.Model):
    """A territory of the programme, e.g. RBX Roubaix-Lille; its code prefixes every thing's code."""

    __tablename__ = "territories"
    __table_args__ = (sa.CheckConstraint("length(code) BETWEEN 2 AND 5", name="code_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(5), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    labs: Mapped[list[Lab]] = relationship(back_populates="territory", order_by="Lab.name")
    cohorts: Mapped[list[Cohort]] = relationship(back_populates="territory", order_by="Cohort.start_date")
    users: Mapped[list[User]] = relationship(back_populates="territory")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Lab(db.Model):
    """A community repair lab (workshop) inside a territory."""

    __tablename__ = "labs"
    __table_args__ = (sa.UniqueConstraint("territory_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    address: Mapped[str] = mapped_column(sa.String(255), default="")
    # Shown to anyone who scans a repair ticket's label ("Tuesday and Thursday 2 pm to 6 pm").
    opening_hours: Mapped[str] = mapped_column(sa.String(255), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    territory: Mapped[Territory] = relationship(back_populates="labs")

    def __str__(self) -> str:
        return self.name


class Cohort(db.Model):
    """A period of the programme in a territory, with a target number of talents."""

    __tablename__ = "cohorts"
    __table_args__ = (
        sa.UniqueConstraint("territory_id", "name"),
        sa.CheckConstraint("end_date >= start_date", name="dates_ordered"),
        sa.CheckConstraint("target_talents >= 0", name="target_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    start_date: Mapped[date]
    end_date: Mapped[date]
    target_talents: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    territory: Mapped[Territory] = relationship(back_populates="cohorts")
    talents: Mapped[list[User]] = relationship(back_populates="cohort")

    def __str__(self) -> str:
        return self.name


class User(UserMixin, db.Model):
    """An account: a talent, a mentor, a lab manager, a researcher or an admin."""

    __tablename__ = "users"
    __table_args__ = (
        # Territory-bound roles must have a territory; admins and researchers see all.
        sa.CheckConstraint("role IN ('admin', 'researcher') OR territory_id IS NOT NULL", name="territory_required"),
        sa.CheckConstraint("locale IN ('fr', 'en')", name="locale_known"),
        sa.Index("ix_users_territory_id_role", "territory_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive on every engine.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), index=True)
    territory_id: Mapped[int | None] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    track: Mapped[Track | None] = mapped_column(str_enum(Track, "track"))
    locale: Mapped[str] = mapped_column(sa.String(5), default="fr")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    active: Mapped[bool] = mapped_column(default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Changing this invalidates every session and "remember me" cookie of the user.
    session_token: Mapped[str] = mapped_column(sa.String(64))
    # Set when the person was erased on request (GDPR): identity and contact details are gone, records stay.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    territory: Mapped[Territory | None] = relationship(back_populates="users")
    cohort: Mapped[Cohort | None] = relationship(back_populates="talents")

    def get_id(self) -> str:
        """Flask-Login identity: id plus session token, so a password change logs out other devices."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        """Whether the account may log in (Flask-Login refuses inactive users)."""
        return self.active

    @property
    def is_admin(self) -> bool:
        """Whether they are a programme administrator."""
        return self.role == Role.ADMIN

    def __str__(self) -> str:
        return self.full_name


class LoginThrottle(db.Model):
    """Login attempts for one e-mail from one client address, kept in the database so that throttling holds
    across several app servers; past the free attempts, each one makes the pair wait longer."""

    __tablename__ = "login_throttles"
    __table_args__ = (
        sa.UniqueConstraint("email", "address"),
        sa.CheckConstraint("failures >= 0", name="failures_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # As typed (normalised), whether or not an account has it, so that throttling reveals no account.
    email: Mapped[str] = mapped_column(sa.String(254))
    address: Mapped[str] = mapped_column(sa.String(64))
    # Attempts since the last successful login, counted before the password is checked.
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # No attempt of this pair is checked before then.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


# The text index of the people's search (repairlab/search.py): the name and the e-mail, folded (case and accents
# ignored), each in a group of its own. The migration writes the same DDL.
SEARCH_INDEX = TextIndex("users", (("name", ("full_name",)), ("email", ("email",))))
SEARCH_INDEX.attach(User.__table__)
