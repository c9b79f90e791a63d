"""Use cases of reservations: reserve an item for some days (never two on the same day), cancel, and the rule that a
loan respects someone else's reservation."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from repairlab import clock
from repairlab.audit.services import record
from repairlab.auth import can_access_territory, has_role
from repairlab.clock import utcnow
from repairlab.database import flush_or_conflict, lock_row
from repairlab.errors import Conflict, NotFound, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.inventory.models import Item, ItemKind, ItemStatus
from repairlab.inventory.requirements import may_use_item
from repairlab.lending.access import check_borrower, is_desk
from repairlab.lending.cards import find_card
from repairlab.lending.models import Loan, LoanKind
from repairlab.lending.policies import desk_only_message, rule_for_item
from repairlab.lending.reservations.models import Reservation, ReservationDay, ReservationStatus
from repairlab.lending.reservations.queries import free_from, holding_query, overlapping, who, words
from repairlab.people.models import Role, User
from repairlab.text import clean_text

MAX_PURPOSE = 200


MAX_TALENT_TEXT = 254  # an e-mail address at most


def can_cancel(user: User | None, reservation: Reservation) -> bool:
    """The person it is for, the person who made it, or the desk of its territory."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    return user.id in (reservation.borrower_id, reservation.reserved_by_id) or is_desk(user, reservation.territory_id)


def find_talent(actor: User, text: str) -> User | None:
    """The person a desk names by member card or e-mail; None for an empty text (a lab event)."""
    text = (text or "").strip()
    if not text:
        return None
    user = None
    if "@" in text and "/" not in text:
        user = db.session.scalar(sa.select(User).where(User.email == text.lower()[:MAX_TALENT_TEXT]))
    else:
        card = find_card(text)
        user = card.user if card is not None else None
    if user is None or not can_access_territory(actor, user.territory_id):
        raise NotFound(_("No talent has this member card or e-mail. Check it and try again."), field="talent")
    return user


def _check_dates(starts_on: date | None, ends_on: date | None, today: date) -> None:
    if starts_on is None:
        raise ValidationError(_("Choose the first day."), field="starts_on")
    if ends_on is None:
        raise ValidationError(_("Choose the last day."), field="ends_on")
    if starts_on < today:
        raise ValidationError(_("The first day cannot be in the past."), field="starts_on")
    if ends_on < starts_on:
        raise ValidationError(_("The last day cannot be before the first day."), field="ends_on")
    ahead = current_app.config["RESERVATION_MAX_AHEAD_DAYS"]
    if starts_on > today + timedelta(days=ahead):
        raise ValidationError(
            ngettext(
                "An item is reserved at most %(num)d day ahead.",
                "An item is reserved at most %(num)d days ahead.",
                ahead,
            ),
            field="starts_on",
        )
    longest = current_app.config["RESERVATION_MAX_DAYS"]
    if (ends_on - starts_on).days + 1 > longest:
        raise ValidationError(
            ngettext("A reservation lasts %(num)d day at most.", "A reservation lasts %(num)d days at most.", longest),
            field="ends_on",
        )


def _check_borrower(actor: User, item: Item, borrower: User | None, desk: bool) -> None:
    if not desk:
        if borrower is None or borrower.id != actor.id:
            raise PermissionDenied(_("Only a lab manager reserves an item for someone else or for a lab event."))
        if not (has_role(actor, Role.PARTICIPANT) and can_access_territory(actor, item.territory_id)):
            raise PermissionDenied(_("Only talents of this lab reserve its tools."))
        return
    if borrower is None:
        return
    if borrower.role != Role.PARTICIPANT:
        raise ValidationError(_("Tools are reserved for talents or for a lab event only."), field="talent")
    check_borrower(item, borrower, "talent")


def reserve_item(
    actor: User,
    item: Item,
    *,
    starts_on: date | None,
    ends_on: date | None,
    borrower: User | None,
    purpose: str = "",
) -> Reservation:
    """Reserve an item for some days: a talent for themselves (self-service tools they may use), the desk for a
    talent of its territory or for a lab event. Two reservations never share a day: the database refuses it."""
    desk = is_desk(actor, item.territory_id)
    _check_borrower(actor, item, borrower, desk)
    if item.kind != ItemKind.TOOL:
        raise ValidationError(_("Only tools and equipment are reserved; this is not one."))
    if item.status == ItemStatus.RETIRED:
        raise Conflict(_("This tool is retired: it cannot be reserved."))
    today = clock.today()
    _check_dates(starts_on, ends_on, today)
    purpose = clean_text(purpose, field="purpose", limit=MAX_PURPOSE)
    if borrower is None and not purpose:
        raise ValidationError(_("Say what the lab event is, e.g. repair café."), field="purpose")
    if not desk:
        rule = rule_for_item(item)
        if not rule.self_service:
            raise PermissionDenied(desk_only_message(rule))
        decision = may_use_item(borrower, item)
        if not decision.allowed:
            raise PermissionDenied(" ".join(reason.message for reason in decision.reasons))
    lock_row(Item.notes, item.id)  # a loan of this item at the same instant waits for us, and we for it
    loan = db.session.scalar(sa.select(Loan).where(Loan.item_id == item.id, Loan.returned_at.is_(None)))
    if loan is not None and (borrower is None or loan.borrower_id != borrower.id):
        back = max(loan.due_at.astimezone(clock.LAB_TZ).date(), today)
        if starts_on <= back:
            raise Conflict(
                _(
                    "It is on loan until %(date)s: reserve it from %(next)s.",
                    date=words(loan.due_at.astimezone(clock.LAB_TZ).date()),
                    next=words(back + timedelta(days=1)),
                ),
                field="starts_on",
            )
    clash = overlapping(item.id, starts_on, ends_on)
    if clash:
        first = clash[0]
        free = words(free_from(item.id, first.starts_on))
        if first.starts_on == first.ends_on:
            message = _(
                "Already reserved on %(date)s for %(who)s. It is free again from %(free)s.",
                date=words(first.starts_on),
                who=who(first, actor),
                free=free,
            )
        else:
            message = _(
                "Already reserved from %(start)s to %(end)s for %(who)s. It is free again from %(free)s.",
                start=words(first.starts_on),
                end=words(first.ends_on),
                who=who(first, actor),
                free=free,
            )
        raise Conflict(message, field="starts_on")
    reservation = Reservation(
        item_id=item.id,
        territory_id=item.territory_id,
        borrower_id=borrower.id if borrower is not None else None,
        reserved_by_id=actor.id,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=purpose,
        status=ReservationStatus.ACTIVE,
    )
    with db.session.begin_nested():  # the reservation and its days, written (or refused) together
        db.session.add(reservation)
        db.session.flush()
        days = (ends_on - starts_on).days + 1
        db.session.add_all(
            ReservationDay(item_id=item.id, day=starts_on + timedelta(days=n), reservation_id=reservation.id)
            for n in range(days)
        )
        # The primary key (item, day) decides when two people reserve the same days at the same instant.
        flush_or_conflict(
            _("Someone has just reserved some of these days. Look at the calendar and choose other days."),
            field="starts_on",
        )
    reservation.item = item
    record(
        actor,
        "reserve",
        reservation,
        after={
            "item": item.code,
            "borrower": reservation.borrower_id,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "purpose": purpose,
        },
        label=f"{item.code} {item.name}",
    )
    return reservation


def cancel_reservation(actor: User, reservation: Reservation) -> Reservation:
    """Cancel a reservation that is not picked up yet: its days are free again; it stays in the history."""
    if not can_cancel(actor, reservation):
        raise PermissionDenied(_("Only the person it is for, who made it, or a lab manager cancels a reservation."))
    if reservation.status == ReservationStatus.CANCELLED:
        raise Conflict(_("This reservation is already cancelled."))
    if reservation.status == ReservationStatus.FULFILLED:
        raise Conflict(_("This reservation has been picked up: give the tool back instead."))
    if reservation.ends_on < clock.today():
        raise Conflict(_("This reservation is over."))
    result = db.session.execute(
        sa.update(Reservation)
        .where(Reservation.id == reservation.id, Reservation.status == ReservationStatus.ACTIVE)
        .values(status=ReservationStatus.CANCELLED, cancelled_at=utcnow(), cancelled_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("This reservation has just changed. Look at it again."))
    db.session.execute(sa.delete(ReservationDay).where(ReservationDay.reservation_id == reservation.id))
    db.session.refresh(reservation)
    record(
        actor,
        "cancel_reservation",
        reservation,
        before={"status": ReservationStatus.ACTIVE},
        after={"status": ReservationStatus.CANCELLED},
        label=f"{reservation.item.code} {reservation.item.name}",
    )
    return reservation


def reservations_for_loan(
    actor: User, item: Item, borrower: User, *, kind: LoanKind, due_on: date, desk: bool
) -> list[Reservation]:
    """Refuse a loan that takes someone else's reserved day; return the borrower's own reservation of today,
    which the loan fulfils (one query)."""
    today = clock.today()
    own = []
    # The borrower's own later reservations do not matter: left out in the query, so that however many they hold,
    # the first reservation of someone else in the loan's days is always among the rows read.
    stmt = holding_query(item.id, today, due_on).where(
        sa.or_(
            Reservation.borrower_id.is_(None),
            Reservation.borrower_id != borrower.id,
            sa.and_(Reservation.status == ReservationStatus.ACTIVE, Reservation.starts_on <= today),
        )
    )
    for reservation in db.session.scalars(stmt):
        if reservation.borrower_id == borrower.id:
            if reservation.status == ReservationStatus.ACTIVE and reservation.starts_on <= today:
                own.append(reservation)
            continue
        if reservation.starts_on <= today:
            if reservation.is_event and desk and kind == LoanKind.IN_LAB:
                continue  # the desk lends it in the lab during the event
            raise Conflict(
                _(
                    "This tool is reserved today for %(who)s, until %(date)s. It is free again from %(free)s.",
                    who=who(reservation, actor),
                    date=words(reservation.ends_on),
                    free=words(free_from(item.id, today)),
                )
            )
        raise Conflict(
            _(
                "This tool is reserved from %(date)s for %(who)s: bring it back by %(last)s at the latest.",
                date=words(reservation.starts_on),
                who=who(reservation, actor),
                last=words(reservation.starts_on - timedelta(days=1)),
            ),
            field="due_on",
        )
    return own
