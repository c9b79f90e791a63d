"""Import ORDS files: a partner's repair records as a lab's history or as external reference data.

Previewed (every row checked, nothing written), then all or nothing: one refused row refuses the file. A record
already in the database (same `data_provider` and `id`: the tickets' unique index) is skipped, so importing a file
twice imports nothing twice. Rows go in with bulk inserts, one statement per batch of rows, never one per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from repairlab.audit.services import PROGRAMME_WIDE, record
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.people.models import Lab, User
from repairlab.repairs import impact, ords
from repairlab.repairs.models import (
    Barrier,
    ImpactConstant,
    Outcome,
    RepairCategory,
    RepairTicket,
    TicketSource,
    TicketStatus,
)
from repairlab.repairs.ords_access import can_import
from repairlab.repairs.reference import DISPLACEMENT, MISC_POWERED_CO2E_PER_KG, MISC_UNPOWERED_CO2E_PER_KG

BATCH = 1000  # rows per INSERT statement (and ids per look-up of the records already there)

OUTCOMES = {
    ords.FIXED: Outcome.FIXED,
    ords.REPAIRABLE: Outcome.REPAIRABLE,
    ords.END_OF_LIFE: Outcome.END_OF_LIFE,
    ords.UNKNOWN: Outcome.UNKNOWN,
}

# Record attribute -> the ticket's column it goes to, for the lengths the database holds.
_TEXT_COLUMNS = {
    "id": "external_id",
    "data_provider": "data_provider",
    "partner_product_category": "lab_category",
    "brand": "brand",
    "group_identifier": "group_identifier",
}
_AGE = Decimal("0.01")  # product_age is kept to two decimals
_MAX_AGE = Decimal(9999)


@dataclass
class ImportPlan:
    """What importing a file would do: the new records, how many are already there, and the refused rows."""

    lab: Lab | None
    new: list[tuple[int, ords.Record]] = field(default_factory=list)
    already_there: int = 0
    errors: list[ords.RowError] = field(default_factory=list)
    rows_read: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def refused_rows(self) -> int:
        """How many rows are refused (a row may have several reasons)."""
        return len({e.line for e in self.errors})


def _column_length(column: str) -> int:
    return RepairTicket.__table__.c[column].type.length


def _check_fits(line: int, record: ords.Record) -> list[ords.RowError]:
    """The checks the database's columns add to the standard's: text lengths, an age of two decimals."""
    errors = []
    for attribute, column in _TEXT_COLUMNS.items():
        limit = _column_length(column)
        if len(getattr(record, attribute)) > limit:
            errors.append(
                ords.RowError(line, attribute, _("This text is too long (%(max)d characters at most).", max=limit))
            )
    age = record.product_age
    if age is not None and (age != age.quantize(_AGE) or age > _MAX_AGE):
        errors.append(ords.RowError(line, "product_age", _("Write the age with two decimals at most.")))
    return errors


def own_ids() -> set[str]:
    """The pseudonymous ids this installation's export gives its own desk tickets (so that a file it exported and
    imports back finds them already there)."""
    secret, prefix = id_secret(), current_app.config["ORDS_ID_PREFIX"]
    ids = db.session.scalars(sa.select(RepairTicket.id).where(RepairTicket.source == TicketSource.DESK))
    return {ords.pseudonymous_id(secret, ticket_id, prefix) for ticket_id in ids}


def id_secret() -> str:
    """The key of the pseudonymous ids: ORDS_ID_SECRET, else one derived from SECRET_KEY."""
    return current_app.config.get("ORDS_ID_SECRET") or "ords:" + current_app.config["SECRET_KEY"]


def _existing(keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (data_provider, external id) pairs the database holds already: one query per batch of keys."""
    found: set[tuple[str, str]] = set()
    by_provider: dict[str, list[str]] = {}
    for provider, external_id in keys:
        by_provider.setdefault(provider, []).append(external_id)
    for provider, ids in by_provider.items():
        for start in range(0, len(ids), BATCH):
            rows = db.session.execute(
                sa.select(RepairTicket.external_id).where(
                    RepairTicket.data_provider == provider, RepairTicket.external_id.in_(ids[start : start + BATCH])
                )
            )
            found.update((provider, external_id) for (external_id,) in rows)
    return found


def plan(data: bytes, lab: Lab | None) -> ImportPlan:
    """Read and check a file for a lab (None: external reference data) without writing anything."""
    try:
        result = ords.read(data)
    except ords.OrdsFileError as error:
        raise ValidationError(str(error), field="file") from None
    preview = ImportPlan(lab=lab, errors=list(result.errors), ignored_columns=result.ignored_columns)
    checked = []
    for line, rec in result.records:
        problems = _check_fits(line, rec)
        if problems:
            preview.errors.extend(problems)
        else:
            checked.append((line, rec))
    preview.errors.sort(key=lambda e: e.line)
    preview.rows_read = len(result.records) + len({e.line for e in result.errors})
    there = _existing([(rec.data_provider, rec.id) for _, rec in checked])
    provider = current_app.config["ORDS_DATA_PROVIDER"]
    if any(rec.data_provider == provider for _, rec in checked):
        there |= {(provider, own) for own in own_ids()}
    for line, rec in checked:
        if (rec.data_provider, rec.id) in there:
            preview.already_there += 1
        else:
            preview.new.append((line, rec))
    return preview


@dataclass(frozen=True)
class _Figures:
    """The reference data an import computes with, read once."""

    powered: dict[int, RepairCategory]
    unpowered: dict[str, RepairCategory]
    displacement: Decimal
    powered_ratio: Decimal
    unpowered_ratio: Decimal

    @classmethod
    def load(cls) -> _Figures:
        categories = db.session.scalars(sa.select(RepairCategory)).all()
        constants = dict(db.session.execute(sa.select(ImpactConstant.key, ImpactConstant.value)).all())
        return cls(
            powered={c.ords_id: c for c in categories if c.ords_id is not None},
            unpowered={c.name: c for c in categories if c.ords_id is None},
            displacement=constants.get(DISPLACEMENT, impact.DISPLACEMENT),
            powered_ratio=constants.get(MISC_POWERED_CO2E_PER_KG, impact.POWERED_RATIO),
            unpowered_ratio=constants.get(MISC_UNPOWERED_CO2E_PER_KG, impact.UNPOWERED_RATIO),
        )

    def category(self, rec: ords.Record) -> RepairCategory:
        return self.powered[rec.category_id] if rec.powered else self.unpowered[rec.category]


def _row(rec: ords.Record, lab: Lab | None, actor: User | None, figures: _Figures) -> dict:
    """The ticket's columns for one record: a closed ticket (returned), dated on the record's day."""
    category = figures.category(rec)
    outcome = OUTCOMES[rec.status]
    counted = impact.impact(
        fixed=outcome is Outcome.FIXED,
        powered=category.powered,
        weight_kg=category.weight_kg,
        footprint_kg=category.footprint_kg,
        displacement=figures.displacement,
        powered_ratio=figures.powered_ratio,
        unpowered_ratio=figures.unpowered_ratio,
    ).rounded()
    moment = datetime.combine(rec.event_date, time(12), tzinfo=UTC)
    return {
        "territory_id": lab.territory_id if lab else None,
        "lab_id": lab.id if lab else None,
        "source": TicketSource.HISTORY if lab else TicketSource.REFERENCE,
        "status": TicketStatus.RETURNED,
        "event_date": rec.event_date,
        "category_id": category.id,
        "lab_category": rec.partner_product_category,
        "brand": rec.brand,
        "year_of_manufacture": rec.year_of_manufacture,
        "product_age": rec.product_age,
        "problem": rec.problem,
        "outcome": outcome,
        "barrier": Barrier(rec.barrier) if rec.barrier else None,
        "impact_weight_kg": counted.weight_kg if counted.counted else None,
        "impact_footprint_kg": counted.footprint_kg if counted.counted else None,
        "impact_displacement": counted.displacement if counted.counted else None,
        "waste_prevented_kg": counted.waste_kg if counted.counted else None,
        "co2e_prevented_kg": counted.co2e_kg if counted.counted else None,
        "external_id": rec.id,
        "data_provider": rec.data_provider,
        "group_identifier": rec.group_identifier,
        "country": rec.country,
        "received_at": moment,
        "status_changed_at": moment,
        "closed_at": moment,
        "created_by_id": actor.id if actor else None,
    }


def refusal(preview: ImportPlan) -> ValidationError:
    """The error that refuses a file: how many rows, and the first reason."""
    first = preview.errors[0]
    return ValidationError(
        _(
            "%(rows)d rows refused, nothing imported. Line %(line)d, column %(column)s: %(message)s",
            rows=preview.refused_rows,
            line=first.line,
            column=first.column or "—",
            message=first.message,
        ),
        field="file",
    )


def import_file(actor: User | None, lab: Lab | None, data: bytes) -> ImportPlan:
    """Import every new record of a file, or none: any refused row refuses the file. Flushes, never commits.

    `lab`: the lab whose history the records become; None imports them as external reference data. `actor` is None
    only for the command line."""
    return save(actor, plan(data, lab))


def save(actor: User | None, preview: ImportPlan) -> ImportPlan:
    """Write a checked plan's new records (none if any row is refused), in bulk. Flushes, never commits."""
    lab = preview.lab
    if actor is not None and not can_import(actor, lab):
        raise PermissionDenied(_("You may not import repair records into this lab."))
    if preview.errors:
        raise refusal(preview)
    if not preview.new:
        return preview
    figures = _Figures.load()
    rows = [_row(rec, lab, actor, figures) for _, rec in preview.new]
    try:
        with db.session.begin_nested():
            for start in range(0, len(rows), BATCH):
                # render_nulls: None written as NULL; else the ORM leaves such keys out, and rows whose empty
                # values differ would go in separate statements (one per row at worst).
                db.session.execute(
                    sa.insert(RepairTicket).execution_options(render_nulls=True), rows[start : start + BATCH]
                )
    except sa.exc.IntegrityError:  # the same records imported at the same moment by someone else
        raise Conflict(_("Some of these records were imported meanwhile. Check the file again.")) from None
    summary = {
        "ords_records": len(rows),
        "already_there": preview.already_there,
        "first": preview.new[0][1].id,
        "last": preview.new[-1][1].id,
    }
    if lab is not None:
        record(actor, "ords_import", lab, after=summary)
    else:
        first = preview.new[0][1]
        ticket = db.session.scalar(
            sa.select(RepairTicket).where(
                RepairTicket.data_provider == first.data_provider, RepairTicket.external_id == first.id
            )
        )
        record(actor, "ords_import", ticket, after=summary, territory_id=PROGRAMME_WIDE)
    return preview
