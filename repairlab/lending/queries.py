"""Read-side queries of lending that other domains, the home page and reporting may call: open loans, late loans,
the desk's lists and counts (no rule, no change)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from repairlab import clock
from repairlab.extensions import db
from repairlab.inventory.models import Item, ProblemReport, ReportStatus
from repairlab.lending.models import Loan
from repairlab.people.models import Lab, User

PAST_LOANS = 20


DESK_ROWS = 20  # per list of the desk (rows past the first screens are not rendered); the full lists: inventory


def days_late(loan: Loan, today: date | None = None) -> int:
    """How many days after its due date an open loan is (0 when not late)."""
    due = loan.due_at.astimezone(clock.LAB_TZ).date()
    return max(0, ((today or clock.today()) - due).days)


def open_loan_count(user: User) -> int:
    """How many items a talent holds now."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Loan.id)).where(Loan.borrower_id == user.id, Loan.returned_at.is_(None))
        )
        or 0
    )


def _with_people(stmt):
    return stmt.options(joinedload(Loan.item), joinedload(Loan.borrower))


# Built once with a bound parameter: the item page runs it on every scan, and building (and hashing) a statement
# cost as much as running it. The item is the caller's own (already in the session): only the borrower is joined.
_OPEN_LOAN = (
    sa.select(Loan)
    .options(joinedload(Loan.borrower))
    .where(Loan.item_id == sa.bindparam("item_id", type_=sa.Integer), Loan.returned_at.is_(None))
)


def open_loan_of(item: Item) -> Loan | None:
    """The item's open loan, with its borrower."""
    return db.session.scalar(_OPEN_LOAN, {"item_id": item.id})


def get_loan(loan_id: int) -> Loan | None:
    """A loan with its item and borrower."""
    return db.session.scalar(_with_people(sa.select(Loan).where(Loan.id == loan_id)))


@dataclass
class DeskLists:
    """The desk's three lists, each cut to its first rows, with the full number of loans in each."""

    overdue: list[Loan]
    due_today: list[Loan]
    out: list[Loan]
    totals: dict[str, int] = field(default_factory=dict)


DESK_BUCKETS = ("overdue", "due_today", "out")


def desk_lists(territory_id: int | None, *, limit: int = DESK_ROWS) -> DeskLists:
    """Open loans of a territory (all for None): overdue, due today and the rest, soonest due first.

    One query, whatever the number of open loans and the territory's history: each list is a range of the partial
    index of open loans by territory and due date, read up to `limit` rows; its full count is a count of the same
    range of that index (no row read). The desk stays light with thousands out.
    """
    today = clock.today()
    start, end = clock.end_of_day(today - timedelta(days=1)), clock.end_of_day(today)
    ranges = (Loan.due_at <= start, sa.and_(Loan.due_at > start, Loan.due_at <= end), Loan.due_at > end)

    def open_loans(*columns):
        stmt = sa.select(*columns).where(Loan.returned_at.is_(None))
        return stmt.where(Loan.territory_id == territory_id) if territory_id is not None else stmt

    # Each list's first rows, soonest due first (a subquery each: SQLite takes no LIMIT in a compound's member).
    firsts = [open_loans(Loan.id).where(r).order_by(Loan.due_at, Loan.id).limit(limit).subquery() for r in ranges]
    totals = [open_loans(sa.func.count()).where(r).scalar_subquery() for r in ranges]
    listed = sa.union_all(*(sa.select(first.c.id) for first in firsts))
    stmt = sa.select(Loan, *totals).where(Loan.id.in_(listed)).order_by(Loan.due_at, Loan.id)
    lists = DeskLists([], [], [], dict.fromkeys(DESK_BUCKETS, 0))
    for loan, *counts in db.session.execute(_with_people(stmt)).unique():
        bucket = 0 if loan.due_at <= start else 1 if loan.due_at <= end else 2
        getattr(lists, DESK_BUCKETS[bucket]).append(loan)
        lists.totals = dict(zip(DESK_BUCKETS, counts, strict=True))
    return lists


def open_reports(territory_id: int | None, *, limit: int = DESK_ROWS) -> list[ProblemReport]:
    """Open problem reports of a territory (all for None), newest first, with their items (one query)."""
    stmt = (
        sa.select(ProblemReport)
        .options(joinedload(ProblemReport.item))
        .where(ProblemReport.status == ReportStatus.OPEN)
        .order_by(ProblemReport.created_at.desc(), ProblemReport.id.desc())
        .limit(limit)
    )
    if territory_id is not None:
        stmt = stmt.where(ProblemReport.territory_id == territory_id)
    return list(db.session.scalars(stmt))


def desk_counts(territory_id: int | None) -> dict[str, int]:
    """How many loans are out, due today and overdue (one query)."""
    today = clock.today()
    start, end = clock.end_of_day(today - timedelta(days=1)), clock.end_of_day(today)
    stmt = sa.select(
        sa.func.count(Loan.id),
        sa.func.count(Loan.id).filter(Loan.due_at > start, Loan.due_at <= end),
        sa.func.count(Loan.id).filter(Loan.due_at <= start),
    ).where(Loan.returned_at.is_(None))
    if territory_id is not None:
        stmt = stmt.where(Loan.territory_id == territory_id)
    out, due_today, overdue = db.session.execute(stmt).one()
    return {"out": out, "due_today": due_today, "overdue": overdue}


def my_loans(user: User) -> tuple[list[Loan], list[Loan]]:
    """A talent's open loans (soonest due first) and their last past loans (two queries)."""
    current = db.session.scalars(
        sa.select(Loan)
        .where(Loan.borrower_id == user.id, Loan.returned_at.is_(None))
        .options(joinedload(Loan.item))
        .order_by(Loan.due_at)
    ).all()
    past = db.session.scalars(
        sa.select(Loan)
        .where(Loan.borrower_id == user.id, Loan.returned_at.is_not(None))
        .options(joinedload(Loan.item))
        .order_by(Loan.returned_at.desc())
        .limit(PAST_LOANS)
    ).all()
    return list(current), list(past)


# Built once: the item page asks it of a talent who may borrow (the scan path).
_LATE_LOANS = (
    sa.select(Loan)
    .where(
        Loan.borrower_id == sa.bindparam("user_id"), Loan.returned_at.is_(None), Loan.due_at <= sa.bindparam("until")
    )
    .options(joinedload(Loan.item))
    .order_by(Loan.due_at, Loan.id)
)


def late_loans(user: User, today: date | None = None) -> list[Loan]:
    """A talent's open loans due before today, with their items, most overdue first (one query)."""
    yesterday = (today or clock.today()) - timedelta(days=1)
    return list(db.session.scalars(_LATE_LOANS, {"user_id": user.id, "until": clock.end_of_day(yesterday)}))


def my_loans_open(user: User) -> list[Loan]:
    """A talent's open loans, soonest due (so overdue) first (one query)."""
    return list(
        db.session.scalars(
            sa.select(Loan)
            .where(Loan.borrower_id == user.id, Loan.returned_at.is_(None))
            .options(joinedload(Loan.item))
            .order_by(Loan.due_at)
        )
    )


def active_labs(territory_id: int | None) -> list[Lab]:
    """The active labs of a territory (all for None), by territory and name: the calendar and rules pages."""
    stmt = sa.select(Lab).where(Lab.active.is_(True)).order_by(Lab.territory_id, Lab.name)
    if territory_id is not None:
        stmt = stmt.where(Lab.territory_id == territory_id)
    return list(db.session.scalars(stmt))
