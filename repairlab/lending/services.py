"""Use cases of lending: borrowing and returning tools, and finding at the desk the item and the talent."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from repairlab import clock
from repairlab.audit.services import record
from repairlab.auth import can_access_territory, has_role
from repairlab.clock import utcnow
from repairlab.database import flush_or_conflict, lock_row
from repairlab.errors import Conflict, NotFound, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.inventory.codes import find_code
from repairlab.inventory.models import Condition, Item, ItemKind, ItemStatus
from repairlab.inventory.requirements import may_use_item
from repairlab.inventory.services import ITEM_TARGET, report_problem
from repairlab.lending.access import can_return, check_borrower, is_desk
from repairlab.lending.models import Loan, LoanKind
from repairlab.lending.policies import Rule, default_rule, desk_only_message, rule_for_item
from repairlab.lending.queries import open_loan_count
from repairlab.lending.reservations.models import ReservationStatus
from repairlab.lending.reservations.services import reservations_for_loan
from repairlab.people.models import Role, User
from repairlab.text import clean_text

DAMAGED = (Condition.POOR, Condition.BROKEN)


MAX_REASON = 1000


MAX_NOTE = 2000


def _due(kind: LoanKind, due_on: date | datetime | None, rule: Rule | None = None) -> datetime:
    rule = rule or default_rule()
    today = clock.today()
    if kind == LoanKind.IN_LAB:
        return clock.end_of_day(today)
    if due_on is None:
        due_on = today + timedelta(days=rule.default_days)
    if isinstance(due_on, datetime):
        due_on = due_on.astimezone(clock.LAB_TZ).date()
    if due_on < today:
        raise ValidationError(_("The return date cannot be in the past."), field="due_on")
    longest = rule.max_days
    if due_on > today + timedelta(days=longest):
        latest = format_date(today + timedelta(days=longest), "EEEE d MMMM")
        raise ValidationError(
            ngettext_days(longest) + " " + _("Bring it back by %(date)s at the latest.", date=latest), field="due_on"
        )
    return clock.end_of_day(due_on)


def ngettext_days(days: int) -> str:
    """The longest-loan refusal, in words."""
    return ngettext("A tool is lent for %(num)d day at most.", "A tool is lent for %(num)d days at most.", days)


def skills_refusal_for_desk(borrower: User, reasons) -> str:
    """The skills check's refusal told to the desk about the talent (the check itself speaks to the talent)."""
    name = borrower.full_name
    parts = []
    for reason in reasons:
        values = {"name": name, "skill": reason.skill_name, "required": reason.required_level}
        if reason.skill_name.startswith("#"):  # no longer in the catalogue: the check's own words say so
            parts.append(reason.message)
        elif reason.expired_on is not None:
            date_words = format_date(reason.expired_on, "long")
            parts.append(_("%(name)s's qualification “%(skill)s” expired on %(date)s.", date=date_words, **values))
        elif reason.held_level is not None:
            parts.append(
                _(
                    "%(name)s has “%(skill)s” at level %(held)d; level %(required)d is needed.",
                    held=reason.held_level,
                    **values,
                )
            )
        elif reason.declared_only:
            parts.append(
                _(
                    "%(name)s declared “%(skill)s” but nobody has validated it yet; level %(required)d is needed.",
                    **values,
                )
            )
        else:
            parts.append(_("%(name)s does not have “%(skill)s” at level %(required)d yet.", **values))
    return " ".join(parts)


def check_out_item(
    actor: User,
    item: Item,
    borrower: User,
    *,
    kind: LoanKind | str,
    due_at: date | datetime | None = None,
    override_reason: str = "",
) -> Loan:
    """Lend an item to a talent, after every rule: a tool, available, an active talent of the same territory,
    within their limit, holding the skills it requires (which the desk may override with a written reason)."""
    try:
        kind = LoanKind(kind)
    except ValueError:
        raise ValidationError(_("Choose how long you need the tool."), field="kind") from None
    override_reason = clean_text(override_reason, field="override_reason", limit=MAX_REASON)
    desk = is_desk(actor, item.territory_id)
    if not desk and actor.id != borrower.id:
        raise PermissionDenied(_("Only a lab manager lends a tool to someone else."))
    if not desk and not (has_role(actor, Role.PARTICIPANT) and can_access_territory(actor, item.territory_id)):
        raise PermissionDenied(_("Only talents of this lab borrow its tools."))
    if item.kind != ItemKind.TOOL:
        raise ValidationError(_("Only tools and equipment are lent; this is not one."))
    if item.status != ItemStatus.AVAILABLE:
        raise Conflict(_("This tool is not available: it is %(status)s.", status=item.status.label.lower()))
    if borrower.role != Role.PARTICIPANT:
        raise ValidationError(_("Tools are lent to talents only."), field="card")
    check_borrower(item, borrower, "card")
    rule = rule_for_item(item)
    if not desk and not rule.self_service:
        raise PermissionDenied(desk_only_message(rule))
    due = _due(kind, due_at, rule)
    # Lock the borrower (the limit) and the item (its reservations) until commit, so that two loans at the same
    # instant are counted one after the other; the checks below then see every committed change.
    lock_row(User.locale, borrower.id)
    lock_row(Item.notes, item.id)
    limit = current_app.config["LOAN_LIMIT_PER_TALENT"]
    if open_loan_count(borrower) >= limit:
        raise Conflict(
            ngettext(
                "The limit is reached: a talent holds %(num)d tool at a time. Give one back first.",
                "The limit is reached: a talent holds %(num)d tools at a time. Give one back first.",
                limit,
            )
        )
    own_reservations = reservations_for_loan(
        actor, item, borrower, kind=kind, due_on=due.astimezone(clock.LAB_TZ).date(), desk=desk
    )
    decision = may_use_item(borrower, item)
    if not decision.allowed:
        if not (desk and override_reason):
            if desk and borrower.id != actor.id:
                message = skills_refusal_for_desk(borrower, decision.reasons)
                message += " " + _("To lend it anyway, write why in the override reason.")
            else:
                message = " ".join(reason.message for reason in decision.reasons)
            raise PermissionDenied(message.strip())
    else:
        override_reason = ""
    loan = Loan(
        item_id=item.id,
        territory_id=item.territory_id,
        borrower_id=borrower.id,
        lent_by_id=actor.id,
        kind=kind,
        started_at=utcnow(),
        due_at=due,
        override_reason=override_reason,
    )
    # The partial unique index decides when two people borrow the item at the same instant.
    flush_or_conflict(_("This item has just been lent to someone else."), new=loan)
    item.status = ItemStatus.ON_LOAN
    loan.item = item
    for reservation in own_reservations:
        # The holder picks up what they reserved: the reservation is fulfilled by this loan.
        reservation.status = ReservationStatus.FULFILLED
        reservation.loan_id = loan.id
    record(
        actor,
        "lend",
        loan,
        after={
            "item": item.code,
            "borrower": borrower.id,
            "kind": kind,
            "due_at": due,
            "override_reason": override_reason,
            "fulfils_reservations": [r.id for r in own_reservations],
        },
        label=f"{item.code} {item.name}",
    )
    db.session.flush()
    return loan


def return_item(
    actor: User, loan: Loan, *, condition: Condition | str, note: str = "", out_of_service: bool = False
) -> Loan:
    """Give an item back: the borrower or the desk; a damaged return opens a problem report."""
    if not can_return(actor, loan):
        raise PermissionDenied(_("Only the borrower or a lab manager records this return."))
    if loan.returned_at is not None:
        raise Conflict(_("This loan has already been returned."))
    try:
        condition = Condition(condition)
    except ValueError:
        raise ValidationError(_("Say in what condition the tool comes back."), field="condition") from None
    note = clean_text(note, field="note", limit=MAX_NOTE)
    if out_of_service and not is_desk(actor, loan.territory_id):
        out_of_service = False  # only the desk takes a tool out of service
    # Guarded update: two returns at once cannot both succeed.
    result = db.session.execute(
        sa.update(Loan)
        .where(Loan.id == loan.id, Loan.returned_at.is_(None))
        .values(returned_at=utcnow(), returned_to_id=actor.id, return_condition=condition, return_note=note)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("This loan has already been returned."))
    db.session.refresh(loan)
    item = loan.item
    item.status = ItemStatus.OUT_OF_SERVICE if out_of_service else ItemStatus.AVAILABLE
    item.condition = condition
    if condition in DAMAGED:
        report_problem(
            actor, item, note or _("Returned in %(condition)s condition.", condition=condition.label.lower())
        )
    record(
        actor,
        "return",
        loan,
        after={"item": item.code, "condition": condition, "note": note, "out_of_service": out_of_service},
        label=f"{item.code} {item.name}",
    )
    db.session.flush()
    return loan


def desk_item(actor: User, text: str) -> Item:
    """The item whose code the desk scanned or typed; NotFound if none, or if it is outside the actor's desk."""
    code = find_code(text)
    item = db.session.get(Item, code.target_id) if code is not None and code.target_type == ITEM_TARGET else None
    if item is None or not is_desk(actor, item.territory_id):
        raise NotFound(_("No item has this code. Check it and try again."), field="item_code")
    return item


def desk_talent(actor: User, talent_id: int) -> User:
    """The talent the desk found by name or e-mail; NotFound unless an active talent of the actor's desk."""
    talent = db.session.get(User, talent_id)
    if (
        talent is None
        or talent.role != Role.PARTICIPANT
        or not talent.active
        or not is_desk(actor, talent.territory_id)
    ):
        raise NotFound(_("No talent of this lab was found. Search again by name or e-mail."), field="card")
    return talent
