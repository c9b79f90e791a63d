"""Read-side queries of repairs: the ticket list and its filters, the desk's queues, and the impact figures (repair
rate, waste and CO2e prevented) by lab, territory, event, talent, category and month.

Every figure is one SQL aggregate over the per-ticket figures stored when a ticket was closed
(`waste_prevented_kg`, `co2e_prevented_kg`), so a page costs the same few queries whatever the number of tickets.
Other domains, the home page and reporting may call these functions.

The repair rate is the Restart Project's: fixed / (fixed + repairable + end of life). Tickets with no outcome yet
or an `Unknown` one are counted but left out of the rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy.orm import joinedload, selectinload

from repairlab.charts import Chart, line_chart
from repairlab.dates import parse_day
from repairlab.extensions import db
from repairlab.freshness import remember
from repairlab.inventory.codes import code_readings
from repairlab.pagination import Listing
from repairlab.people.models import Lab, Role, Territory, User
from repairlab.repairs.categories import category_label  # noqa: F401  (for reporting, which reads only queries)
from repairlab.repairs.impact import repair_rate
from repairlab.repairs.models import (
    OPEN_TICKET,
    SEARCH_INDEX,
    DutyRole,
    ImpactConstant,
    Outcome,
    RepairCategory,
    RepairEvent,
    RepairEventStaff,
    RepairPartUse,
    RepairStatusChange,
    RepairTicket,
    RepairToolUse,
    RepairWork,
    TicketStatus,
)
from repairlab.web import db_id

T = RepairTicket

# --- Impact figures ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """The repair figures of a set of tickets."""

    tickets: int = 0
    fixed: int = 0
    repairable: int = 0
    end_of_life: int = 0
    unknown: int = 0
    waste_kg: Decimal = Decimal(0)
    co2e_kg: Decimal = Decimal(0)
    minutes: int = 0  # the talents' time (only in the figures by talent)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.tickets + other.tickets,
            self.fixed + other.fixed,
            self.repairable + other.repairable,
            self.end_of_life + other.end_of_life,
            self.unknown + other.unknown,
            self.waste_kg + other.waste_kg,
            self.co2e_kg + other.co2e_kg,
            self.minutes + other.minutes,
        )

    @property
    def decided(self) -> int:
        """Tickets whose outcome counts in the repair rate."""
        return self.fixed + self.repairable + self.end_of_life

    @property
    def open(self) -> int:
        """Tickets with no outcome yet."""
        return self.tickets - self.decided - self.unknown

    @property
    def rate(self) -> Decimal | None:
        """The repair rate, from 0 to 1 (None with no decided ticket)."""
        return repair_rate(self.fixed, self.repairable, self.end_of_life)

    @property
    def percent(self) -> int | None:
        """The repair rate in whole percent, rounded half up."""
        rate = self.rate
        return None if rate is None else int((rate * 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def _count(outcome: Outcome):
    return sa.func.count(sa.case((T.outcome == outcome, 1)))


def _figures(ticket_count=None) -> list:
    """The aggregate columns of Figures, in its order (the ticket count may be a DISTINCT one)."""
    return [
        ticket_count if ticket_count is not None else sa.func.count(T.id),
        _count(Outcome.FIXED),
        _count(Outcome.REPAIRABLE),
        _count(Outcome.END_OF_LIFE),
        _count(Outcome.UNKNOWN),
        sa.func.coalesce(sa.func.sum(T.waste_prevented_kg), 0),
        sa.func.coalesce(sa.func.sum(T.co2e_prevented_kg), 0),
    ]


def _figures_of(row, minutes: int = 0) -> Figures:
    tickets, fixed, repairable, eol, unknown, waste, co2e = row
    return Figures(
        tickets=tickets,
        fixed=fixed,
        repairable=repairable,
        end_of_life=eol,
        unknown=unknown,
        waste_kg=Decimal(waste).quantize(Decimal("0.001")),
        co2e_kg=Decimal(co2e).quantize(Decimal("0.001")),
        minutes=int(minutes or 0),
    )


@dataclass(frozen=True)
class Scope:
    """Which tickets a figure counts: a lab's history and desk tickets (never partners' reference data), limited to
    a territory, a lab or an event, and to a period of event dates."""

    territory_id: int | None = None
    lab_id: int | None = None
    event_id: int | None = None
    start: date | None = None
    end: date | None = None  # inclusive

    def where(self) -> list:
        """The conditions on repair_tickets (a territory, lab or event implies a lab: reference data has none)."""
        conditions = [] if (self.territory_id or self.lab_id or self.event_id) else [T.lab_id.is_not(None)]
        if self.territory_id is not None:
            conditions.append(T.territory_id == self.territory_id)
        if self.lab_id is not None:
            conditions.append(T.lab_id == self.lab_id)
        if self.event_id is not None:
            conditions.append(T.event_id == self.event_id)
        if self.start is not None:
            conditions.append(T.event_date >= self.start)
        if self.end is not None:
            conditions.append(T.event_date <= self.end)
        return conditions


def figures(scope: Scope) -> Figures:
    """The figures of every ticket in the scope (one query)."""
    return _figures_of(db.session.execute(sa.select(*_figures()).where(*scope.where())).one())


def event_totals(event_id: int) -> Figures:
    """A repair event's own figures, for its page (`templates/repairs/_event_totals.html`; one query)."""
    return figures(Scope(event_id=event_id))


@dataclass(frozen=True)
class Row:
    """One line of a table of figures: what it is about (an id and a label) and its figures."""

    key: object
    label: str
    figures: Figures


def impact_by_lab(scope: Scope) -> list[Row]:
    """The figures per lab, by lab name (one query)."""
    stmt = (
        sa.select(Lab.id, Lab.name, *_figures())
        .join(Lab, Lab.id == T.lab_id)
        .where(*scope.where())
        .group_by(Lab.id, Lab.name)
        .order_by(Lab.name, Lab.id)
    )
    return [Row(r[0], r[1], _figures_of(r[2:])) for r in db.session.execute(stmt)]


def impact_by_territory(scope: Scope) -> list[Row]:
    """The figures per territory, by name (one query)."""
    stmt = (
        sa.select(Territory.id, Territory.name, *_figures())
        .join(Territory, Territory.id == T.territory_id)
        .where(*scope.where())
        .group_by(Territory.id, Territory.name)
        .order_by(Territory.name, Territory.id)
    )
    return [Row(r[0], r[1], _figures_of(r[2:])) for r in db.session.execute(stmt)]


def impact_by_category(scope: Scope) -> list[Row]:
    """The figures per ORDS category, most tickets first (one query); labels are the ORDS names in English, which
    the page translates."""
    stmt = (
        sa.select(RepairCategory.id, RepairCategory.name, *_figures())
        .join(RepairCategory, RepairCategory.id == T.category_id)
        .where(*scope.where())
        .group_by(RepairCategory.id, RepairCategory.name)
        .order_by(sa.func.count(T.id).desc(), RepairCategory.name)
    )
    return [Row(r[0], r[1], _figures_of(r[2:])) for r in db.session.execute(stmt)]


def impact_by_event(scope: Scope, limit: int = 24) -> list[Row]:
    """The figures of the latest repair events in the scope, latest first (one query)."""
    stmt = (
        sa.select(RepairEvent.id, RepairEvent.title, RepairEvent.day, *_figures())
        .join(RepairEvent, RepairEvent.id == T.event_id)
        .where(*scope.where())
        .group_by(RepairEvent.id, RepairEvent.title, RepairEvent.day)
        .order_by(RepairEvent.day.desc(), RepairEvent.id.desc())
        .limit(limit)
    )
    return [Row((r[0], r[2]), r[1], _figures_of(r[3:])) for r in db.session.execute(stmt)]


def impact_by_talent(scope: Scope, limit: int = 40) -> list[Row]:
    """The figures of the tickets each talent worked on (a ticket counts once per talent, whatever the number of
    work entries) with their minutes: the `limit` talents with the most tickets, then by name (one query). Names:
    for staff only."""
    work = (
        sa.select(
            RepairWork.ticket_id.label("ticket_id"),
            RepairWork.talent_id.label("talent_id"),
            sa.func.sum(RepairWork.minutes).label("minutes"),
        )
        .join(T, T.id == RepairWork.ticket_id)
        .where(*scope.where())
        .group_by(RepairWork.ticket_id, RepairWork.talent_id)
        .subquery()
    )
    stmt = (
        sa.select(User.id, User.full_name, *_figures(), sa.func.coalesce(sa.func.sum(work.c.minutes), 0))
        .select_from(T)
        .join(work, work.c.ticket_id == T.id)
        .join(User, User.id == work.c.talent_id)
        .where(*scope.where())
        .group_by(User.id, User.full_name)
        .order_by(sa.func.count(T.id).desc(), User.full_name, User.id)
        .limit(limit)
    )
    rows = [Row(r[0], r[1], _figures_of(r[2:9], r[9])) for r in db.session.execute(stmt)]
    return sorted(rows, key=lambda row: (row.label, row.key))


def impact_by_month(scope: Scope) -> list[Row]:
    """The figures per calendar month of the event dates, oldest first (one query); the key is the month's first
    day."""
    year = sa.extract("year", T.event_date)
    month = sa.extract("month", T.event_date)
    stmt = sa.select(year, month, *_figures()).where(*scope.where()).group_by(year, month).order_by(year, month)
    rows = []
    for r in db.session.execute(stmt):
        first = date(int(r[0]), int(r[1]), 1)
        rows.append(Row(first, first.isoformat()[:7], _figures_of(r[2:])))
    return rows


def last_months(today: date, count: int = 12) -> tuple[date, date]:
    """The first day of the month `count - 1` months before today's, and today: a year of months with this one."""
    year, month = today.year, today.month - (count - 1)
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, 1), today


def monthly_chart(rows: list[Row], start: date, end: date, metric: str = "waste_kg") -> Chart | None:
    """The months from start to end (months without a repair at zero) on a small line chart of one figure; None
    when no month has a ticket."""
    if not any(row.figures.tickets for row in rows):
        return None
    by_month = {row.key: row.figures for row in rows}
    entries = []
    day = date(start.year, start.month, 1)
    while day <= end:
        figures = by_month.get(day, Figures())
        entries.append((day, Decimal(getattr(figures, metric))))
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return line_chart(entries)


@dataclass
class FiguresPage:
    """Everything an impact page (of a lab or a territory) shows."""

    total: Figures
    year: Figures
    months: list[Row]
    chart: Chart | None
    start: date
    end: date
    labs: list[Row] = field(default_factory=list)
    categories: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    talents: list[Row] = field(default_factory=list)


def impact_page(scope: Scope, today: date, *, per_lab: bool, names: bool) -> FiguresPage:
    """impact_page_figures(), computed once and reused by every worker until a table they were computed from
    changes (a ticket, a lab's name, a talent's name, a constant): one query to check, whatever the number of
    tickets (repairlab/freshness.py)."""
    key = ("impact", scope, today, per_lab, names, str(get_locale()))
    return remember(key, lambda: impact_page_figures(scope, today, per_lab=per_lab, names=names))


def impact_page_figures(scope: Scope, today: date, *, per_lab: bool, names: bool) -> FiguresPage:
    """The figures of a lab's or a territory's page: all time, the last twelve months month by month (with a chart
    of the waste prevented), per lab (a territory's page) and category; the latest events and (for staff: names)
    the talents of the last twelve months.

    One grouped scan of the tickets (on the covering index `ix_repair_tickets_figures`) gives the totals, the
    months, the labs and the categories, added up here; then the events, the talents, and the names: six queries."""
    start, end = last_months(today)
    recent_scope = Scope(scope.territory_id, scope.lab_id, scope.event_id, start, end)
    year, month = sa.extract("year", T.event_date), sa.extract("month", T.event_date)
    stmt = (
        sa.select(T.lab_id, T.category_id, year, month, *_figures())
        .where(*scope.where())
        .group_by(T.lab_id, T.category_id, year, month)
    )
    total, recent = Figures(), Figures()
    by_lab: dict[int, Figures] = {}
    by_category: dict[int, Figures] = {}
    by_month: dict[date, Figures] = {}
    for row in db.session.execute(stmt):
        lab_id, category_id, first = row[0], row[1], date(int(row[2]), int(row[3]), 1)
        f = _figures_of(row[4:])
        total += f
        by_lab[lab_id] = by_lab.get(lab_id, Figures()) + f
        by_category[category_id] = by_category.get(category_id, Figures()) + f
        if start <= first <= end:
            recent += f
            by_month[first] = by_month.get(first, Figures()) + f
    months = [Row(key, key.isoformat()[:7], by_month[key]) for key in sorted(by_month)]
    labs = []
    if per_lab and by_lab:
        names_of = dict(db.session.execute(sa.select(Lab.id, Lab.name).where(Lab.id.in_(list(by_lab)))).all())
        labs = sorted((Row(k, names_of[k], f) for k, f in by_lab.items()), key=lambda r: (r.label, r.key))
    categories = []
    if by_category:
        cats = sa.select(RepairCategory.id, RepairCategory.name).where(RepairCategory.id.in_(list(by_category)))
        names_of = dict(db.session.execute(cats).all())
        categories = sorted(
            (Row(k, names_of[k], f) for k, f in by_category.items()), key=lambda r: (-r.figures.tickets, r.label)
        )
    return FiguresPage(
        total=total,
        year=recent,
        months=months,
        chart=monthly_chart(months, start, end),
        start=start,
        end=end,
        labs=labs,
        categories=categories,
        # The latest events and the talents' work: the last twelve months (the people of the programme now).
        events=impact_by_event(recent_scope) if recent.tickets else [],
        talents=impact_by_talent(recent_scope) if names and recent.tickets else [],
    )


# --- The ticket list -------------------------------------------------------------------------------------------


@dataclass
class TicketFilters:
    """The filters of the ticket list, parsed from the query string (unknown values are ignored)."""

    q: str = ""
    status: str = ""
    outcome: str = ""
    category_id: int | None = None
    event_id: int | None = None
    talent_id: int | None = None
    lab_id: int | None = None
    start: date | None = None
    end: date | None = None
    stale: bool = False  # in repair for more than REPAIR_STALE_DAYS days

    @classmethod
    def from_args(cls, args) -> TicketFilters:
        """Read ?q=&status=&outcome=&category=&event=&talent=&lab=&from=&to=&stale=."""
        status = args.get("status", "")
        outcome = args.get("outcome", "")

        def day(name: str) -> date | None:
            try:
                return parse_day(args.get(name) or None)
            except ValueError:
                return None

        return cls(
            q=(args.get("q", "") or "").strip()[:100],
            status=status if status in {s.value for s in TicketStatus} | {"open"} else "",
            outcome=outcome if outcome in {o.value for o in Outcome} | {"none"} else "",
            category_id=args.get("category", type=db_id),
            event_id=args.get("event", type=db_id),
            talent_id=args.get("talent", type=db_id),
            lab_id=args.get("lab", type=db_id),
            start=day("from"),
            end=day("to"),
            stale=args.get("stale") == "1",
        )

    @property
    def active(self) -> bool:
        """Whether any filter beyond the search is set."""
        return any(
            (
                self.status,
                self.outcome,
                self.category_id,
                self.event_id,
                self.talent_id,
                self.lab_id,
                self.start,
                self.end,
                self.stale,
            )
        )


def stale_before(now: datetime, days: int) -> datetime:
    """The instant before which a ticket in repair is stale."""
    return now - timedelta(days=days)


def ticket_query(territory_id: int | None, filters: TicketFilters, now: datetime, stale_days: int) -> sa.Select:
    """The tickets of a territory (every territory: None) with the lab, the event and the category, filtered and
    searched (code, brand, model, the lab's category: accents and case ignored; every match: the exports), latest
    first. Partners' reference data (no lab) are not listed."""
    stmt = _filtered(sa.select(T), territory_id, filters, now, stale_days)
    if filters.q:
        stmt = stmt.where(SEARCH_INDEX.match(filters.q, T.id, db.session.get_bind().dialect.name).found)
    return stmt.order_by(T.event_date.desc(), T.id.desc())


def ticket_ids(territory_id: int | None, filters: TicketFilters, now: datetime, stale_days: int, cap: int) -> Listing:
    """The ids of the list's tickets, latest first: a page reads these, then only its own rows (tickets_by_id). A
    search lists the newest `cap` tickets that hold the text and pass the filters, found through the text index, the
    ticket whose code it is first: a common brand costs what a rare one does, however long the history."""
    stmt = _filtered(sa.select(T.id), territory_id, filters, now, stale_days)
    order = (T.event_date.desc(), T.id.desc())
    if not filters.q:
        return Listing(stmt.order_by(*order))
    dialect = db.session.get_bind().dialect.name
    found = SEARCH_INDEX.listing(stmt, filters.q, T.id, dialect, cap)
    codes = code_readings(filters.q)
    ranks = [sa.case((T.code.in_(codes), 0), else_=1)] if codes else []
    return found.page(sa.select(T.id).where(found.listed).order_by(*ranks, *order))


def tickets_by_id(ids: list[int]) -> list[RepairTicket]:
    """The tickets of a page of the list, with what the list shows of them (any order)."""
    return list(db.session.scalars(sa.select(T).options(*LIST_LOADS).where(T.id.in_(ids))))


def _filtered(stmt: sa.Select, territory_id: int | None, filters: TicketFilters, now: datetime, stale_days: int):
    """The list's filters but the text search."""
    # A territory implies a lab (reference data has neither): the territory's index alone serves the list.
    stmt = stmt.where(T.territory_id == territory_id if territory_id is not None else T.lab_id.is_not(None))
    if filters.status == "open":
        stmt = stmt.where(OPEN_TICKET)  # the partial index's condition word for word: only open tickets are read
        if territory_id is not None:
            # SQLite would rather walk the territory's date index for the order (every ticket of its history) than
            # sort the few open ones.
            stmt = stmt.with_hint(T, "INDEXED BY ix_repair_tickets_open_territory_id_status", "sqlite")
    elif filters.status:
        stmt = stmt.where(T.status == TicketStatus(filters.status))
    if filters.outcome == "none":
        stmt = stmt.where(T.outcome.is_(None))
    elif filters.outcome:
        stmt = stmt.where(T.outcome == Outcome(filters.outcome))
    if filters.category_id:
        stmt = stmt.where(T.category_id == filters.category_id)
    if filters.event_id:
        stmt = stmt.where(T.event_id == filters.event_id)
    if filters.lab_id:
        stmt = stmt.where(T.lab_id == filters.lab_id)
    if filters.talent_id:
        worked = sa.select(RepairWork.ticket_id).where(RepairWork.talent_id == filters.talent_id)
        stmt = stmt.where(T.id.in_(worked))
    if filters.start:
        stmt = stmt.where(T.event_date >= filters.start)
    if filters.end:
        stmt = stmt.where(T.event_date <= filters.end)
    if filters.stale:
        stmt = stmt.where(T.status == TicketStatus.IN_REPAIR, T.status_changed_at < stale_before(now, stale_days))
    return stmt


# What the list page and the CSV export show of each ticket, loaded in the same query.
LIST_LOADS = (joinedload(T.lab), joinedload(T.event), joinedload(T.category))


@dataclass(frozen=True)
class ListChoices:
    """The options of the list's filter form."""

    categories: list[tuple[int, str]]
    labs: list[tuple[int, str]]
    events: list[tuple[int, str, date]]
    talents: list[tuple[int, str]]


def list_choices(territory_id: int | None, since: date, talent_id: int | None = None, events: int = 60) -> ListChoices:
    """Categories, labs, the latest events and the talents on duty at an event since that day, to filter by (four
    queries)."""
    categories = db.session.execute(
        sa.select(RepairCategory.id, RepairCategory.name)
        .where(RepairCategory.active)
        .order_by(RepairCategory.powered.desc(), RepairCategory.name)
    ).all()
    labs = sa.select(Lab.id, Lab.name).order_by(Lab.name, Lab.id)
    event_stmt = sa.select(RepairEvent.id, RepairEvent.title, RepairEvent.day).order_by(
        RepairEvent.day.desc(), RepairEvent.id.desc()
    )
    # The talents on duty at the year's events (bounded by the events, not by the tickets), and the one chosen.
    on_duty = (
        sa.select(RepairEventStaff.user_id)
        .join(RepairEvent, RepairEvent.id == RepairEventStaff.event_id)
        .where(RepairEvent.day >= since, RepairEventStaff.role == DutyRole.TALENT)
    )
    if territory_id is not None:
        labs = labs.where(Lab.territory_id == territory_id)
        event_stmt = event_stmt.where(RepairEvent.territory_id == territory_id)
        on_duty = on_duty.where(RepairEvent.territory_id == territory_id)
    chosen = [User.id == talent_id] if talent_id else []
    talents = (
        sa.select(User.id, User.full_name)
        .where(sa.or_(User.id.in_(on_duty), *chosen), User.role == Role.PARTICIPANT)
        .order_by(User.full_name, User.id)
    )
    return ListChoices(
        categories=[tuple(r) for r in categories],
        labs=[tuple(r) for r in db.session.execute(labs)],
        events=[tuple(r) for r in db.session.execute(event_stmt.limit(events))],
        talents=[tuple(r) for r in db.session.execute(talents)],
    )


# --- The desk's queues (home panels) ---------------------------------------------------------------------------


@dataclass
class Queues:
    """The lab manager's queues: tickets waiting for a diagnosis, in repair for too long, ready to collect."""

    waiting: int
    stale: int
    ready: int
    stale_days: int
    oldest: dict[str, list[RepairTicket]]

    @property
    def empty(self) -> bool:
        """Whether there is nothing to do."""
        return not (self.waiting or self.stale or self.ready)


def desk_queues(territory_id: int | None, now: datetime, stale_days: int, shown: int = 3) -> Queues:
    """The counts of the three queues (one query, on the partial index of open tickets) and the oldest few tickets
    of each (three queries at most, none for an empty queue)."""
    stale = sa.and_(T.status == TicketStatus.IN_REPAIR, T.status_changed_at < stale_before(now, stale_days))
    conditions = {
        "waiting": T.status == TicketStatus.RECEIVED,
        "stale": stale,
        "ready": T.status == TicketStatus.READY,
    }
    # The partial index's own condition, word for word: SQLite then reads the small index of open tickets only.
    base = [OPEN_TICKET]
    if territory_id is not None:
        base.append(T.territory_id == territory_id)
    counts = db.session.execute(
        sa.select(*(sa.func.count(sa.case((cond, 1))) for cond in conditions.values())).where(*base)
    ).one()
    oldest: dict[str, list[RepairTicket]] = {}
    for (key, cond), count in zip(conditions.items(), counts, strict=True):
        oldest[key] = (
            list(
                db.session.scalars(
                    sa.select(T)
                    .options(joinedload(T.category), joinedload(T.lab))
                    .where(*base, cond)
                    .order_by(T.status_changed_at, T.id)
                    .limit(shown)
                )
            )
            if count
            else []
        )
    return Queues(*counts, stale_days=stale_days, oldest=oldest)


# --- The constants -----------------------------------------------------------------------------------------------


def categories_table() -> list[RepairCategory]:
    """Every repair category with its weight, footprint and source: powered by ORDS id, then unpowered by name."""
    return list(
        db.session.scalars(
            sa.select(RepairCategory).order_by(
                RepairCategory.powered.desc(), RepairCategory.ords_id, RepairCategory.name
            )
        )
    )


def constants_table() -> list[ImpactConstant]:
    """The constants of the Fixometer method with their sources, by key."""
    return list(db.session.scalars(sa.select(ImpactConstant).order_by(ImpactConstant.key)))


# --- A ticket's page ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketLines:
    """What a ticket's page lists under it, oldest first, each line with the person or item it names."""

    history: list[RepairStatusChange]
    work: list[RepairWork]
    parts: list[RepairPartUse]
    tools: list[RepairToolUse]


def ticket_lines(ticket: RepairTicket) -> TicketLines:
    """The ticket's steps, the talents' time, the parts and the tools (one query each, whatever their number)."""

    def lines(model, related) -> list:
        stmt = sa.select(model).options(joinedload(related)).where(model.ticket_id == ticket.id).order_by(model.id)
        return list(db.session.scalars(stmt))

    if ticket.event is not None:  # the event's people on duty, for the page's header
        db.session.scalars(
            sa.select(RepairEvent).options(selectinload(RepairEvent.staff)).where(RepairEvent.id == ticket.event_id)
        ).all()
    return TicketLines(
        lines(RepairStatusChange, RepairStatusChange.changed_by),
        lines(RepairWork, RepairWork.talent),
        lines(RepairPartUse, RepairPartUse.item),
        lines(RepairToolUse, RepairToolUse.item),
    )
