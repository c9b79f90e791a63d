"""Guides in the work: the guide followed on a repair ticket (and whether it helped), the workshop plan of a
session. Small forms posted from the ticket's and the session's pages, which they go back to."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from repairlab.auth import ensure_territory, roles_required
from repairlab.extensions import db
from repairlab.guides import access, bp, services
from repairlab.guides.forms import PlanForm, UseForm
from repairlab.guides.models import GuideKind, GuideUse, Helped
from repairlab.programme.models import ActivitySession
from repairlab.repairs.access import REPAIR_ROLES, can_view
from repairlab.repairs.models import RepairTicket
from repairlab.web import submit_and_return


def _ticket_or_404(ticket_id: int) -> RepairTicket:
    ticket = db.session.get(RepairTicket, ticket_id)
    if ticket is None or not can_view(current_user, ticket.territory_id):
        abort(404)
    return ticket


@bp.route("/tickets/<int:ticket_id>/uses", methods=["POST"])
@roles_required(*REPAIR_ROLES)
def ticket_use(ticket_id: int):
    """Record the guide followed on a ticket, and whether it helped (again: change the answer)."""
    ticket = _ticket_or_404(ticket_id)
    form = UseForm()
    target = url_for("repairs.ticket", ticket_id=ticket.id)

    def record():
        guide = services.public_guide(form.guide_id.data, GuideKind.REPAIR)
        helped = Helped(form.helped.data) if form.helped.data else None
        return services.record_use(current_user, ticket, guide, helped)

    return redirect(
        submit_and_return(
            form,
            record,
            lambda use: _("Recorded: %(title)s was followed.", title=use.version.title),
            target + "#guides",
            refused=target,
        )
    )


@bp.route("/uses/<int:use_id>/remove", methods=["POST"])
@roles_required(*REPAIR_ROLES)
def ticket_use_remove(use_id: int):
    """Remove a guide recorded on a ticket by mistake."""
    use = db.session.get(GuideUse, use_id)
    if use is None or not can_view(current_user, use.ticket.territory_id):
        abort(404)
    target = url_for("repairs.ticket", ticket_id=use.ticket_id)
    return redirect(
        submit_and_return(
            FlaskForm(), lambda: services.remove_use(current_user, use), _("Removed."), target + "#guides"
        )
    )


def _session_or_404(session_id: int) -> ActivitySession:
    session = db.session.get(ActivitySession, session_id)
    if session is None:
        abort(404)
    ensure_territory(current_user, session.territory_id)
    return session


@bp.route("/sessions/<int:session_id>/plan", methods=["POST"])
@roles_required(*access.REVIEWER_ROLES)
def session_plan(session_id: int):
    """Attach the workshop plan run at the session."""
    session = _session_or_404(session_id)
    form = PlanForm()
    target = url_for("programme.session", session_id=session.id)

    def attach():
        return services.attach_plan(current_user, session, services.public_guide(form.guide_id.data))

    return redirect(
        submit_and_return(
            form,
            attach,
            lambda plan: _("The session runs “%(title)s”.", title=plan.version.title),
            target,
        )
    )


@bp.route("/sessions/<int:session_id>/plan/remove", methods=["POST"])
@roles_required(*access.REVIEWER_ROLES)
def session_plan_remove(session_id: int):
    """The session ran no plan after all."""
    session = _session_or_404(session_id)
    target = url_for("programme.session", session_id=session.id)
    return redirect(
        submit_and_return(FlaskForm(), lambda: services.detach_plan(current_user, session), _("Removed."), target)
    )
