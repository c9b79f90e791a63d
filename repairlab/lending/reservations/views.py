"""Views of reservations: reserve and cancel, my reservations, the lab calendar."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from repairlab import clock
from repairlab.auth import ensure_territory, roles_required
from repairlab.errors import DomainError
from repairlab.lending import bp
from repairlab.lending.access import is_desk
from repairlab.lending.reservations import queries, services
from repairlab.lending.reservations.forms import CancelReservationForm, ReserveForm
from repairlab.lending.views import chosen_lab, invalid_message, item_or_404, labs_in_scope, too_long
from repairlab.people.models import Role
from repairlab.web import safe_next, submit_and_return

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
        purpose=too_long(services.MAX_PURPOSE),
        talent=too_long(services.MAX_TALENT_TEXT),
    )

    def act():
        borrower = services.find_talent(current_user, form.talent.data) if desk else current_user
        return services.reserve_item(
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
        reservation = queries.get_reservation(reservation_id)
    except DomainError:
        abort(404)
    ensure_territory(current_user, reservation.territory_id)
    if not services.can_cancel(current_user, reservation):
        abort(403 if current_user.role in DESK else 404)
    back = safe_next(request.form.get("next")) or url_for("lending.my_reservations")
    return submit_and_return(
        CancelReservationForm(),
        lambda: services.cancel_reservation(current_user, reservation),
        _("Reservation cancelled: the days are free again."),
        redirect(back),
        refused=redirect(back.split("#")[0]),  # the message is at the top of the page
    )


@bp.route("/lending/my-reservations")
@roles_required(Role.PARTICIPANT)
def my_reservations():
    """A talent's reservations: coming ones (with a cancel button), then past and cancelled ones."""
    coming, past = queries.my_reservations(current_user)
    return render_template(
        "lending/my_reservations.html",
        coming=coming,
        past=past,
        today=clock.today(),
        cancel_form=CancelReservationForm(formdata=None),
    )


# --- Calendar ----------------------------------------------------------------------------------------


def _week(today: date) -> date:
    try:
        day = date.fromisoformat(request.args.get("week", "")[:10])
    except ValueError:
        day = today
    # Keep the navigation within a sensible span (and far from date overflows).
    day = min(max(day, today - timedelta(days=366 * 2)), today + timedelta(days=366 * 2))
    return queries.week_start(day)


@bp.route("/lending/calendar")
@roles_required(*CALENDAR_ROLES)
def calendar():
    """A lab's reservations for a week: one row per reserved item, one column per day; a list on phones."""
    labs = labs_in_scope()
    lab = chosen_lab(labs)
    today = clock.today()
    monday = _week(today)
    days = [monday + timedelta(days=n) for n in range(7)]
    rows = queries.lab_week(lab, monday) if lab is not None else []
    return render_template(
        "lending/calendar.html",
        labs=labs,
        lab=lab,
        days=days,
        rows=rows,
        by_day=queries.by_day(rows),
        today=today,
        previous=(monday - timedelta(days=7)).isoformat(),
        following=(monday + timedelta(days=7)).isoformat(),
        this_week=queries.week_start(today).isoformat(),
        who=lambda r: queries.who(r, current_user),
        mine_link=current_user.role == Role.PARTICIPANT,
    )
