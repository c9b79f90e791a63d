"""Reservations: an item reserved for a range of days, for a talent or a lab event; never two on the same day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, joinedload

from repairlab import clock
from repairlab.audit.services import record
from repairlab.auth import STAFF_ROLES, can_access_territory, has_role
from repairlab.errors import Conflict, NotFound, PermissionDenied, ValidationError
from repairlab.extensions import db, utcnow
from repairlab.inventory.models import Item, ItemKind, ItemStatus
from repairlab.inventory.requirements import may_use_item
from repairlab.inventory.services import plain_text
from repairlab.lending.models import HOLDING, Loan, LoanKind, Reservation, ReservationDay, ReservationStatus
from repairlab.lending.policies import rule_for_item
from repairlab.lending.services import check_borrower, desk_only_message, is_desk, lock_row
from repairlab.people.models import Lab, Role, User

MAX_PURPOSE = 200
MAX_TALENT_TEXT = 254  # an e-mail address at most
ITEM_ROWS = 10
MY_ROWS = 50
PAST_ROWS = 20
DAY_ROWS = 200
CALENDAR_ROWS = 1000
FREE_SCAN = 400


def _words(day: date) -> str:
    return format_date(day, "EEEE d MMMM")


# --- Words ------------------------------------------------------------------------------------------


def who(reservation: Reservation, viewer: User | None) -> str:
    """For whom an item is reserved, as the viewer may know it: names only for staff."""
    if reservation.is_event:
        return _("a lab event (%(purpose)s)", purpose=reservation.purpose) if reservation.purpose else _("a lab event")
    if viewer is not None and reservation.borrower_id == viewer.id:
        return _("you")
    if has_role(viewer, *STAFF_ROLES) and reservation.borrower is not None:
        return reservation.borrower.full_name
    return _("another talent")


def can_cancel(user: User | None, reservation: Reservation) -> bool:
    """The person it is for, the person who made it, or the desk of its territory."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    return user.id in (reservation.borrower_id, reservation.reserved_by_id) or is_desk(user, reservation.territory_id)


# --- Reserving -------------------------------------------------------------------------------------


def find_talent(actor: User, text: str) -> User | None:
    """The person a desk names by member card or e-mail; None for an empty text (a lab event)."""
    from repairlab.lending.services import find_card

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


def _holding(item_id: int, starts_on: date, ends_on: date):
    return (
        sa.select(Reservation)
        .options(joinedload(Reservation.borrower))
        .where(
            Reservation.item_id == item_id,
            Reservation.status.in_(HOLDING),
            Reservation.starts_on <= ends_on,
            Reservation.ends_on >= starts_on,
        )
        .order_by(Reservation.starts_on)
        .limit(ITEM_ROWS)
    )


def overlapping(item_id: int, starts_on: date, ends_on: date) -> list[Reservation]:
    """The item's reservations holding a day between the two dates, first first (one query)."""
    return list(db.session.scalars(_holding(item_id, starts_on, ends_on)))


def free_from(item_id: int, day: date) -> date:
    """The first day from `day` on that no reservation holds (one query)."""
    held = db.session.scalars(
        sa.select(ReservationDay.day)
        .where(ReservationDay.item_id == item_id, ReservationDay.day >= day)
        .order_by(ReservationDay.day)
        .limit(FREE_SCAN)
    )
    for reserved in held:
        if reserved != day:
            break
        day += timedelta(days=1)
    return day


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
    purpose = plain_text(purpose or "").strip()[:MAX_PURPOSE]
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
                    date=_words(loan.due_at.astimezone(clock.LAB_TZ).date()),
                    next=_words(back + timedelta(days=1)),
                ),
                field="starts_on",
            )
    clash = overlapping(item.id, starts_on, ends_on)
    if clash:
        first = clash[0]
        free = _words(free_from(item.id, first.starts_on))
        if first.starts_on == first.ends_on:
            message = _(
                "Already reserved on %(date)s for %(who)s. It is free again from %(free)s.",
                date=_words(first.starts_on),
                who=who(first, actor),
                free=free,
            )
        else:
            message = _(
                "Already reserved from %(start)s to %(end)s for %(who)s. It is free again from %(free)s.",
                start=_words(first.starts_on),
                end=_words(first.ends_on),
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
    db.session.add(reservation)
    try:
        db.session.flush()
        days = (ends_on - starts_on).days + 1
        db.session.add_all(
            ReservationDay(item_id=item.id, day=starts_on + timedelta(days=n), reservation_id=reservation.id)
            for n in range(days)
        )
        # The primary key (item, day) decides when two people reserve the same days at the same instant.
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise Conflict(
            _("Someone has just reserved some of these days. Look at the calendar and choose other days."),
            field="starts_on",
        ) from None
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


# --- Lending respects reservations -----------------------------------------------------------------


def reservations_for_loan(
    actor: User, item: Item, borrower: User, *, kind: LoanKind, due_on: date, desk: bool
) -> list[Reservation]:
    """Refuse a loan that takes someone else's reserved day; return the borrower's own reservation of today,
    which the loan fulfils (one query)."""
    today = clock.today()
    own = []
    # The borrower's own later reservations do not matter: left out in the query, so that however many they hold,
    # the first reservation of someone else in the loan's days is always among the rows read.
    stmt = _holding(item.id, today, due_on).where(
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
                    date=_words(reservation.ends_on),
                    free=_words(free_from(item.id, today)),
                )
            )
        raise Conflict(
            _(
                "This tool is reserved from %(date)s for %(who)s: bring it back by %(last)s at the latest.",
                date=_words(reservation.starts_on),
                who=who(reservation, actor),
                last=_words(reservation.starts_on - timedelta(days=1)),
            ),
            field="due_on",
        )
    return own


# --- Queries ---------------------------------------------------------------------------------------


def get_reservation(reservation_id: int) -> Reservation:
    """A reservation with its item and people, or NotFound."""
    reservation = db.session.scalar(
        sa.select(Reservation)
        .options(joinedload(Reservation.item), joinedload(Reservation.borrower))
        .where(Reservation.id == reservation_id)
    )
    if reservation is None:
        raise NotFound(_("No such reservation."))
    return reservation


# Built once with bound parameters: the item page runs it on every scan, and building (and hashing) a statement
# cost as much as running it.
_UPCOMING = (
    sa.select(Reservation)
    .options(joinedload(Reservation.borrower))
    .where(
        Reservation.item_id == sa.bindparam("item_id", type_=sa.Integer),
        # The statuses written out: a bound list would be expanded into the SQL text again on every run.
        Reservation.status.in_([sa.literal_column(f"'{status.value}'") for status in HOLDING]),
        Reservation.ends_on >= sa.bindparam("today", type_=sa.Date),
    )
    .order_by(Reservation.starts_on)
    .limit(sa.bindparam("rows", type_=sa.Integer))
)


def upcoming_of_item(item: Item, today: date | None = None) -> list[Reservation]:
    """The item's reservations from today on, with their holders (one query)."""
    params = {"item_id": item.id, "today": today or clock.today(), "rows": ITEM_ROWS}
    return list(db.session.scalars(_UPCOMING, params))


@dataclass
class ItemOutlook:
    """What the item page needs to know about reservations for a borrower."""

    today: Reservation | None  # someone else's reservation of today
    mine_today: Reservation | None
    next_other: Reservation | None  # the next reservation of someone else, after today

    def latest_due(self) -> date | None:
        """The last day a take-home loan may run to before someone else's reservation."""
        return self.next_other.starts_on - timedelta(days=1) if self.next_other else None


def outlook(upcoming: list[Reservation], viewer: User, today: date) -> ItemOutlook:
    """Read a borrower's situation from the item's upcoming reservations (no query)."""
    now = [r for r in upcoming if r.starts_on <= today]
    later = [r for r in upcoming if r.starts_on > today and r.borrower_id != viewer.id]
    other_now = next((r for r in now if r.borrower_id != viewer.id), None)
    mine_now = next((r for r in now if r.borrower_id == viewer.id), None)
    return ItemOutlook(other_now, mine_now, later[0] if later else None)


def coming_reservations(user: User, today: date | None = None) -> list[Reservation]:
    """A talent's coming reservations, soonest first (one query)."""
    today = today or clock.today()
    return list(
        db.session.scalars(
            sa.select(Reservation)
            .options(joinedload(Reservation.item))
            .where(
                Reservation.borrower_id == user.id,
                Reservation.ends_on >= today,
                Reservation.status.in_(HOLDING),
            )
            .order_by(Reservation.starts_on)
            .limit(MY_ROWS)
        )
    )


def my_reservations(user: User, today: date | None = None) -> tuple[list[Reservation], list[Reservation]]:
    """A talent's coming reservations (soonest first) and their last past or cancelled ones (two queries)."""
    today = today or clock.today()
    past = db.session.scalars(
        sa.select(Reservation)
        .options(joinedload(Reservation.item))
        .where(
            Reservation.borrower_id == user.id,
            sa.or_(Reservation.ends_on < today, Reservation.status == ReservationStatus.CANCELLED),
        )
        .order_by(Reservation.starts_on.desc())
        .limit(PAST_ROWS)
    ).all()
    return coming_reservations(user, today), list(past)


def reservations_of_day(territory_id: int | None, day: date | None = None) -> list[Reservation]:
    """The reservations holding a day (today by default), in a territory or all (one query, by the days' index)."""
    day = day or clock.today()
    held = sa.select(ReservationDay.reservation_id).where(ReservationDay.day == day)
    stmt = (
        sa.select(Reservation)
        .options(joinedload(Reservation.item), joinedload(Reservation.borrower))
        .where(Reservation.id.in_(held))
        .order_by(Reservation.id)
        .limit(DAY_ROWS)
    )
    if territory_id is not None:
        stmt = stmt.where(Reservation.territory_id == territory_id)
    return list(db.session.scalars(stmt))


def week_start(day: date) -> date:
    """The Monday of a day's week."""
    return day - timedelta(days=day.weekday())


@dataclass
class CalendarRow:
    """One reserved item of the week, and what holds each of its seven days (None: free)."""

    item: Item
    cells: list[Reservation | None]


def lab_week(lab: Lab, monday: date) -> list[CalendarRow]:
    """The lab's reserved items over a week, one row each, by code (one query)."""
    sunday = monday + timedelta(days=6)
    # Driven by the week's reserved days (the day index), never by the lab's whole inventory: the territory's
    # reservations of the week are few, and the lab is picked among them here.
    held = sa.select(ReservationDay.reservation_id).where(ReservationDay.day.between(monday, sunday))
    # The lab is chosen in the query (not after the cut), so that a busy territory never hides this lab's rows.
    reservations = db.session.scalars(
        sa.select(Reservation)
        .join(Reservation.item)
        .options(contains_eager(Reservation.item), joinedload(Reservation.borrower))
        .where(Reservation.id.in_(held), Reservation.territory_id == lab.territory_id, Item.lab_id == lab.id)
        .order_by(Item.code, Reservation.starts_on)
        .limit(CALENDAR_ROWS)
    ).all()
    rows: dict[int, CalendarRow] = {}
    for reservation in reservations:
        row = rows.setdefault(reservation.item_id, CalendarRow(reservation.item, [None] * 7))
        for n in range(7):
            if reservation.starts_on <= monday + timedelta(days=n) <= reservation.ends_on:
                row.cells[n] = reservation
    return list(rows.values())


def by_day(rows: list[CalendarRow]) -> list[list[tuple[Item, Reservation]]]:
    """The week's calendar turned day by day, for narrow screens: each day's reserved items and what holds them."""
    return [[(row.item, row.cells[n]) for row in rows if row.cells[n] is not None] for n in range(7)]
