"""Repair events: the list, planning an event with the people on duty, the event's page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload, selectinload

from repairlab.auth import roles_required, territory_scope
from repairlab.clock import today
from repairlab.extensions import db
from repairlab.people.models import Lab, Role
from repairlab.repairs import bp
from repairlab.repairs.access import DESK_ROLES, REPAIR_ROLES, can_plan_events, can_take_in
from repairlab.repairs.events import EventFields, cancel_event, create_event, update_event
from repairlab.repairs.forms import EventForm
from repairlab.repairs.models import DutyRole, RepairEvent, RepairTicket
from repairlab.repairs.queries import event_totals
from repairlab.repairs.views.common import event_or_404, lab_choices, labs_in_scope, people_of
from repairlab.web import form_status, submit, submit_and_return

PAST_EVENTS = 20


def init_app(app) -> None:
    """The navigation links of repairs' events and intake."""
    from repairlab.pages import NavItem, nav

    # Short labels: the menu holds on one line at a laptop's width. Administrators, whose menu is full, reach the
    # events from the repair categories (Administration).
    repairs = _l("Repairs")
    team = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER})
    nav.register("repairs.events", NavItem(_l("Repair Cafés"), team, group=repairs), order=17)
    nav.register(
        "repairs.intake", NavItem(_l("Take an object in"), frozenset({Role.LAB_MANAGER}), group=repairs), order=18
    )


def _events_query():
    stmt = sa.select(RepairEvent).options(joinedload(RepairEvent.lab), selectinload(RepairEvent.staff))
    scope = territory_scope(current_user)
    return stmt.where(RepairEvent.territory_id == scope) if scope is not None else stmt


@bp.route("/events")
@roles_required(*REPAIR_ROLES)
def events():
    """Coming repair events, then the last ones."""
    day = today()
    coming = db.session.scalars(
        _events_query().where(RepairEvent.day >= day).order_by(RepairEvent.day, RepairEvent.starts_at).limit(100)
    ).all()
    past = db.session.scalars(
        _events_query().where(RepairEvent.day < day).order_by(RepairEvent.day.desc()).limit(PAST_EVENTS)
    ).all()
    counts = dict(
        db.session.execute(
            sa.select(RepairTicket.event_id, sa.func.count())
            .where(RepairTicket.event_id.in_([e.id for e in (*coming, *past)]))
            .group_by(RepairTicket.event_id)
        ).all()
    )
    return render_template(
        "repairs/events.html", coming=coming, past=past, counts=counts, can_plan=can_plan_events(current_user)
    )


def _fill(form: EventForm, territory_id: int | None) -> list[Lab]:
    labs = labs_in_scope()
    form.lab_id.choices = [("", "—"), *lab_choices(labs)]
    territories = [territory_id] if territory_id else [lab.territory_id for lab in labs]
    form.talents.choices = [(u.id, u.full_name) for u in people_of(territories, Role.PARTICIPANT)]
    form.volunteers.choices = [
        (u.id, u.full_name) for u in people_of(territories, Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER)
    ]
    return labs


def _chosen_lab(form: EventForm, labs: list[Lab]) -> Lab:
    lab = next((lab for lab in labs if lab.id == form.lab_id.data), None)
    if lab is None:
        abort(404)
    return lab


def _fields(form: EventForm) -> EventFields:
    staff = [(uid, DutyRole.VOLUNTEER) for uid in form.volunteers.data or [] if uid]
    staff += [(uid, DutyRole.TALENT) for uid in form.talents.data or [] if uid]
    return EventFields(
        title=form.title.data or "",
        day=form.day.data,
        starts_at=form.starts_at.data,
        ends_at=form.ends_at.data,
        notes=form.notes.data or "",
        staff=staff,
    )


@bp.route("/events/new", methods=["GET", "POST"])
@roles_required(*DESK_ROLES)
def event_new():
    """Plan a repair event."""
    form = EventForm()
    labs = _fill(form, territory_scope(current_user))
    if request.method == "GET" and len(labs) == 1:
        form.lab_id.data = labs[0].id
    done = submit(
        form,
        lambda: create_event(current_user, _chosen_lab(form, labs), _fields(form)),
        lambda event: _("“%(title)s” is planned.", title=event.title),
        lambda event: url_for("repairs.event", event_id=event.id),
    )
    return done or (render_template("repairs/event_form.html", form=form, event=None), form_status())


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@roles_required(*DESK_ROLES)
def event_edit(event_id: int):
    """Change an event and the people on duty."""
    event = event_or_404(event_id)
    form = EventForm(obj=event)
    labs = _fill(form, event.territory_id)
    if request.method == "GET":
        form.talents.data = [s.user_id for s in event.staff if s.role == DutyRole.TALENT]
        form.volunteers.data = [s.user_id for s in event.staff if s.role == DutyRole.VOLUNTEER]
    done = submit(
        form,
        lambda: update_event(current_user, event, _chosen_lab(form, labs), _fields(form)),
        _("The event is saved."),
        url_for("repairs.event", event_id=event.id),
    )
    return done or (render_template("repairs/event_form.html", form=form, event=event), form_status())


@bp.route("/events/<int:event_id>/cancel", methods=["POST"])
@roles_required(*DESK_ROLES)
def event_cancel(event_id: int):
    """Cancel an event where nothing was taken in."""
    event = event_or_404(event_id)
    target = url_for("repairs.event", event_id=event.id)
    return redirect(
        submit_and_return(FlaskForm(), lambda: cancel_event(current_user, event), _("Event cancelled."), target)
    )


@bp.route("/events/<int:event_id>")
@roles_required(*REPAIR_ROLES)
def event(event_id: int):
    """An event: its hours, the people on duty, the objects taken in, and the desk's actions."""
    event = event_or_404(event_id)
    tickets = db.session.scalars(
        sa.select(RepairTicket)
        .options(joinedload(RepairTicket.category))
        .where(RepairTicket.event_id == event.id)
        .order_by(RepairTicket.id)
    ).all()
    staff = sorted(event.staff, key=lambda s: (s.role != DutyRole.TALENT, s.user.full_name))
    return render_template(
        "repairs/event.html",
        event=event,
        tickets=tickets,
        totals=event_totals(event.id),
        staff=staff,
        can_plan=can_plan_events(current_user, event.territory_id),
        can_take_in=can_take_in(current_user, event.territory_id) and event.cancelled_at is None,
        cancel_form=FlaskForm(),
    )
