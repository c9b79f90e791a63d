"""The lending panel of the item page, and the home panels of talents and lab managers."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from repairlab.auth import has_role, territory_scope
from repairlab.core.registry import HomePanel, home_panels
from repairlab.extensions import db
from repairlab.inventory.models import Category, Item, ItemKind, ItemStatus
from repairlab.inventory.registry import ItemPanel, item_panels
from repairlab.inventory.requirements import category_and_ancestors
from repairlab.lending.models import HOLDING, LendingPolicy, Loan, Reservation
from repairlab.people.models import Role, User

HOME_LOANS = 5

# The item page's lending queries, built once with bound parameters: the page runs them on every scan, and
# building (and hashing) a statement cost as much as running it. They read what services.open_loan_of,
# policies.rule_for_item and reservations.upcoming_of_item read.
_OPEN_LOAN = (
    sa.select(Loan)
    # The item is the page's own (already in the session): only the borrower is joined.
    .options(joinedload(Loan.borrower))
    .where(Loan.item_id == sa.bindparam("item_id", type_=sa.Integer), Loan.returned_at.is_(None))
)
_POLICY, _CATEGORY = LendingPolicy.__table__, Category.__table__
_RULE = (
    # Plain Core on the tables; the category's ancestors found by a subquery rather than a list of paths, which
    # would be expanded into the SQL text again on every run.
    sa.select(_POLICY.c.self_service, _POLICY.c.default_days, _POLICY.c.max_days, _CATEGORY.c.path)
    .join(_CATEGORY, _CATEGORY.c.id == _POLICY.c.category_id)
    .where(
        _POLICY.c.lab_id == sa.bindparam("lab_id", type_=sa.Integer),
        _POLICY.c.category_id.in_(category_and_ancestors(sa.bindparam("category_id", type_=sa.Integer))),
    )
    .order_by(sa.func.length(_CATEGORY.c.path).desc())
    .limit(1)
)
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


def _rule_for_item(item: Item):
    """The item's lending rule (policies.rule_for_item): the nearest policy of its lab up its category tree, else
    the defaults (one query, none without a category)."""
    from repairlab.lending import policies

    if item.category_id is None:
        return policies.default_rule()
    row = db.session.execute(_RULE, {"lab_id": item.lab_id, "category_id": item.category_id}).first()
    if row is None:
        return policies.default_rule()
    return policies.Rule(row.self_service, row.default_days, row.max_days, row.path, row.path == item.category.path)


def item_context(item: Item, viewer: User | None) -> dict | None:
    """What the item page shows about lending: borrow, give back, or who has it (names for the desk only); the
    lending rule; the coming reservations and a form to reserve."""
    from repairlab.lending import reservations, services
    from repairlab.lending.forms import BorrowForm, CancelReservationForm, ReserveForm, ReturnForm

    if viewer is None or item.kind != ItemKind.TOOL:
        return None
    desk = services.is_desk(viewer, item.territory_id)
    talent = has_role(viewer, Role.PARTICIPANT)
    loan = db.session.scalar(_OPEN_LOAN, {"item_id": item.id}) if item.status == ItemStatus.ON_LOAN else None
    today = services.lab_today()
    # The rule matters to talents (self-service, durations) and to the desk (shown); one query, none without category.
    rule = _rule_for_item(item) if (talent or desk) else None
    upcoming = (
        list(db.session.scalars(_UPCOMING, {"item_id": item.id, "today": today, "rows": reservations.ITEM_ROWS}))
        if (talent or desk)
        else []
    )
    look = reservations.outlook(upcoming, viewer, today)
    ctx = {
        "item": item,
        "loan": loan,
        "desk": desk,
        "mine": bool(loan and loan.borrower_id == viewer.id),
        "days_late": services.days_late(loan) if loan else 0,
        "talent": talent,
        "borrow_form": None,
        "return_form": None,
        "rule": rule,
        "desk_only": bool(talent and rule and not rule.self_service),
        "upcoming": upcoming,
        "outlook": look,
        "who": lambda r: reservations.who(r, viewer),
        "can_cancel": lambda r: r.status.value == "active" and reservations.can_cancel(viewer, r),
        "reserve_form": None,
        "cancel_form": None,
        "today": today,
    }
    if ctx["mine"] or (loan and desk):
        ctx["return_form"] = ReturnForm(formdata=None)
    if talent and item.status == ItemStatus.AVAILABLE and not ctx["desk_only"] and look.today is None:
        form = BorrowForm(formdata=None)
        due = services.default_due_date(today, rule)
        latest = look.latest_due()
        form.due_on.data = min(due, latest) if latest and latest >= today else due
        ctx["borrow_form"] = form
        # The skills verdict is the item page's own (`verdict` in its context): no query added here.
    if (desk or (talent and not ctx["desk_only"])) and item.status != ItemStatus.RETIRED:
        form = ReserveForm(formdata=None)
        form.starts_on.data = form.ends_on.data = today + timedelta(days=1)
        ctx["reserve_form"] = form
    if upcoming:
        ctx["cancel_form"] = CancelReservationForm(formdata=None)
    return ctx


def my_loans_context(user: User) -> dict:
    """A talent's open loans, overdue first (one query)."""
    from repairlab.lending import services

    current, _past = services.my_loans_open(user)
    return {
        "loans": current[:HOME_LOANS],
        "more": max(0, len(current) - HOME_LOANS),
        "today": services.lab_today(),
        "days_late": services.days_late,
    }


def my_reservations_context(user: User) -> dict:
    """A talent's coming reservations (one query)."""
    from repairlab.lending import reservations

    coming = reservations.coming_reservations(user)
    return {"reservations": coming[:HOME_LOANS], "more": max(0, len(coming) - HOME_LOANS)}


def desk_context(user: User) -> dict:
    """Lab managers: how many loans are out, due today, overdue (one query)."""
    from repairlab.lending import services

    return services.desk_counts(territory_scope(user))


def register_panels() -> None:
    """Add the lending sections to the item page and the home page."""
    from repairlab.lending import maintenance_views, reminders

    item_panels.register(ItemPanel("lending.loan", "lending/item_panel.html", item_context, order=10))
    item_panels.register(
        ItemPanel("lending.maintenance", "lending/maintenance_panel.html", maintenance_views.item_context, order=11)
    )
    home_panels.register(
        HomePanel(
            "lending.late",
            frozenset({Role.PARTICIPANT}),
            "lending/panels/late.html",
            reminders.late_notice_context,
            order=14,
        )
    )
    home_panels.register(
        HomePanel("lending.mine", frozenset({Role.PARTICIPANT}), "lending/panels/mine.html", my_loans_context, order=15)
    )
    home_panels.register(
        HomePanel(
            "lending.reservations",
            frozenset({Role.PARTICIPANT}),
            "lending/panels/reservations.html",
            my_reservations_context,
            order=16,
        )
    )
    home_panels.register(
        HomePanel(
            "lending.desk",
            frozenset({Role.LAB_MANAGER, Role.ADMIN}),
            "lending/panels/desk.html",
            desk_context,
            order=15,
        )
    )


__all__ = ["db", "register_panels"]
