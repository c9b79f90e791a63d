"""What repairs' audit entries mean in words: their fields and coded values (the actions are in audit/labels.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from repairlab.audit.labels import Reference, register
from repairlab.repairs.models import BARRIER_LABELS, NEED_LABELS, OUTCOME_LABELS, STATUS_LABELS


def register_audit_words() -> None:
    """Name repairs' fields and values on the audit page."""
    values: dict = {("owner", True): _l("kept"), ("owner", False): _l("none")}
    for field, labels in (
        ("status", STATUS_LABELS),
        ("outcome", OUTCOME_LABELS),
        ("barrier", BARRIER_LABELS),
        ("repairable_need", NEED_LABELS),
    ):
        values.update({(field, key.value): label for key, label in labels.items()})
    register(
        fields={
            "repair_category": _l("Kind of object"),
            "lab_category": _l("The lab's own category"),
            "year_of_manufacture": _l("Year made"),
            "product_age": _l("Age (years)"),
            "estimated_weight_kg": _l("Estimated weight (kg)"),
            "problem": _l("Problem"),
            "owner": _l("Owner's details"),
            "diagnosis": _l("Diagnosis"),
            "work_done": _l("What was done"),
            "outcome": _l("Outcome"),
            "repairable_need": _l("It would need"),
            "barrier": _l("Barrier"),
            "waste_prevented_kg": _l("Waste prevented (kg)"),
            "co2e_prevented_kg": _l("CO2e prevented (kg)"),
            "minutes": _l("Minutes"),
            "owner_notified_at": _l("Owner told on"),
            "event_id": _l("Repair event"),
            "day": _l("Day"),
            "starts_at": _l("Opens at"),
            "ends_at": _l("Closes at"),
            "staff": _l("On duty"),
            "skills": _l("Skills"),
            "cancelled_at": _l("Cancelled on"),
            "opening_hours": _l("Opening hours"),
        },
        values=values,
        references={"event_id": Reference("repair_events", "title")},
    )
