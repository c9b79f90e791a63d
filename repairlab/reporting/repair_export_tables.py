"""The research export's repairs tables: one row per repair of a lab (never the owner, never free text) and one row
per talent's time on a repair (by pseudonymous id)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from repairlab.extensions import db
from repairlab.people.models import Territory, User
from repairlab.repairs.models import RepairCategory, RepairTicket, RepairWork
from repairlab.reporting.registry import ExportField, ExportTable, export_tables
from repairlab.reporting.selection import Selection

F = ExportField
BATCH = 2000
REPAIR = F("repair_id", "integer", _l("Id of the repair (see repairs.csv)."))


def _tickets(sel: Selection) -> list:
    """The labs' tickets (not partners' reference data) of the selection's territory and dates."""
    conditions = [RepairTicket.lab_id.is_not(None), *sel.on_days(RepairTicket.event_date)]
    if sel.territory_id is not None:
        conditions.append(RepairTicket.territory_id == sel.territory_id)
    return conditions


def repairs(sel: Selection):
    """One row per repair."""
    t = RepairTicket
    stmt = (
        sa.select(
            t.id,
            Territory.code,
            t.lab_id,
            t.event_id,
            t.source,
            RepairCategory.name,
            RepairCategory.ords_id,
            RepairCategory.powered,
            t.event_date,
            t.status,
            t.outcome,
            t.repairable_need,
            t.barrier,
            t.waste_prevented_kg,
            t.co2e_prevented_kg,
        )
        .join(Territory, Territory.id == t.territory_id)
        .join(RepairCategory, RepairCategory.id == t.category_id)
        .where(*_tickets(sel))
        .order_by(t.id)
    )
    return db.session.execute(stmt.execution_options(yield_per=BATCH))


def repair_work(sel: Selection):
    """The selection's talents' time on the repairs."""
    stmt = (
        sa.select(RepairWork.ticket_id, RepairWork.talent_id, sa.func.sum(RepairWork.minutes))
        .join(RepairTicket, RepairTicket.id == RepairWork.ticket_id)
        .join(User, User.id == RepairWork.talent_id)
        .where(*_tickets(sel), *sel.talent_conditions())
        .group_by(RepairWork.ticket_id, RepairWork.talent_id)
        .order_by(RepairWork.ticket_id, RepairWork.talent_id)
    )
    return db.session.execute(stmt.execution_options(yield_per=BATCH))


def register_tables() -> None:
    """Put the repairs tables in the research export."""
    export_tables.register(
        "repairs",
        ExportTable(
            "repairs",
            _l("Repairs"),
            _l("One row per object brought to a lab (the owner and the problem text are never exported)."),
            (
                REPAIR,
                F("territory", "string", _l("Code of the territory, e.g. RBX.")),
                F("lab_id", "integer", _l("Id of the lab.")),
                F("event_id", "integer", _l("Id of the repair event; empty for an ordinary day.")),
                F("source", "string", _l("desk (taken in at the lab) or history (imported from an ORDS file).")),
                F("ords_category", "string", _l("ORDS product category (English name).")),
                F("ords_category_id", "integer", _l("ORDS product category id; empty for unpowered objects.")),
                F("powered", "boolean", _l("Whether the object is powered.")),
                F("repair_date", "date", _l("Day of the repair (the event's day or the day of intake)."), "date"),
                F("status", "string", _l("received, diagnosed, in_repair, ready, returned or abandoned.")),
                F("outcome", "string", _l("ORDS outcome: fixed, repairable, end_of_life or unknown; empty if open.")),
                F("repairable_need", "string", _l("What a repairable object needs; empty otherwise.")),
                F("barrier", "string", _l("ORDS barrier of an object at its end of life; empty otherwise.")),
                F("waste_prevented_kg", "number", _l("Waste prevented (kg), the Fixometer way; empty unless fixed.")),
                F("co2e_prevented_kg", "number", _l("CO2e prevented (kg), the Fixometer way; empty unless fixed.")),
            ),
            repairs,
            ("repair_id",),
        ),
        order=1500,
    )
    export_tables.register(
        "repair_work",
        ExportTable(
            "repair_work",
            _l("Repair work"),
            _l("One row per talent and repair: the minutes the talent spent on it."),
            (
                REPAIR,
                F(
                    "talent_pid",
                    "string",
                    _l("Pseudonymous id of the talent (the same in every table and export)."),
                    "pid",
                ),
                F("minutes", "integer", _l("Minutes the talent spent on the repair.")),
            ),
            repair_work,
            ("repair_id", "talent_pid"),
        ),
        order=1501,
    )
