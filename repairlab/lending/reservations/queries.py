"""Read-side queries of reservations: an item's coming reservations, a talent's, a day's and a lab's week, and who
holds them in the viewer's words (no rule, no change)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, joinedload

from repairlab import clock
from repairlab.auth import STAFF_ROLES, has_role
from repairlab.errors import NotFound
from repairlab.extensions import db
from repairlab.inventory.models import Item
from repairlab.lending.reservations.models import HOLDING, Reservation, ReservationDay, ReservationStatus
from repairlab.people.models import Lab, User

ITEM_ROWS = 10


MY_ROWS = 50


PAST_ROWS = 20


DAY_ROWS = 200


CALENDAR_ROWS = 1000


FREE_SCAN = 400


def words(day: date) -> str:
    """A day in the words of the messages, e.g. "Saturday 14 March"."""
    return format_date(day, "EEEE d MMMM")


def who(reservation: Reservation, viewer: User | None) -> str:
    """For whom an item is reserved, as the viewer may know it: names only for staff."""
    if reservation.is_event:
        return _("a lab event (%(purpose)s)", purpose=reservation.purpose) if reservation.purpose else _("a lab event")
    if viewer is not None and reservation.borrower_id == viewer.id:
        return _("you")
    if has_role(viewer, *STAFF_ROLES) and reservation.borrower is not None:
        return reservation.borrower.full_name
    return _("another talent")


def holding_query(item_id: int, starts_on: date, ends_on: date):
    """The select of the item's reservations holding a day between the two dates, first first (at most ITEM_ROWS)."""
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
    return list(db.session.scalars(holding_query(item_id, starts_on, ends_on)))


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


def reservations_of_day(
    territory_id: int | None, day: date | None = None, *, limit: int = DAY_ROWS
) -> list[Reservation]:
    """The first `limit` reservations holding a day (today by default), in a territory or all (one query, by the
    days' index)."""
    day = day or clock.today()
    held = sa.select(ReservationDay.reservation_id).where(ReservationDay.day == day)
    stmt = (
        sa.select(Reservation)
        .options(joinedload(Reservation.item), joinedload(Reservation.borrower))
        .where(Reservation.id.in_(held))
        .order_by(Reservation.id)
        .limit(limit)
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
