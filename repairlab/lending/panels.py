"""The lending panel of the item page, and the home panels of talents and lab managers."""

from __future__ import annotations

from datetime import timedelta

from repairlab import clock
from repairlab.auth import has_role, territory_scope
from repairlab.inventory.models import Item, ItemKind, ItemStatus
from repairlab.inventory.registry import ItemPanel, item_panels
from repairlab.lending import policies, queries, reminders
from repairlab.lending.access import is_desk
from repairlab.lending.forms import BorrowForm, ReturnForm
from repairlab.lending.maintenance import views as maintenance_views
from repairlab.lending.reservations import queries as reservations
from repairlab.lending.reservations.forms import CancelReservationForm, ReserveForm
from repairlab.lending.reservations.services import can_cancel
from repairlab.pages import HomePanel, home_panels
from repairlab.people.models import Role, User

HOME_LOANS = 5


def item_context(item: Item, viewer: User | None) -> dict | None:
    """What the item page shows about lending: borrow, give back, or who has it (names for the desk only); the
    lending rule; the coming reservations and a form to reserve."""
    if viewer is None or item.kind != ItemKind.TOOL:
        return None
    desk = is_desk(viewer, item.territory_id)
    talent = has_role(viewer, Role.PARTICIPANT)
    loan = queries.open_loan_of(item) if item.status == ItemStatus.ON_LOAN else None
    today = clock.today()
    # The rule matters to talents (self-service, durations) and to the desk (shown); one query, none without category.
    rule = policies.rule_for_item(item) if (talent or desk) else None
    upcoming = reservations.upcoming_of_item(item, today) if (talent or desk) else []
    look = reservations.outlook(upcoming, viewer, today)
    ctx = {
        "item": item,
        "loan": loan,
        "desk": desk,
        "mine": bool(loan and loan.borrower_id == viewer.id),
        "days_late": queries.days_late(loan) if loan else 0,
        "talent": talent,
        "borrow_form": None,
        "return_form": None,
        "rule": rule,
        "desk_only": bool(talent and rule and not rule.self_service),
        "upcoming": upcoming,
        "outlook": look,
        "who": lambda r: reservations.who(r, viewer),
        "can_cancel": lambda r: r.status.value == "active" and can_cancel(viewer, r),
        "reserve_form": None,
        "cancel_form": None,
        "today": today,
        "late_loans": list,
    }
    if ctx["mine"] or (loan and desk):
        ctx["return_form"] = ReturnForm(formdata=None)
    if talent and item.status == ItemStatus.AVAILABLE and not ctx["desk_only"] and look.today is None:
        form = BorrowForm(formdata=None)
        due = policies.default_due_date(today, rule)
        latest = look.latest_due()
        form.due_on.data = min(due, latest) if latest and latest >= today else due
        ctx["borrow_form"] = form
        # Asked only when the form shows (a talent whom a skill stops borrows nothing): one query.
        ctx["late_loans"] = lambda: queries.late_loans(viewer, today)
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
    current = queries.my_loans_open(user)
    return {
        "loans": current[:HOME_LOANS],
        "more": max(0, len(current) - HOME_LOANS),
        "today": clock.today(),
        "days_late": queries.days_late,
    }


def my_reservations_context(user: User) -> dict:
    """A talent's coming reservations (one query)."""
    coming = reservations.coming_reservations(user)
    return {"reservations": coming[:HOME_LOANS], "more": max(0, len(coming) - HOME_LOANS)}


def desk_context(user: User) -> dict:
    """Lab managers: how many loans are out, due today, overdue (one query)."""
    return queries.desk_counts(territory_scope(user))


def register_panels() -> None:
    """Add the lending sections to the item page and the home page."""
    item_panels.register(
        "lending.loan",
        ItemPanel("lending/item_panel.html", item_context, action_template="lending/item_action.html"),
        order=10,
    )
    item_panels.register(
        "lending.maintenance", ItemPanel("lending/maintenance_panel.html", maintenance_views.item_context), order=11
    )
    home_panels.register(
        "lending.late",
        HomePanel(frozenset({Role.PARTICIPANT}), "lending/panels/late.html", reminders.late_notice_context),
        order=14,
    )
    home_panels.register(
        "lending.mine", HomePanel(frozenset({Role.PARTICIPANT}), "lending/panels/mine.html", my_loans_context), order=15
    )
    home_panels.register(
        "lending.reservations",
        HomePanel(frozenset({Role.PARTICIPANT}), "lending/panels/reservations.html", my_reservations_context),
        order=16,
    )
    home_panels.register(
        "lending.desk",
        HomePanel(frozenset({Role.LAB_MANAGER, Role.ADMIN}), "lending/panels/desk.html", desk_context),
        order=15,
    )
