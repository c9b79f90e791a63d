"""Repairs: repair events, tickets in the Open Repair Data Standard, the talents' work and the impact."""

from flask import Blueprint, Flask

bp = Blueprint("repairs", __name__, url_prefix="/repairs")


def init_app(app: Flask) -> None:
    """Register the views, the code target of tickets, navigation, panels, commands, demo data and the blueprint."""
    from flask import url_for

    from repairlab.inventory.registry import CodeTarget, code_targets
    from repairlab.repairs import cli, demo, panels, person_data, views
    from repairlab.repairs.audit_words import register_audit_words
    from repairlab.repairs.categories import category_label
    from repairlab.repairs.evidence import passport_context
    from repairlab.repairs.item_panel import register_item_panel
    from repairlab.repairs.models import TicketStatus
    from repairlab.repairs.owners import purge_repair_owners_command
    from repairlab.repairs.tickets import TICKET_TARGET, ticket_names
    from repairlab.skills.registry import EvidenceSource, passport_evidence

    code_targets.register(
        TICKET_TARGET, CodeTarget(lambda ticket_id: url_for("repairs.ticket", ticket_id=ticket_id), ticket_names)
    )
    register_audit_words()
    app.add_template_global(category_label, "repair_category_label")
    app.add_template_global(list(TicketStatus), "repair_statuses")
    app.cli.add_command(purge_repair_owners_command)
    passport_evidence.register(
        "repairs.tickets", EvidenceSource("repairs/_passport_evidence.html", passport_context), order=50
    )
    register_item_panel()
    person_data.register()
    views.init_app(app)
    panels.register(app)
    cli.register(app)
    demo.register(app)
    app.register_blueprint(bp)
