"""Views of reservations and lending policies: reserve and cancel, my reservations, the lab calendar, the rules."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import abort, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from repairlab import clock
from repairlab.auth import ensure_territory, roles_required, territory_scope
from repairlab.errors import DomainError
from repairlab.extensions import db
from repairlab.inventory.models import Category
from repairlab.lending import bp, policies, reservations
from repairlab.lending.forms import CancelReservationForm, ClearPolicyForm, PolicyForm, ReserveForm
from repairlab.lending.services import is_desk
from repairlab.lending.views import invalid_message, item_or_404, too_long
from repairlab.people.models import Lab, Role
from repairlab.web import db_id, safe_next, submit_and_return

DESK = (Role.LAB_MANAGER, Role.ADMIN)
CALENDAR_ROLES = (Role.PARTICIPANT, Role.MENTOR, *DESK)


def _range_words(reservation) -> str:
    if reservation.starts_on == reservation.ends_on:
        return _("on %(date)s", date=format_date(reservation.starts_on, "EEEE d MMMM"))
    return _(
        "from %(start)s to %(end)s",
        start=format_date(reservation.starts_on, "EEEE d MMMM"),
        end=format_date(reservation.ends_on, "EEEE d MMMM"),
    )


@bp.route("/lending/items/<int:item_id>/reserve", methods=["POST"])
@roles_required(Role.PARTICIPANT, *DESK)
def reserve(item_id: int):
    """Reserve the item of this page: a talent for themselves, the desk for a talent or a lab event."""
    item = item_or_404(item_id)
    form = ReserveForm()
    desk = is_desk(current_user, item.territory_id)
    invalid = invalid_message(
        form,
        _("Choose the first and the last day, as valid dates."),
        purpose=too_long(reservations.MAX_PURPOSE),
        talent=too_long(reservations.MAX_TALENT_TEXT),
    )

    def act():
        borrower = reservations.find_talent(current_user, form.talent.data) if desk else current_user
        return reservations.reserve_item(
            current_user,
            item,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            borrower=borrower,
            purpose=form.purpose.data or "",
        )

    return submit_and_return(
        form,
        act,
        lambda r: _("Reserved %(when)s.", when=_range_words(r)),
        redirect(url_for("inventory.item", item_id=item.id) + "#reservations"),
        invalid=invalid,
        refused=redirect(url_for("inventory.item", item_id=item.id)),  # the message is at the top of the page
    )


@bp.route("/lending/reservations/<int:reservation_id>/cancel", methods=["POST"])
@roles_required(Role.PARTICIPANT, *DESK)
def cancel_reservation(reservation_id: int):
    """Cancel a reservation; back to where the button was."""
    try:
        reservation = reservations.get_reservation(reservation_id)
    except DomainError:
        abort(404)
    ensure_territory(current_user, reservation.territory_id)
    if not reservations.can_cancel(current_user, reservation):
        abort(403 if current_user.role in DESK else 404)
    back = safe_next(request.form.get("next")) or url_for("lending.my_reservations")
    return submit_and_return(
        CancelReservationForm(),
        lambda: reservations.cancel_reservation(current_user, reservation),
        _("Reservation cancelled: the days are free again."),
        redirect(back),
        refused=redirect(back.split("#")[0]),  # the message is at the top of the page
    )


@bp.route("/lending/my-reservations")
@roles_required(Role.PARTICIPANT)
def my_reservations():
    """A talent's reservations: coming ones (with a cancel button), then past and cancelled ones."""
    coming, past = reservations.my_reservations(current_user)
    return render_template(
        "lending/my_reservations.html",
        coming=coming,
        past=past,
        today=clock.today(),
        cancel_form=CancelReservationForm(formdata=None),
    )


# --- Calendar ----------------------------------------------------------------------------------------


def _labs():
    stmt = sa.select(Lab).where(Lab.active.is_(True)).order_by(Lab.territory_id, Lab.name)
    scope = territory_scope(current_user)
    if scope is not None:
        stmt = stmt.where(Lab.territory_id == scope)
    return list(db.session.scalars(stmt))


def _chosen_lab(labs: list[Lab]) -> Lab | None:
    if not request.args.get("lab"):
        return labs[0] if labs else None
    lab_id = request.args.get("lab", type=db_id)
    lab = next((lab for lab in labs if lab.id == lab_id), None)
    if lab is None:
        abort(404)
    return lab


def _week(today: date) -> date:
    try:
        day = date.fromisoformat(request.args.get("week", "")[:10])
    except ValueError:
        day = today
    # Keep the navigation within a sensible span (and far from date overflows).
    day = min(max(day, today - timedelta(days=366 * 2)), today + timedelta(days=366 * 2))
    return reservations.week_start(day)


@bp.route("/lending/calendar")
@roles_required(*CALENDAR_ROLES)
def calendar():
    """A lab's reservations for a week: one row per reserved item, one column per day; a list on phones."""
    labs = _labs()
    lab = _chosen_lab(labs)
    today = clock.today()
    monday = _week(today)
    days = [monday + timedelta(days=n) for n in range(7)]
    rows = reservations.lab_week(lab, monday) if lab is not None else []
    return render_template(
        "lending/calendar.html",
        labs=labs,
        lab=lab,
        days=days,
        rows=rows,
        by_day=reservations.by_day(rows),
        today=today,
        previous=(monday - timedelta(days=7)).isoformat(),
        following=(monday + timedelta(days=7)).isoformat(),
        this_week=reservations.week_start(today).isoformat(),
        who=lambda r: reservations.who(r, current_user),
        mine_link=current_user.role == Role.PARTICIPANT,
    )


# --- Lending policies ----------------------------------------------------------------------------------


@bp.route("/lending/policies")
@roles_required(*DESK)
def policies_page():
    """The lab's lending rules per category: own or inherited, with a form to set or clear each."""
    labs = _labs()
    lab = _chosen_lab(labs)
    rows = policies.rules_of_lab(lab) if lab is not None else []
    return render_template(
        "lending/policies.html",
        labs=labs,
        lab=lab,
        rows=rows,
        forms={row.category.id: _policy_form(row) for row in rows},
        clear_form=ClearPolicyForm(formdata=None),
    )


def _policy_form(row) -> PolicyForm:
    form = PolicyForm(formdata=None, prefix=f"c{row.category.id}")
    form.self_service.data = "1" if row.rule.self_service else "0"
    form.default_days.data, form.max_days.data = row.rule.default_days, row.rule.max_days
    return form


def _lab_and_category(lab_id: int, category_id: int) -> tuple[Lab, Category]:
    lab = db.session.get(Lab, lab_id)
    category = db.session.get(Category, category_id)
    if lab is None or category is None:
        abort(404)
    ensure_territory(current_user, lab.territory_id)
    return lab, category


def _back(lab: Lab, category: Category):
    return redirect(url_for("lending.policies_page", lab=lab.id) + f"#category-{category.id}")


def _top(lab: Lab):
    """Where a refusal goes: the top of the page, where its message is."""
    return redirect(url_for("lending.policies_page", lab=lab.id))


@bp.route("/lending/policies/<int:lab_id>/<int:category_id>", methods=["POST"])
@roles_required(*DESK)
def policy_set(lab_id: int, category_id: int):
    """Set the lab's own rule for a category."""
    lab, category = _lab_and_category(lab_id, category_id)
    form = PolicyForm(prefix=f"c{category.id}")
    return submit_and_return(
        form,
        lambda: policies.set_policy(
            current_user,
            lab,
            category,
            self_service=form.self_service.data == "1",
            default_days=form.default_days.data,
            max_days=form.max_days.data,
        ),
        _("Rule saved for %(category)s.", category=category.path),
        _back(lab, category),
        invalid=_("Choose who lends it, and durations between 1 and 365 days."),
        refused=_top(lab),
    )


@bp.route("/lending/policies/<int:lab_id>/<int:category_id>/clear", methods=["POST"])
@roles_required(*DESK)
def policy_clear(lab_id: int, category_id: int):
    """Remove the lab's own rule for a category."""
    lab, category = _lab_and_category(lab_id, category_id)
    return submit_and_return(
        ClearPolicyForm(),
        lambda: policies.clear_policy(current_user, lab, category),
        _("Own rule removed: %(category)s follows the category above again.", category=category.path),
        _back(lab, category),
        refused=_top(lab),
    )
