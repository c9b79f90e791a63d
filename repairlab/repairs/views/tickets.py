"""Repair tickets: intake at the desk, the ticket's page (the public scan view for anyone else), the repair."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from repairlab import images
from repairlab.auth import roles_required
from repairlab.clock import today
from repairlab.errors import DomainError
from repairlab.extensions import db
from repairlab.inventory.models import Item, ItemKind, ItemStatus
from repairlab.people.models import Role, User
from repairlab.repairs import bp, owners, tickets
from repairlab.repairs.access import (
    DESK_ROLES,
    REPAIR_ROLES,
    SUPERVISOR_ROLES,
    can_close,
    can_repair,
    can_view,
    is_desk,
    sees_owner,
)
from repairlab.repairs.categories import category_label
from repairlab.repairs.forms import (
    EraseOwnerForm,
    IntakeForm,
    NotesForm,
    OutcomeForm,
    PartForm,
    StatusForm,
    ToolForm,
    WorkForm,
)
from repairlab.repairs.models import (
    RepairEvent,
    RepairTicket,
)
from repairlab.repairs.queries import ticket_lines
from repairlab.repairs.registry import ticket_panels_for
from repairlab.repairs.views.common import category_choices, lab_choices, labs_in_scope, ticket_or_404
from repairlab.web import form_status, show_domain_error, submit, submit_and_return

# --- Intake ---------------------------------------------------------------------------------------


def _open_events(lab_ids: list[int]) -> list[RepairEvent]:
    """Events of these labs from today on (and yesterday's, for a late entry), soonest first."""
    return list(
        db.session.scalars(
            sa.select(RepairEvent)
            .options(joinedload(RepairEvent.lab))
            .where(
                RepairEvent.lab_id.in_(lab_ids),
                RepairEvent.cancelled_at.is_(None),
                RepairEvent.day >= today() - timedelta(days=1),
            )
            .order_by(RepairEvent.day, RepairEvent.starts_at)
            .limit(20)
        )
    )


def _intake_fields(form: IntakeForm) -> tickets.IntakeFields:
    return tickets.IntakeFields(
        category_id=form.category_id.data,
        problem=form.problem.data or "",
        lab_category=form.lab_category.data or "",
        brand=form.brand.data or "",
        model=form.model.data or "",
        year_of_manufacture=form.year_of_manufacture.data,
        product_age=form.product_age.data,
        estimated_weight_kg=form.estimated_weight_kg.data,
        owner_first_name=form.owner_first_name.data or "",
        owner_email=form.owner_email.data or "",
        owner_phone=form.owner_phone.data or "",
        owner_consent=bool(form.owner_consent.data),
        owner_locale=form.owner_locale.data or "fr",
    )


def _photo(form: IntakeForm):
    data = form.photo.data
    return data.stream if data and getattr(data, "filename", "") else None


def _taken_in(ticket: RepairTicket) -> Markup:
    """The message after intake, with the button that prints the label (the next thing to do)."""
    return Markup('{} <a href="{}" role="button" class="flash-action">{}</a>').format(
        _("%(code)s taken in. Stick its label on the object.", code=ticket.code),
        url_for("labels.print_labels", code=ticket.code, layout="thermal-62"),
        _("Print its label"),
    )


@bp.route("/intake", methods=["GET", "POST"])
@roles_required(*DESK_ROLES)
def intake():
    """Take an object in at the desk (at an event with ?event=ID): under a minute, on a phone or a laptop."""
    form = IntakeForm()
    labs = labs_in_scope()
    form.lab_id.choices = [("", "—"), *lab_choices(labs)]
    events = _open_events([lab.id for lab in labs])
    form.event_id.choices = [("", _("No event (an ordinary day)"))] + [
        (e.id, f"{e.day.strftime('%d/%m')} · {e.title} · {e.lab.name}") for e in events
    ]
    form.category_id.choices = category_choices()
    if request.method == "GET":
        event_id = request.args.get("event", type=int)
        chosen = next((e for e in events if e.id == event_id), None)
        if chosen is not None:
            form.event_id.data, form.lab_id.data = chosen.id, chosen.lab_id
        elif len(labs) == 1:
            form.lab_id.data = labs[0].id
        form.owner_locale.data = "fr"

    def take() -> RepairTicket:
        lab = next((lab for lab in labs if lab.id == form.lab_id.data), None)
        if lab is None:
            abort(404)
        event = next((e for e in events if e.id == form.event_id.data), None) if form.event_id.data else None
        return tickets.take_in(current_user, lab, _intake_fields(form), event=event, photo=_photo(form))

    done = submit(
        form,
        take,
        _taken_in,
        lambda ticket: (
            url_for("repairs.intake", event=ticket.event_id)
            if ticket.event_id
            else url_for("repairs.ticket", ticket_id=ticket.id)
        ),
    )
    return done or (
        render_template("repairs/intake.html", form=form, ticket=None),
        form_status(),
    )


@bp.route("/tickets/<int:ticket_id>/edit", methods=["GET", "POST"])
@roles_required(*DESK_ROLES)
def ticket_edit(ticket_id: int):
    """Correct what was typed at intake."""
    ticket = ticket_or_404(ticket_id)
    if not is_desk(current_user, ticket.territory_id):
        abort(404)
    form = IntakeForm(obj=ticket)
    # The lab and the event stay: a ticket's code and history belong to them.
    del form.lab_id
    del form.event_id
    form.category_id.choices = category_choices()
    if request.method == "GET":
        form.owner_consent.data = ticket.owner_consent_at is not None
    done = submit(
        form,
        lambda: tickets.update_object(current_user, ticket, _intake_fields(form), photo=_photo(form)),
        _("The ticket is saved."),
        url_for("repairs.ticket", ticket_id=ticket.id),
    )
    return done or (
        render_template("repairs/intake.html", form=form, ticket=ticket),
        form_status(),
    )


# --- The ticket's page ----------------------------------------------------------------------------


_TICKET_PAGE = (
    sa.select(RepairTicket)
    .where(RepairTicket.id == sa.bindparam("ticket_id"))
    .options(joinedload(RepairTicket.category), joinedload(RepairTicket.lab), joinedload(RepairTicket.event))
)


def _public(ticket: RepairTicket):
    """What anyone who scans the label sees: the object, its status, the lab's opening hours; never a name."""
    return render_template("repairs/ticket_public.html", ticket=ticket, object_name=owners.object_name(ticket))


def _repair_forms(ticket: RepairTicket) -> dict:
    """The forms of the repair's steps, for those who work on it."""
    viewer = current_user
    status_form = StatusForm()
    status_form.status.choices = [(s.value, s.label) for s in tickets.next_statuses(viewer, ticket)]
    work_form = WorkForm()
    if viewer.role in SUPERVISOR_ROLES:
        talents = db.session.scalars(
            sa.select(User)
            .where(User.active.is_(True), User.role == Role.PARTICIPANT, User.territory_id == ticket.territory_id)
            .order_by(User.full_name)
        ).all()
        on_duty = {s.user_id for s in ticket.event.staff} if ticket.event else set()
        talents = sorted(talents, key=lambda u: (u.id not in on_duty, u.full_name))
        work_form.talent_id.choices = [("", "—"), *((u.id, u.full_name) for u in talents)]
    else:
        work_form.talent_id.choices = [(viewer.id, viewer.full_name)]
        work_form.talent_id.data = viewer.id
    part_form = PartForm()
    parts = db.session.scalars(
        sa.select(Item)
        .where(
            Item.lab_id == ticket.lab_id,
            Item.kind == ItemKind.PART,
            Item.status != ItemStatus.RETIRED,
            Item.quantity > 0,
        )
        .order_by(Item.name)
        .limit(500)
    ).all()
    part_form.item_id.choices = [("", "—"), *((p.id, f"{p.name} ({p.quantity})") for p in parts)]
    outcome_form = OutcomeForm(
        outcome=ticket.outcome.value if ticket.outcome else None,
        repairable_need=ticket.repairable_need.value if ticket.repairable_need else "",
        barrier=ticket.barrier.value if ticket.barrier else "",
    )
    return {
        "status_form": status_form,
        "notes_form": NotesForm(diagnosis=ticket.diagnosis, work_done=ticket.work_done),
        "work_form": work_form,
        "part_form": part_form,
        "tool_form": ToolForm(),
        "outcome_form": outcome_form,
    }


@bp.route("/tickets/<int:ticket_id>")
def ticket(ticket_id: int):
    """The ticket's page; anyone else (anonymous included, other territories, researchers) sees the public scan
    view."""
    found = db.session.execute(_TICKET_PAGE, {"ticket_id": ticket_id}).unique().scalar_one_or_none()
    if found is None:
        abort(404)
    viewer = current_user._get_current_object() if current_user.is_authenticated else None
    if not can_view(viewer, found.territory_id):
        # Only a ticket with a label has a public view; imported records are the team's.
        if found.code is None:
            abort(404)
        return _public(found)
    lines = ticket_lines(found)
    working = can_repair(viewer, found.territory_id) and found.is_open
    context = {
        "ticket": found,
        "object_name": owners.object_name(found),
        "category": category_label(found.category),
        "history": lines.history,
        "work": lines.work,
        "minutes": sum(w.minutes for w in lines.work),
        "parts": lines.parts,
        "tools": lines.tools,
        "desk": is_desk(viewer, found.territory_id),
        "sees_owner": sees_owner(viewer, found.territory_id),
        "working": working,
        "can_close": can_close(viewer, found.territory_id),
        "can_notify": sees_owner(viewer, found.territory_id) and owners.can_notify(found),
        "erase_form": EraseOwnerForm(),
        "action_form": FlaskForm(),
        "panels": ticket_panels_for(found, viewer),
    }
    if working:
        context.update(_repair_forms(found))
    return render_template("repairs/ticket.html", **context)


@bp.route("/tickets/<int:ticket_id>/photo/<variant>")
@roles_required(*REPAIR_ROLES)
def ticket_photo(ticket_id: int, variant: str):
    """The photo taken at intake (the team's only: it may show the owner's home)."""
    ticket = ticket_or_404(ticket_id)
    key = {"full": ticket.photo_key, "thumb": ticket.photo_thumb_key}.get(variant)
    if not key:
        abort(404)
    return images.send_image(key)


# --- The repair's steps ---------------------------------------------------------------------------


def _step(ticket_id: int, form: FlaskForm, action: Callable[[RepairTicket], object], success, anchor: str = ""):
    """Run one step of the repair posted from the ticket's page, then go back to it (every outcome flashed)."""
    ticket = ticket_or_404(ticket_id)
    target = url_for("repairs.ticket", ticket_id=ticket.id)
    return redirect(submit_and_return(form, lambda: action(ticket), success, target + anchor, refused=target))


@bp.route("/tickets/<int:ticket_id>/status", methods=["POST"])
@roles_required(*REPAIR_ROLES)
def ticket_status(ticket_id: int):
    """Move the ticket to another status; "ready" tells the owner by e-mail when possible."""
    ticket = ticket_or_404(ticket_id)
    form = StatusForm()
    form.status.choices = [(s.value, s.label) for s in tickets.next_statuses(current_user, ticket)]
    target = url_for("repairs.ticket", ticket_id=ticket.id)
    if not form.validate_on_submit():
        flash(_("Choose a status."), "error")
        return redirect(target)
    try:
        tickets.change_status(current_user, ticket, form.status.data)
    except DomainError as error:
        show_domain_error(None, error)
        return redirect(target)
    db.session.commit()
    flash(_("%(code)s is now “%(status)s”.", code=ticket.code, status=ticket.status.label), "success")
    if owners.can_notify(ticket) and ticket.owner_notified_at is None:
        if owners.notify_ready(current_user, ticket):
            db.session.commit()
            flash(_("The owner was told by e-mail."), "success")
        else:
            db.session.rollback()
            flash(_("The e-mail to the owner could not be sent; call them."), "error")
    return redirect(target)


@bp.route("/tickets/<int:ticket_id>/notes", methods=["POST"])
@roles_required(*REPAIR_ROLES)
def ticket_notes(ticket_id: int):
    """Write the diagnosis and what was done."""
    form = NotesForm()
    return _step(
        ticket_id,
        form,
        lambda t: tickets.record_notes(current_user, t, form.diagnosis.data or "", form.work_done.data or ""),
        _("Saved."),
        "#notes",
    )


@bp.route("/tickets/<int:ticket_id>/work", methods=["POST"])
@roles_required(*REPAIR_ROLES)
def ticket_work(ticket_id: int):
    """Record a talent's time."""
    form = WorkForm()
    # Any id: the service checks that it is a talent whose time this user may record.
    form.talent_id.validate_choice = False

    def record(t: RepairTicket):
        talent = db.session.get(User, form.talent_id.data) if form.talent_id.data else None
        return tickets.record_work(current_user, t, talent, form.minutes.data)

    return _step(ticket_id, form, record, lambda w: _("%(num)d minutes recorded.", num=w.minutes), "#work")


@bp.route("/tickets/<int:ticket_id>/parts", methods=["POST"])
@roles_required(*REPAIR_ROLES)
def ticket_part(ticket_id: int):
    """Take spare parts from the lab's stock."""
    form = PartForm()
    form.item_id.validate_choice = False

    def take(t: RepairTicket):
        item = db.session.get(Item, form.item_id.data) if form.item_id.data else None
        return tickets.take_part(current_user, t, item, form.quantity.data)

    return _step(
        ticket_id,
        form,
        take,
        lambda use: _("%(num)d × %(name)s taken from the stock.", num=use.quantity, name=use.item.name),
        "#parts",
    )


@bp.route("/tickets/<int:ticket_id>/tools", methods=["POST"])
@roles_required(*REPAIR_ROLES)
def ticket_tool(ticket_id: int):
    """Record a tool used, by its code."""
    form = ToolForm()
    return _step(
        ticket_id,
        form,
        lambda t: tickets.use_tool(current_user, t, tickets.find_tool(form.code.data or "")),
        lambda use: _("%(code)s %(name)s recorded.", code=use.item.code, name=use.item.name),
        "#tools",
    )


@bp.route("/tickets/<int:ticket_id>/outcome", methods=["POST"])
@roles_required(*REPAIR_ROLES)
def ticket_outcome(ticket_id: int):
    """Record the outcome in ORDS terms."""
    form = OutcomeForm()
    return _step(
        ticket_id,
        form,
        lambda t: tickets.set_outcome(
            current_user, t, form.outcome.data, need=form.repairable_need.data, barrier=form.barrier.data
        ),
        lambda t: _("Outcome: %(outcome)s.", outcome=t.outcome.label),
        "#outcome",
    )


@bp.route("/tickets/<int:ticket_id>/notify", methods=["POST"])
@roles_required(*DESK_ROLES)
def ticket_notify(ticket_id: int):
    """Tell the owner by e-mail (again) that the object is ready."""
    ticket = ticket_or_404(ticket_id)
    target = url_for("repairs.ticket", ticket_id=ticket.id)
    if not FlaskForm().validate_on_submit() or not is_desk(current_user, ticket.territory_id):
        abort(400)
    if owners.notify_ready(current_user, ticket):
        db.session.commit()
        flash(_("The owner was told by e-mail."), "success")
    else:
        db.session.rollback()
        flash(_("The e-mail to the owner could not be sent; call them."), "error")
    return redirect(target)


@bp.route("/tickets/<int:ticket_id>/erase-owner", methods=["POST"])
@roles_required(*DESK_ROLES)
def ticket_erase_owner(ticket_id: int):
    """Erase the owner's details now (the repair record stays)."""
    form = EraseOwnerForm()
    return _step(
        ticket_id,
        form,
        lambda t: owners.erase_owner(current_user, t),
        _("The owner's details are erased."),
    )
