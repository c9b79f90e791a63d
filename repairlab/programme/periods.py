"""Use cases of the programme's periods: an admin edits them, their targets per territory and the cohorts' period."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from repairlab import dates
from repairlab.audit.services import PROGRAMME_WIDE, record, snapshot
from repairlab.database import flush_or_conflict
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.people.models import Cohort, Territory, User
from repairlab.programme.access import can_manage_programme
from repairlab.programme.models import CohortPeriod, PeriodTerritoryTarget, ProgrammePeriod
from repairlab.text import clean_name, clean_text

PERIOD_FIELDS = ("number", "name", "description", "start_date", "end_date", "target_talents")
TARGET_FIELDS = ("period_id", "territory_id", "start_date", "end_date", "target_talents")
MAX_DESCRIPTION = 2000


def _check_admin(actor: User) -> None:
    if not can_manage_programme(actor):
        raise PermissionDenied(_("Only an administrator may change the programme's periods."))


def _check_span(start: date | None, end: date | None) -> None:
    if start is None or end is None:
        raise ValidationError(_("Enter the start and end dates."), field="start_date")
    dates.check_day(start, "start_date")
    dates.check_day(end, "end_date")
    if end < start:
        raise ValidationError(_("The end date must be after the start date."), field="end_date")


def _check_target(target: int | None) -> int:
    if target is None or target < 0:
        raise ValidationError(_("The target must be zero or more."), field="target_talents")
    return target


def save_period(
    actor: User,
    period: ProgrammePeriod | None,
    *,
    number: int | None,
    name: str,
    description: str = "",
    start_date: date | None,
    end_date: date | None,
    target_talents: int | None,
) -> ProgrammePeriod:
    """Create a period (period None) or change one: its number, name, dates and programme-wide target."""
    _check_admin(actor)
    if number is None or not 1 <= number <= 9:
        raise ValidationError(_("The number of a period is between 1 and 9."), field="number")
    name = clean_name(name, limit=120, required=_("Enter a name."))
    description = clean_text(description, field="description", limit=MAX_DESCRIPTION)
    _check_span(start_date, end_date)
    target_talents = _check_target(target_talents)
    before = snapshot(period, PERIOD_FIELDS) if period is not None else None
    if period is None:
        period = ProgrammePeriod()
        db.session.add(period)
    period.number, period.name, period.description = number, name, description
    period.start_date, period.end_date, period.target_talents = start_date, end_date, target_talents
    flush_or_conflict(_("Another period already has this number or name."), "number")
    record(
        actor,
        "programme.period" if before is None else "programme.period_update",
        period,
        before=before,
        after=snapshot(period, PERIOD_FIELDS),
        territory_id=PROGRAMME_WIDE,
    )
    return period


def set_territory_target(
    actor: User,
    period: ProgrammePeriod,
    territory: Territory,
    *,
    start_date: date | None,
    end_date: date | None,
    target_talents: int | None,
) -> PeriodTerritoryTarget:
    """Set a period's dates and target of talents in one territory."""
    _check_admin(actor)
    _check_span(start_date, end_date)
    target_talents = _check_target(target_talents)
    row = db.session.scalar(
        sa.select(PeriodTerritoryTarget).where(
            PeriodTerritoryTarget.period_id == period.id, PeriodTerritoryTarget.territory_id == territory.id
        )
    )
    before = snapshot(row, TARGET_FIELDS) if row is not None else None
    if row is None:
        row = PeriodTerritoryTarget(period_id=period.id, territory_id=territory.id)
        db.session.add(row)
    row.start_date, row.end_date, row.target_talents = start_date, end_date, target_talents
    flush_or_conflict(_("Someone set this target at the same time. Look at it again."))
    record(
        actor,
        "programme.period_target",
        row,
        before=before,
        after=snapshot(row, TARGET_FIELDS),
        label=f"{period.name} – {territory.name}",
    )
    return row


def set_cohort_period(actor: User, cohort: Cohort, period: ProgrammePeriod | None) -> CohortPeriod | None:
    """Put a cohort in a period (or in none)."""
    _check_admin(actor)
    link = db.session.get(CohortPeriod, cohort.id)
    before = {"period_id": link.period_id if link is not None else None}
    if period is None:
        if link is not None:
            db.session.delete(link)
    elif link is None:
        link = CohortPeriod(cohort_id=cohort.id, period_id=period.id)
        db.session.add(link)
    else:
        link.period_id = period.id
    db.session.flush()
    after = {"period_id": period.id if period is not None else None}
    if before != after:
        record(actor, "programme.cohort_period", cohort, before=before, after=after)
    return link if period is not None else None


def delete_period(actor: User, period: ProgrammePeriod) -> None:
    """Delete a period no cohort belongs to."""
    _check_admin(actor)
    used = db.session.scalar(sa.select(sa.func.count()).where(CohortPeriod.period_id == period.id))
    if used:
        raise Conflict(_("Cohorts belong to this period: move them to another period first."))
    record(
        actor, "programme.period_delete", period, before=snapshot(period, PERIOD_FIELDS), territory_id=PROGRAMME_WIDE
    )
    db.session.delete(period)
    db.session.flush()
