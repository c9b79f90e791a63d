"""Use cases of lending: borrowing and returning tools, member cards, and the desk's lists."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from repairlab import clock
from repairlab.audit.services import record
from repairlab.auth import can_access_territory, has_role
from repairlab.errors import Conflict, NotFound, PermissionDenied, ValidationError
from repairlab.extensions import db, utcnow
from repairlab.inventory.codes import find_code
from repairlab.inventory.models import Condition, Item, ItemKind, ItemStatus, ProblemReport, ReportStatus
from repairlab.inventory.requirements import may_use_item
from repairlab.inventory.services import ITEM_TARGET, plain_text, report_problem
from repairlab.lending.models import Loan, LoanKind, MemberCard, ReservationStatus
from repairlab.lending.policies import Rule, default_rule, rule_for_item
from repairlab.people.models import Role, User

DESK_ROLES = (Role.LAB_MANAGER, Role.ADMIN)
DAMAGED = (Condition.POOR, Condition.BROKEN)
# Member-card tokens: no 0/O, 1/I/L, so that they can be read aloud and typed.
CARD_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CARD_PREFIX = "M-"
CARD_LENGTH = 10
MAX_REASON = 1000
MAX_NOTE = 2000
PAST_LOANS = 20
DESK_ROWS = 50  # per list of the desk; the full lists are in the inventory


# --- Time ------------------------------------------------------------------------------------------


def default_due_date(today: date | None = None, rule: Rule | None = None) -> date:
    """Today plus the default take-home duration (of the item's rule, else of the programme)."""
    days = rule.default_days if rule is not None else current_app.config["LOAN_DEFAULT_DAYS"]
    return (today or clock.today()) + timedelta(days=days)


def days_late(loan: Loan, today: date | None = None) -> int:
    """How many days after its due date an open loan is (0 when not late)."""
    due = loan.due_at.astimezone(clock.LAB_TZ).date()
    return max(0, ((today or clock.today()) - due).days)


# --- Permissions (one place; views call these) -------------------------------------------------------


def is_desk(user: User | None, territory_id: int | None = None) -> bool:
    """Lab managers (of that territory) and administrators run the lending desk."""
    if not has_role(user, *DESK_ROLES):
        return False
    return territory_id is None or can_access_territory(user, territory_id)


def can_return(user: User | None, loan: Loan) -> bool:
    """The borrower, or the desk of the loan's territory."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.active
        and (user.id == loan.borrower_id or is_desk(user, loan.territory_id))
    )


# --- Borrowing -------------------------------------------------------------------------------------


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


def desk_only_message(rule: Rule) -> str:
    """Why a talent cannot borrow (or reserve) a desk-only tool by themselves, in plain words."""
    return _(
        "Ask at the desk: tools of the category %(category)s are lent by a lab manager only.",
        category=rule.source_path or "",
    )


def lock_row(column, row_id: int) -> None:
    """Lock one row until the transaction ends (SELECT … FOR UPDATE); `column` is a plain column of its model,
    e.g. User.locale, used only on SQLite.

    SQLite has no row locks: there a no-op write of that column takes the database's single write lock at once, so
    the checks that follow read every committed change and no other writer can slip in before the commit. (Not of
    the primary key: that would make SQLite look for the row's children in every table that refers to it.)

    PostgreSQL: FOR NO KEY UPDATE, which lockers wait for but foreign-key checks do not. With FOR UPDATE, a
    reservation for a talent (item locked, then a row referring to the talent) and that talent's loan of the item
    (talent locked, then the item) at the same instant would deadlock.
    """
    col = column.property.columns[0]
    table = col.table
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            sa.text(f'UPDATE {table.name} SET "{col.name}" = "{col.name}" WHERE id = :id'), {"id": row_id}
        )
    else:
        db.session.execute(sa.select(table.c.id).where(table.c.id == row_id).with_for_update(key_share=True))


def ngettext_days(days: int) -> str:
    """The longest-loan refusal, in words."""
    from flask_babel import ngettext

    return ngettext("A tool is lent for %(num)d day at most.", "A tool is lent for %(num)d days at most.", days)


def check_borrower(item: Item, borrower: User, field: str) -> None:
    """An active talent's account, of the item's territory: the rule of lending and of reserving for someone."""
    if not borrower.active:
        raise ValidationError(_("This talent's account is not active, so they cannot borrow."), field=field)
    if borrower.territory_id != item.territory_id:
        raise ValidationError(
            _("This talent belongs to another territory; tools are lent in their own territory only."), field=field
        )


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


def open_loan_count(user: User) -> int:
    """How many items a talent holds now."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Loan.id)).where(Loan.borrower_id == user.id, Loan.returned_at.is_(None))
        )
        or 0
    )


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
    override_reason = plain_text(override_reason or "").strip()[:MAX_REASON]
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
        from flask_babel import ngettext

        raise Conflict(
            ngettext(
                "The limit is reached: a talent holds %(num)d tool at a time. Give one back first.",
                "The limit is reached: a talent holds %(num)d tools at a time. Give one back first.",
                limit,
            )
        )
    from repairlab.lending.reservations import reservations_for_loan

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
    db.session.add(loan)
    try:
        # The partial unique index decides when two people borrow the item at the same instant.
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise Conflict(_("This item has just been lent to someone else.")) from None
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


# --- Returning -------------------------------------------------------------------------------------


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
    note = plain_text(note or "").strip()[:MAX_NOTE]
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


# --- Member cards ----------------------------------------------------------------------------------


def new_token() -> str:
    """A fresh opaque card token, e.g. M-7K3QXH9A2D."""
    return CARD_PREFIX + "".join(secrets.choice(CARD_ALPHABET) for _ in range(CARD_LENGTH))


def card_for(user: User) -> MemberCard:
    """The talent's member card, created on first use."""
    card = db.session.scalar(sa.select(MemberCard).where(MemberCard.user_id == user.id))
    if card is not None:
        return card
    card = MemberCard(user_id=user.id, token=new_token())
    try:
        with db.session.begin_nested():
            db.session.add(card)
    except sa.exc.IntegrityError:
        # Created at the same moment by another request: use that one.
        return db.session.scalar(sa.select(MemberCard).where(MemberCard.user_id == user.id))
    record(None, "create", card, label=_("member card"), territory_id=user.territory_id)
    return card


def card_token(text: str) -> str:
    """The token in a typed or scanned text (a bare token, or a whole /m/<token> URL), upper-cased."""
    text = (text or "").strip()
    if "/m/" in text.lower():
        text = text[text.lower().rindex("/m/") + 3 :].split("?")[0]
    text = text.strip("/ ").upper()
    if text and not text.startswith(CARD_PREFIX):
        text = CARD_PREFIX + text.removeprefix("M")
    return text[:20]


def find_card(text: str) -> MemberCard | None:
    """The valid member card a typed or scanned text stands for, or None."""
    token = card_token(text)
    if len(token) <= len(CARD_PREFIX):
        return None
    return db.session.scalar(
        sa.select(MemberCard)
        .where(MemberCard.token == token, MemberCard.revoked_at.is_(None))
        .options(joinedload(MemberCard.user))
    )


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


def get_card(text: str) -> MemberCard:
    """Like find_card, but raise NotFound."""
    card = find_card(text)
    if card is None:
        raise NotFound(_("No member card has this code. Check it and try again."), field="card")
    return card


# --- Queries ---------------------------------------------------------------------------------------


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

    One query, whatever the number of open loans: a window numbers the loans of each list, so that each list
    brings at most `limit` rows and the full count of its loans (the desk stays light with thousands out).
    """
    today = clock.today()
    start, end = clock.end_of_day(today - timedelta(days=1)), clock.end_of_day(today)
    bucket = sa.case((Loan.due_at <= start, 0), (Loan.due_at <= end, 1), else_=2)
    numbered = sa.select(
        Loan.id.label("loan_id"),
        bucket.label("bucket"),
        sa.func.row_number().over(partition_by=bucket, order_by=(Loan.due_at, Loan.id)).label("row"),
        sa.func.count().over(partition_by=bucket).label("total"),
    ).where(Loan.returned_at.is_(None))
    if territory_id is not None:
        numbered = numbered.where(Loan.territory_id == territory_id)
    numbered = numbered.subquery()
    stmt = (
        sa.select(Loan, numbered.c.bucket, numbered.c.total)
        .join(numbered, numbered.c.loan_id == Loan.id)
        .where(numbered.c.row <= limit)
        .order_by(numbered.c.bucket, Loan.due_at, Loan.id)
    )
    lists = DeskLists([], [], [], dict.fromkeys(DESK_BUCKETS, 0))
    for loan, index, total in db.session.execute(_with_people(stmt)).unique():
        name = DESK_BUCKETS[index]
        getattr(lists, name).append(loan)
        lists.totals[name] = total
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


def late_loans(user: User, today: date | None = None) -> list[Loan]:
    """A talent's open loans due before today, with their items, most overdue first (one query)."""
    yesterday = (today or clock.today()) - timedelta(days=1)
    return list(
        db.session.scalars(
            sa.select(Loan)
            .where(Loan.borrower_id == user.id, Loan.returned_at.is_(None), Loan.due_at <= clock.end_of_day(yesterday))
            .options(joinedload(Loan.item))
            .order_by(Loan.due_at, Loan.id)
        )
    )


def my_loans_open(user: User) -> tuple[list[Loan], None]:
    """A talent's open loans, soonest due (so overdue) first (one query)."""
    current = db.session.scalars(
        sa.select(Loan)
        .where(Loan.borrower_id == user.id, Loan.returned_at.is_(None))
        .options(joinedload(Loan.item))
        .order_by(Loan.due_at)
    ).all()
    return list(current), None
