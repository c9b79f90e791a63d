"""Lending rules, one by one: each refusal changes nothing; returns; the database's one-open-loan rule."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db as _db
from repairlab.inventory import services as inventory
from repairlab.inventory.models import Condition, Item, ItemKind, ItemStatus, ProblemReport
from repairlab.lending import cards, queries, services
from repairlab.lending.models import Loan, LoanKind
from repairlab.people.models import Role, User
from tests.lending.conftest import run_together

THREADS = 8


@pytest.fixture(autouse=True)
def english(db):
    """Messages in English, so that tests can read them."""
    from flask import g

    g.lang = "en"


def _loans() -> int:
    return _db.session.scalar(sa.select(sa.func.count(Loan.id)))


def _refused(db, error_type, call, item):
    """The call raises error_type, and nothing changed: no loan, the item still available."""
    before = _loans()
    with pytest.raises(error_type) as info:
        call()
    db.session.rollback()
    assert _loans() == before
    assert db.session.get(Item, item.id).status == ItemStatus.AVAILABLE
    return str(info.value)


def test_a_talent_borrows_a_tool_to_take_home(db, tool, talent, lend):
    loan = lend(talent, tool, talent, due_at=clock.today() + timedelta(days=3))
    assert loan.borrower_id == loan.lent_by_id == talent.id
    assert loan.kind == LoanKind.TAKE_HOME
    assert (loan.due_at.astimezone(clock.LAB_TZ).date() - clock.today()).days == 3
    assert db.session.get(Item, tool.id).status == ItemStatus.ON_LOAN
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_type == "loans")) == "lend"


def test_take_home_defaults_to_the_configured_days(db, app, tool, talent, lend):
    loan = lend(talent, tool, talent)
    due = loan.due_at.astimezone(clock.LAB_TZ)
    assert (due.date() - clock.today()).days == app.config["LOAN_DEFAULT_DAYS"]


def test_in_lab_is_due_at_the_end_of_the_day_in_paris(db, tool, talent, lend):
    loan = lend(talent, tool, talent, kind="in_lab")
    due = loan.due_at.astimezone(clock.LAB_TZ)
    assert (due.date(), due.hour, due.minute) == (clock.today(), 23, 59)


def test_only_tools_are_lent(db, make_item, talent):
    part = make_item("Vis", kind=ItemKind.PART, quantity=5)
    message = _refused(db, ValidationError, lambda: services.check_out_item(talent, part, talent, kind="in_lab"), part)
    assert "Only tools" in message


def test_an_item_not_available_is_refused_with_its_status_in_words(db, tool, talent, manager):
    inventory.set_status(manager, [tool], ItemStatus.UNDER_REPAIR)
    db.session.commit()
    with pytest.raises(Conflict, match="under repair"):
        services.check_out_item(talent, tool, talent, kind="in_lab")
    db.session.rollback()
    assert _loans() == 0


def test_an_inactive_talent_cannot_borrow(db, tool, make_talent, manager):
    sleeper = make_talent(active=False)
    message = _refused(
        db, ValidationError, lambda: services.check_out_item(manager, tool, sleeper, kind="in_lab"), tool
    )
    assert "not active" in message


def test_a_talent_of_another_territory_cannot_borrow(db, tool, make_talent, manager, other_territory):
    stranger = make_talent(territory_=other_territory)
    message = _refused(
        db, ValidationError, lambda: services.check_out_item(manager, tool, stranger, kind="in_lab"), tool
    )
    assert "another territory" in message
    _refused(db, PermissionDenied, lambda: services.check_out_item(stranger, tool, stranger, kind="in_lab"), tool)


def test_the_limit_per_talent_is_kept_and_said(db, app, make_item, talent, lend):
    for n in range(app.config["LOAN_LIMIT_PER_TALENT"]):
        lend(talent, make_item(f"Outil {n}"), talent)
    fourth = make_item("Outil de trop")
    message = _refused(db, Conflict, lambda: services.check_out_item(talent, fourth, talent, kind="in_lab"), fourth)
    assert "3 tools" in message


def test_a_take_home_date_beyond_the_maximum_is_refused(db, tool, talent):
    far = clock.today() + timedelta(days=31)
    _refused(
        db, ValidationError, lambda: services.check_out_item(talent, tool, talent, kind="take_home", due_at=far), tool
    )
    past = clock.today() - timedelta(days=1)
    _refused(
        db, ValidationError, lambda: services.check_out_item(talent, tool, talent, kind="take_home", due_at=past), tool
    )


def test_a_talent_cannot_lend_to_someone_else(db, tool, talent, make_talent):
    friend = make_talent()
    _refused(db, PermissionDenied, lambda: services.check_out_item(talent, tool, friend, kind="in_lab"), tool)


def test_a_mentor_cannot_borrow_or_lend(db, tool, make_user, talent):
    mentor = make_user(Role.MENTOR)
    _refused(db, PermissionDenied, lambda: services.check_out_item(mentor, tool, talent, kind="in_lab"), tool)


def test_a_missing_skill_refuses_with_the_reason_in_plain_words(db, app, risky_tool, talent):
    message = _refused(
        db, PermissionDenied, lambda: services.check_out_item(talent, risky_tool, talent, kind="in_lab"), risky_tool
    )
    assert "Perceuse à colonne" in message
    assert "level 2" in message


def test_a_talent_can_never_override_the_skills_check(db, risky_tool, talent):
    _refused(
        db,
        PermissionDenied,
        lambda: services.check_out_item(talent, risky_tool, talent, kind="in_lab", override_reason="Je sais faire"),
        risky_tool,
    )


def test_the_desk_lends_anyway_with_a_written_reason_kept_in_the_audit(db, risky_tool, talent, manager, lend):
    _refused(
        db, PermissionDenied, lambda: services.check_out_item(manager, risky_tool, talent, kind="in_lab"), risky_tool
    )
    loan = lend(manager, risky_tool, talent, kind="in_lab", override_reason="Encadré par Lina toute la séance")
    assert loan.override_reason == "Encadré par Lina toute la séance"
    assert loan.lent_by_id == manager.id
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_type == "loans"))
    assert entry.after["override_reason"] == "Encadré par Lina toute la séance"


def test_no_override_reason_is_kept_when_none_was_needed(db, tool, talent, manager, lend):
    assert lend(manager, tool, talent, kind="in_lab", override_reason="pour rien").override_reason == ""


def test_the_desk_of_another_territory_cannot_lend(db, tool, talent, other_manager):
    _refused(db, PermissionDenied, lambda: services.check_out_item(other_manager, tool, talent, kind="in_lab"), tool)


def test_the_database_refuses_a_second_open_loan_of_an_item(db, tool, talent, make_talent, lend):
    lend(talent, tool, talent)
    other = make_talent()
    db.session.add(
        Loan(
            item_id=tool.id,
            territory_id=tool.territory_id,
            borrower_id=other.id,
            lent_by_id=other.id,
            kind=LoanKind.IN_LAB,
            due_at=clock.end_of_day(clock.today()),
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_borrower_gives_it_back(db, tool, talent, lend):
    loan = lend(talent, tool, talent)
    services.return_item(talent, loan, condition="good", note="RAS")
    db.session.commit()
    loan = db.session.get(Loan, loan.id)
    assert loan.returned_at is not None and loan.returned_to_id == talent.id and loan.return_note == "RAS"
    assert db.session.get(Item, tool.id).status == ItemStatus.AVAILABLE
    assert db.session.scalar(sa.select(sa.func.count(ProblemReport.id))) == 0
    # The item can be lent again.
    lend(talent, tool, talent)


def test_the_desk_records_a_return(db, tool, talent, manager, lend):
    loan = lend(talent, tool, talent)
    services.return_item(manager, loan, condition="fair")
    db.session.commit()
    assert db.session.get(Loan, loan.id).returned_to_id == manager.id


def test_someone_else_cannot_record_a_return(db, tool, talent, make_talent, make_user, other_manager, lend):
    loan = lend(talent, tool, talent)
    for stranger in (make_talent(), make_user(Role.MENTOR), other_manager):
        with pytest.raises(PermissionDenied):
            services.return_item(stranger, loan, condition="good")
        db.session.rollback()
    assert db.session.get(Loan, loan.id).returned_at is None


def test_a_loan_is_returned_only_once(db, tool, talent, lend):
    loan = lend(talent, tool, talent)
    services.return_item(talent, loan, condition="good")
    db.session.commit()
    with pytest.raises(Conflict):
        services.return_item(talent, db.session.get(Loan, loan.id), condition="good")


def test_a_damaged_return_opens_a_problem_report(db, tool, talent, lend):
    loan = lend(talent, tool, talent)
    services.return_item(talent, loan, condition="broken", note="Le mandrin ne serre plus")
    db.session.commit()
    report = db.session.scalar(sa.select(ProblemReport))
    assert report.item_id == tool.id and report.description == "Le mandrin ne serre plus"
    item = db.session.get(Item, tool.id)
    assert item.condition == Condition.BROKEN and item.status == ItemStatus.AVAILABLE


def test_the_desk_can_put_a_damaged_return_out_of_service(db, tool, talent, manager, lend):
    loan = lend(talent, tool, talent)
    services.return_item(manager, loan, condition="poor", out_of_service=True)
    db.session.commit()
    assert db.session.get(Item, tool.id).status == ItemStatus.OUT_OF_SERVICE
    assert db.session.scalar(sa.select(sa.func.count(ProblemReport.id))) == 1


def test_member_cards_are_opaque_and_found_by_token_or_url(db, app, talent):
    card = cards.card_for(talent)
    db.session.commit()
    assert cards.card_for(talent).id == card.id
    assert card.token.startswith("M-") and len(card.token) == 12
    assert not set(card.token[2:]) & set("0O1IL")
    assert talent.full_name not in card.token
    assert cards.find_card(card.token.lower()).user_id == talent.id
    assert cards.find_card(f"{app.config['PUBLIC_BASE_URL']}/m/{card.token}").user_id == talent.id
    assert cards.find_card("M-NOPE") is None
    assert cards.find_card("") is None


# --- Concurrency ----------------------------------------------------------------------------------


def test_eight_talents_borrowing_one_tool_at_once_get_one_loan(app, db, tool, make_talent):
    talent_ids = [make_talent().id for _ in range(THREADS)]
    tool_id = tool.id

    def borrow(i: int) -> str:
        talent = _db.session.get(User, talent_ids[i])
        item = _db.session.get(Item, tool_id)
        services.check_out_item(talent, item, talent, kind="in_lab")
        _db.session.commit()
        return "ok"

    results = run_together(app, THREADS, borrow)
    assert results.count("ok") == 1, results
    refusals = [r for r in results if r != "ok"]
    assert len(refusals) == THREADS - 1
    # Each refusal is a clean Conflict: "just lent to someone else" (the index) or "not available" (seen after).
    assert all(isinstance(r, Conflict) for r in refusals), results
    db.session.expire_all()
    open_loans = db.session.scalars(sa.select(Loan).where(Loan.returned_at.is_(None))).all()
    assert len(open_loans) == 1
    assert open_loans[0].borrower_id == talent_ids[results.index("ok")]
    assert db.session.get(Item, tool_id).status == ItemStatus.ON_LOAN


def test_when_all_see_the_tool_available_the_database_refuses_all_but_one(app, db, tool, make_talent):
    """Every thread reads the tool as available before any writes: only the partial unique index stops them."""
    talent_ids = [make_talent().id for _ in range(THREADS)]
    tool_id = tool.id
    all_read = threading.Barrier(THREADS)

    def borrow(i: int) -> str:
        talent = _db.session.get(User, talent_ids[i])
        item = _db.session.get(Item, tool_id)
        assert item.status == ItemStatus.AVAILABLE
        all_read.wait()
        services.check_out_item(talent, item, talent, kind="in_lab")
        _db.session.commit()
        return "ok"

    results = run_together(app, THREADS, borrow)
    assert results.count("ok") == 1, results
    assert all(
        isinstance(r, Conflict) and "just been lent" in str(r)  # the index path, not the pre-check
        for r in results
        if r != "ok"
    ), results
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Loan.id)).where(Loan.returned_at.is_(None))) == 1


def test_loans_to_a_talent_one_below_the_limit_at_once_make_exactly_one(app, db, make_item, talent, lend):
    """The borrower's row is locked before counting: simultaneous loans of different tools cannot both pass."""
    limit = app.config["LOAN_LIMIT_PER_TALENT"]
    for n in range(limit - 1):
        lend(talent, make_item(f"Déjà prêté {n}"), talent)
    tool_ids = [make_item(f"Outil {n}").id for n in range(THREADS)]
    talent_id = talent.id

    def borrow(i: int) -> str:
        from flask import g

        g.lang = "en"
        borrower = _db.session.get(User, talent_id)
        item = _db.session.get(Item, tool_ids[i])
        services.check_out_item(borrower, item, borrower, kind="in_lab")
        _db.session.commit()
        return "ok"

    results = run_together(app, THREADS, borrow)
    assert results.count("ok") == 1, results
    assert all(isinstance(r, Conflict) and "limit is reached" in str(r) for r in results if r != "ok"), results
    db.session.expire_all()
    assert queries.open_loan_count(db.session.get(User, talent_id)) == limit
