"""Reservations: the rules of reserving and cancelling, the database's no-overlap rule (also under concurrency),
lending that respects reservations, and the pages (item panel, my reservations, calendar, desk)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, NotFound, PermissionDenied, ValidationError
from repairlab.extensions import db as _db
from repairlab.inventory import services as inventory
from repairlab.inventory.models import Item, ItemKind
from repairlab.lending import cards, policies, queries, services
from repairlab.lending.models import Loan
from repairlab.lending.reservations import queries as reservation_queries
from repairlab.lending.reservations import services as reservations
from repairlab.lending.reservations.models import Reservation, ReservationDay, ReservationStatus
from repairlab.people.models import Role, User
from tests.inventory.conftest import english
from tests.lending.conftest import run_together

THREADS = 6


@pytest.fixture(autouse=True)
def english_messages(db):
    """Messages in English, so that tests can read them."""
    from flask import g

    g.lang = "en"


def day(n: int):
    """Today plus n days, in the labs' time zone."""
    return clock.today() + timedelta(days=n)


@pytest.fixture
def reserve(db):
    """Reserve through the service and commit."""

    def do(actor, item, start, end, borrower="self", purpose=""):
        reservation = reservations.reserve_item(
            actor,
            item,
            starts_on=day(start),
            ends_on=day(end),
            borrower=actor if borrower == "self" else borrower,
            purpose=purpose,
        )
        db.session.commit()
        return reservation

    return do


def _count(model=Reservation) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _refused(db, error_type, call, match=None):
    before = (_count(), _count(ReservationDay))
    with pytest.raises(error_type, match=match) as info:
        call()
    db.session.rollback()
    assert (_count(), _count(ReservationDay)) == before
    return info.value


# --- Reserving ------------------------------------------------------------------------------------------


def test_a_talent_reserves_a_tool_for_some_days(db, tool, talent, reserve):
    reservation = reserve(talent, tool, 1, 3, purpose="Session projet")
    assert (reservation.borrower_id, reservation.reserved_by_id) == (talent.id, talent.id)
    assert reservation.status == ReservationStatus.ACTIVE and reservation.purpose == "Session projet"
    days = db.session.scalars(sa.select(ReservationDay.day).order_by(ReservationDay.day)).all()
    assert days == [day(1), day(2), day(3)]
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_type == "reservations")) == (
        "reserve"
    )


def test_the_desk_reserves_for_a_lab_event_with_a_purpose(db, tool, manager, reserve):
    reservation = reserve(manager, tool, 0, 0, borrower=None, purpose="Repair café")
    assert reservation.is_event and reservation.borrower_id is None
    _refused(
        db,
        ValidationError,
        lambda: reservations.reserve_item(manager, tool, starts_on=day(2), ends_on=day(2), borrower=None),
        "Say what the lab event is",
    )


def test_the_desk_reserves_for_a_talent_found_by_card_or_email(db, tool, manager, talent, reserve):
    card = cards.card_for(talent)
    db.session.commit()
    assert reservations.find_talent(manager, card.token) == talent
    assert reservations.find_talent(manager, talent.email.upper()) == talent
    assert reservations.find_talent(manager, "  ") is None
    with pytest.raises(NotFound):
        reservations.find_talent(manager, "nobody@example.org")
    assert reserve(manager, tool, 1, 1, borrower=talent).borrower_id == talent.id


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-1, 1, "cannot be in the past"),
        (3, 2, "cannot be before the first day"),
        (1, 61, "60 days at most"),
        (400, 401, "days ahead"),
    ],
)
def test_bad_dates_are_refused(db, tool, talent, start, end, message):
    _refused(
        db,
        ValidationError,
        lambda: reservations.reserve_item(talent, tool, starts_on=day(start), ends_on=day(end), borrower=talent),
        message,
    )


def test_missing_dates_are_refused(db, tool, talent):
    _refused(
        db,
        ValidationError,
        lambda: reservations.reserve_item(talent, tool, starts_on=None, ends_on=day(1), borrower=talent),
        "first day",
    )


def test_overlapping_days_are_refused_with_who_and_when_it_is_free(db, tool, talent, make_talent, manager, reserve):
    reserve(talent, tool, 2, 4)
    other = make_talent()
    error = _refused(
        db,
        Conflict,
        lambda: reservations.reserve_item(other, tool, starts_on=day(4), ends_on=day(6), borrower=other),
    )
    text = str(error)
    assert "Already reserved from" in text and "another talent" in text and talent.full_name not in text
    assert "free again from" in text
    # The desk sees the name.
    error = _refused(
        db,
        Conflict,
        lambda: reservations.reserve_item(manager, tool, starts_on=day(1), ends_on=day(2), borrower=None, purpose="x"),
    )
    assert talent.full_name in str(error)


def test_adjacent_reservations_are_fine(db, tool, talent, make_talent, reserve):
    reserve(talent, tool, 1, 2)
    other = make_talent()
    reserve(other, tool, 3, 3)
    assert _count() == 2


def test_the_database_refuses_a_day_held_twice(db, tool, talent, make_talent, reserve):
    first = reserve(talent, tool, 1, 1)
    second = Reservation(
        item_id=tool.id, territory_id=tool.territory_id, starts_on=day(1), ends_on=day(1), purpose="Atelier"
    )
    db.session.add(second)
    db.session.flush()
    db.session.add(ReservationDay(item_id=tool.id, day=day(1), reservation_id=second.id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert _count() == 1 and first.id


def test_the_database_refuses_reversed_dates(db, tool):
    db.session.add(Reservation(item_id=tool.id, territory_id=tool.territory_id, starts_on=day(3), ends_on=day(1)))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_talent_reserves_only_for_themselves(db, tool, talent, make_talent):
    friend = make_talent()
    _refused(
        db,
        PermissionDenied,
        lambda: reservations.reserve_item(talent, tool, starts_on=day(1), ends_on=day(1), borrower=friend),
    )
    _refused(
        db,
        PermissionDenied,
        lambda: reservations.reserve_item(talent, tool, starts_on=day(1), ends_on=day(1), borrower=None, purpose="x"),
    )


def test_mentors_and_other_territories_cannot_reserve(db, tool, make_user, make_talent, other_territory):
    mentor = make_user(Role.MENTOR)
    stranger = make_talent(territory_=other_territory)
    for actor in (mentor, stranger):
        _refused(
            db,
            PermissionDenied,
            lambda actor=actor: reservations.reserve_item(
                actor, tool, starts_on=day(1), ends_on=day(1), borrower=actor
            ),
        )


def test_the_desk_cannot_reserve_for_a_talent_of_another_territory(db, tool, manager, make_talent, other_territory):
    stranger = make_talent(territory_=other_territory)
    _refused(
        db,
        ValidationError,
        lambda: reservations.reserve_item(manager, tool, starts_on=day(1), ends_on=day(1), borrower=stranger),
        "another territory",
    )


def test_only_tools_are_reserved_and_not_retired_ones(db, make_item, manager, talent):
    part = make_item("Vis", kind=ItemKind.PART, quantity=4)
    _refused(
        db,
        ValidationError,
        lambda: reservations.reserve_item(talent, part, starts_on=day(1), ends_on=day(1), borrower=talent),
    )
    retired = make_item("Vieille scie")
    inventory.retire_item(manager, retired, "Cassée")
    db.session.commit()
    _refused(
        db,
        Conflict,
        lambda: reservations.reserve_item(talent, retired, starts_on=day(1), ends_on=day(1), borrower=talent),
    )


def test_a_talent_cannot_reserve_a_desk_only_tool_but_the_desk_can(
    db, lab, manager, talent, make_item, make_category, reserve
):
    power = make_category("Outillage électroportatif")
    saw = make_item("Scie", category_id=power.id)
    policies.set_policy(manager, lab, power, self_service=False, default_days=2, max_days=5)
    db.session.commit()
    _refused(
        db,
        PermissionDenied,
        lambda: reservations.reserve_item(talent, saw, starts_on=day(1), ends_on=day(1), borrower=talent),
        "Ask at the desk",
    )
    assert reserve(manager, saw, 1, 1, borrower=talent).borrower_id == talent.id


def test_a_tool_on_loan_is_reserved_only_after_its_due_date(db, tool, talent, make_talent, lend, reserve):
    lend(talent, tool, talent, kind="take_home", due_at=day(3))
    other = make_talent()
    _refused(
        db,
        Conflict,
        lambda: reservations.reserve_item(other, tool, starts_on=day(3), ends_on=day(4), borrower=other),
        "on loan until",
    )
    assert reserve(other, tool, 4, 5).starts_on == day(4)


def test_cancelling_frees_the_days_and_keeps_the_history(db, tool, talent, make_talent, reserve):
    reservation = reserve(talent, tool, 1, 2)
    reservations.cancel_reservation(talent, reservation)
    db.session.commit()
    reservation = db.session.get(Reservation, reservation.id)
    assert reservation.status == ReservationStatus.CANCELLED and reservation.cancelled_by_id == talent.id
    assert _count(ReservationDay) == 0
    other = make_talent()
    assert reserve(other, tool, 1, 2).status == ReservationStatus.ACTIVE


def test_who_may_cancel(db, tool, talent, make_talent, manager, other_manager, make_user, reserve):
    reservation = reserve(manager, tool, 1, 1, borrower=talent)
    for stranger in (make_talent(), other_manager, make_user(Role.MENTOR)):
        with pytest.raises(PermissionDenied):
            reservations.cancel_reservation(stranger, reservation)
        db.session.rollback()
    assert reservations.can_cancel(talent, reservation) and reservations.can_cancel(manager, reservation)


def test_a_cancelled_reservation_is_not_cancelled_twice(db, tool, talent, reserve):
    reservation = reserve(talent, tool, 1, 1)
    reservations.cancel_reservation(talent, reservation)
    db.session.commit()
    with pytest.raises(Conflict, match="already cancelled"):
        reservations.cancel_reservation(talent, db.session.get(Reservation, reservation.id))


# --- Lending respects reservations --------------------------------------------------------------------


def test_borrowing_a_tool_reserved_today_by_someone_else_is_refused(db, tool, talent, make_talent, reserve):
    reserve(talent, tool, 0, 1)
    other = make_talent()
    with pytest.raises(Conflict, match="reserved today for another talent") as info:
        services.check_out_item(other, tool, other, kind="in_lab")
    assert "free again from" in str(info.value)
    db.session.rollback()
    assert _count(Loan) == 0


def test_the_holder_borrows_and_the_reservation_is_fulfilled(db, tool, talent, reserve, lend):
    reservation = reserve(talent, tool, 0, 2)
    loan = lend(talent, tool, talent, kind="take_home", due_at=day(2))
    reservation = db.session.get(Reservation, reservation.id)
    assert reservation.status == ReservationStatus.FULFILLED and reservation.loan_id == loan.id
    with pytest.raises(Conflict, match="picked up"):
        reservations.cancel_reservation(talent, reservation)


def test_a_take_home_loan_running_into_a_reservation_is_refused_with_the_latest_date(
    db, tool, talent, make_talent, reserve, lend
):
    reserve(talent, tool, 3, 4)
    other = make_talent()
    with pytest.raises(Conflict, match="bring it back by") as info:
        services.check_out_item(other, tool, other, kind="take_home", due_at=day(5))
    assert info.value.field == "due_on"
    db.session.rollback()
    assert lend(other, tool, other, kind="take_home", due_at=day(2)).borrower_id == other.id


def test_a_lab_event_blocks_talents_but_the_desk_lends_in_the_lab(db, tool, talent, manager, reserve, lend):
    reserve(manager, tool, 0, 0, borrower=None, purpose="Repair café")
    with pytest.raises(Conflict, match="a lab event \\(Repair café\\)"):
        services.check_out_item(talent, tool, talent, kind="in_lab")
    db.session.rollback()
    with pytest.raises(Conflict):
        services.check_out_item(manager, tool, talent, kind="take_home", due_at=day(1))
    db.session.rollback()
    assert lend(manager, tool, talent, kind="in_lab").borrower_id == talent.id


def test_the_desk_cannot_lend_to_another_talent_what_is_reserved_today(db, tool, talent, make_talent, manager, reserve):
    reserve(talent, tool, 0, 0)
    with pytest.raises(Conflict, match=talent.full_name):
        services.check_out_item(manager, tool, make_talent(), kind="in_lab")


# --- Concurrency ------------------------------------------------------------------------------------------


def test_talents_reserving_overlapping_days_at_once_get_one_reservation(app, db, tool, make_talent):
    talent_ids = [make_talent().id for _ in range(THREADS)]
    tool_id = tool.id

    def reserve(i: int) -> str:
        talent = _db.session.get(User, talent_ids[i])
        item = _db.session.get(Item, tool_id)
        reservations.reserve_item(talent, item, starts_on=day(1 + i % 2), ends_on=day(3), borrower=talent)
        _db.session.commit()
        return "ok"

    results = run_together(app, THREADS, reserve)
    assert results.count("ok") == 1, results
    assert all(isinstance(r, Conflict) for r in results if r != "ok"), results
    db.session.expire_all()
    assert _count() == 1
    assert _count(ReservationDay) in (2, 3)


def test_when_all_pass_the_check_the_database_keeps_one_reservation(app, db, tool, make_talent, monkeypatch):
    """Every thread skips the friendly pre-check: only the (item, day) key stops them."""
    talent_ids = [make_talent().id for _ in range(THREADS)]
    tool_id = tool.id
    monkeypatch.setattr(reservations, "overlapping", lambda *args, **kwargs: [])

    def reserve(i: int) -> str:
        talent = _db.session.get(User, talent_ids[i])
        item = _db.session.get(Item, tool_id)
        reservations.reserve_item(talent, item, starts_on=day(2), ends_on=day(2 + i), borrower=talent)
        _db.session.commit()
        return "ok"

    results = run_together(app, THREADS, reserve)
    assert results.count("ok") == 1, results
    assert all(isinstance(r, Conflict) and "just reserved" in str(r) for r in results if r != "ok"), results
    db.session.expire_all()
    assert _count() == 1


# --- Pages --------------------------------------------------------------------------------------------


def test_a_talent_reserves_from_the_item_page_and_sees_it_in_my_reservations(db, client, login, tool, talent):
    english(login(talent))
    page = client.get(f"/inventory/items/{tool.id}").get_data(as_text=True)
    assert f'action="/lending/items/{tool.id}/reserve"' in page and 'name="talent"' not in page
    response = client.post(
        f"/lending/items/{tool.id}/reserve",
        data={"starts_on": day(1).isoformat(), "ends_on": day(2).isoformat(), "purpose": "Session projet"},
        follow_redirects=True,
    )
    assert "Reserved from" in response.get_data(as_text=True)
    page = client.get("/lending/my-reservations").get_data(as_text=True)
    coming = page[page.index('id="coming-title"') : page.index('id="past-reservations-title"')]
    assert tool.name in coming and "Session projet" in coming
    assert tool.name in client.get("/").get_data(as_text=True)


def test_a_refused_reservation_from_the_page_says_why_and_changes_nothing(
    db, client, login, tool, talent, make_talent, reserve
):
    reserve(talent, tool, 1, 1)
    english(login(make_talent()))
    response = client.post(
        f"/lending/items/{tool.id}/reserve",
        data={"starts_on": day(1).isoformat(), "ends_on": day(1).isoformat()},
        follow_redirects=True,
    )
    assert "Already reserved" in response.get_data(as_text=True)
    response = client.post(f"/lending/items/{tool.id}/reserve", data={"starts_on": "nope"}, follow_redirects=True)
    assert "Choose the first and the last day" in response.get_data(as_text=True)
    assert _count() == 1


def test_the_item_page_shows_coming_reservations_and_hides_names_from_talents(
    db, client, login, tool, talent, make_talent, manager, reserve
):
    talent.full_name = "Zoé Réservante"
    db.session.commit()
    reserve(talent, tool, 2, 3, purpose="Atelier vélo")
    english(login(make_talent()))
    page = client.get(f"/inventory/items/{tool.id}").get_data(as_text=True)
    section = page[page.index('id="reservations"') :]
    assert "another talent" in section and "Zoé Réservante" not in page
    assert "bring it back by" in page  # the borrow form warns about the coming reservation
    english(login(manager))
    page = client.get(f"/inventory/items/{tool.id}").get_data(as_text=True)
    assert "Zoé Réservante" in page[page.index('id="reservations"') :] and 'name="talent"' in page


def test_the_item_page_offers_no_borrow_form_when_reserved_today_by_someone_else(
    db, client, login, tool, talent, make_talent, reserve
):
    reserve(talent, tool, 0, 0)
    english(login(make_talent()))
    page = client.get(f"/inventory/items/{tool.id}").get_data(as_text=True)
    assert "Reserved today for another talent" in page
    assert f'action="/lending/items/{tool.id}/borrow"' not in page


def test_cancel_from_my_reservations(db, client, login, tool, talent, reserve):
    reservation = reserve(talent, tool, 1, 1)
    english(login(talent))
    response = client.post(f"/lending/reservations/{reservation.id}/cancel", data={"next": "/lending/my-reservations"})
    assert response.status_code == 302 and response.location.endswith("/lending/my-reservations")
    db.session.expire_all()
    assert db.session.get(Reservation, reservation.id).status == ReservationStatus.CANCELLED


def test_someone_else_cannot_cancel_from_the_page(db, client, login, tool, talent, make_talent, reserve):
    reservation = reserve(talent, tool, 1, 1)
    login(make_talent())
    assert client.post(f"/lending/reservations/{reservation.id}/cancel").status_code == 404
    assert client.post("/lending/reservations/99999999999/cancel").status_code == 404
    assert db.session.get(Reservation, reservation.id).status == ReservationStatus.ACTIVE


def test_the_calendar_shows_a_week_with_one_row_per_item(db, client, login, lab, make_item, talent, manager, reserve):
    saw, drill = make_item("Scie sauteuse"), make_item("Perceuse")
    monday = reservation_queries.week_start(clock.today())
    offset = (monday - clock.today()).days
    reserve(talent, saw, max(0, offset + 1), max(0, offset + 1) + 1)
    reserve(manager, drill, offset + 7, offset + 8, borrower=None, purpose="Repair café")
    english(login(manager))
    page = client.get(f"/lending/calendar?lab={lab.id}").get_data(as_text=True)
    table = page[page.index('class="calendar"') : page.index('class="calendar-narrow"')]
    assert "Scie sauteuse" in table and talent.full_name in table and "Perceuse" not in table
    following = client.get(f"/lending/calendar?lab={lab.id}&week={(monday + timedelta(days=7)).isoformat()}")
    assert "Repair café" in following.get_data(as_text=True)
    assert client.get(f"/lending/calendar?lab={lab.id}&week=garbage").status_code == 200
    assert client.get(f"/lending/calendar?lab={lab.id}&week=99999-01-01").status_code == 200


def test_talents_see_the_calendar_without_names(db, client, login, lab, tool, talent, make_talent, reserve):
    talent.full_name = "Zoé Réservante"
    db.session.commit()
    reserve(talent, tool, 0, 0)
    english(login(make_talent()))
    page = client.get("/lending/calendar").get_data(as_text=True)
    assert tool.name in page and "another talent" in page and "Zoé Réservante" not in page


def test_the_calendar_of_another_territory_is_not_found(db, client, login, other_lab, manager):
    login(manager)
    assert client.get(f"/lending/calendar?lab={other_lab.id}").status_code == 404
    assert client.get("/lending/calendar?lab=abc").status_code == 404


def test_the_desk_shows_reservations_of_the_day_and_open_reports(
    db, client, login, tool, make_item, talent, manager, reserve
):
    talent.phone = "06 11 22 33 44"
    reserve(talent, tool, 0, 1, purpose="Session projet")
    inventory.report_problem(talent, make_item("Ponceuse"), "Le patin est déchiré")
    db.session.commit()
    english(login(manager))
    page = client.get("/lending/desk").get_data(as_text=True)
    today = page[page.index('id="reserved-today-title"') : page.index('id="reports-title"')]
    assert tool.name in today and talent.full_name in today and "tel:06 11 22 33 44" in today
    reports = page[page.index('id="reports-title"') : page.index('id="maintenance-due-title"')]
    assert "Le patin est déchiré" in reports and "Ponceuse" in reports


# --- Query counts -------------------------------------------------------------------------------------------


def _queries(client, query_counter, url) -> int:
    client.get(url)
    with query_counter() as counted:
        assert client.get(url).status_code == 200
    return counted.value


def test_calendar_desk_and_my_reservations_run_the_same_queries_for_few_or_many(
    db, client, login, lab, make_item, make_talent, manager, reserve, query_counter
):
    monday = reservation_queries.week_start(clock.today())
    offset = max(0, (monday - clock.today()).days)
    holder = make_talent()

    def add(n):
        for i in range(n):
            talent = make_talent()
            item = make_item(f"Outil {i}")
            reserve(talent, item, 0, 2)
            inventory.report_problem(talent, item, f"Problème {i}")
            reserve(holder, make_item(f"Autre {i}"), offset + 1 + i % 3, offset + 3)
        db.session.commit()

    urls = [f"/lending/calendar?lab={lab.id}", "/lending/desk"]
    add(2)
    login(manager)
    few = [_queries(client, query_counter, url) for url in urls]
    login(holder)
    few_mine = [_queries(client, query_counter, url) for url in ("/lending/my-reservations", "/")]
    add(10)
    login(manager)
    many = [_queries(client, query_counter, url) for url in urls]
    login(holder)
    many_mine = [_queries(client, query_counter, url) for url in ("/lending/my-reservations", "/")]
    assert (few, few_mine) == (many, many_mine)
    assert few[0] <= 4, few  # user, labs, the week's reservations (with items and people)


def test_a_loan_and_a_reservation_of_the_same_days_at_once_never_both_pass(app, db, tool, make_talent):
    """Both lock the item's row first: whichever comes second sees the other and refuses."""
    borrower_id, reserver_id, tool_id = make_talent().id, make_talent().id, tool.id

    def act(i: int) -> str:
        item = _db.session.get(Item, tool_id)
        if i == 0:
            borrower = _db.session.get(User, borrower_id)
            services.check_out_item(borrower, item, borrower, kind="take_home", due_at=day(3))
        else:
            reserver = _db.session.get(User, reserver_id)
            reservations.reserve_item(reserver, item, starts_on=day(2), ends_on=day(2), borrower=reserver)
        _db.session.commit()
        return "ok"

    results = run_together(app, 2, act)
    assert results.count("ok") == 1, results
    assert all(isinstance(r, Conflict) for r in results if r != "ok"), results


def test_the_desk_cannot_reserve_for_an_inactive_talent(db, tool, manager, make_talent):
    sleeper = make_talent(active=False)
    _refused(
        db,
        ValidationError,
        lambda: reservations.reserve_item(manager, tool, starts_on=day(1), ends_on=day(1), borrower=sleeper),
        "not active",
    )


def test_a_talent_without_the_required_skill_cannot_reserve(db, tool, talent, admin):
    from repairlab.inventory import requirements
    from repairlab.skills import catalogue

    domain = catalogue.create_domain(admin, name="Sécurité")
    skill = catalogue.create_skill(admin, domain=domain, name="Scie à onglet", is_safety=True)
    requirements.add_requirement(admin, item=tool, skill=skill, min_level=2)
    db.session.commit()
    _refused(
        db,
        PermissionDenied,
        lambda: reservations.reserve_item(talent, tool, starts_on=day(1), ends_on=day(1), borrower=talent),
        "Scie à onglet",
    )


def test_a_reservation_that_is_over_is_not_cancelled(db, tool, talent):
    past = Reservation(
        item_id=tool.id,
        territory_id=tool.territory_id,
        borrower_id=talent.id,
        reserved_by_id=talent.id,
        starts_on=day(-3),
        ends_on=day(-2),
    )
    db.session.add(past)
    db.session.commit()
    with pytest.raises(Conflict, match="over"):
        reservations.cancel_reservation(talent, past)
    db.session.rollback()
    coming, old = reservation_queries.my_reservations(talent)
    assert coming == [] and [r.id for r in old] == [past.id]


def test_the_desk_reserves_for_a_talent_by_email_from_the_item_page(db, client, login, tool, talent, manager):
    english(login(manager))
    response = client.post(
        f"/lending/items/{tool.id}/reserve",
        data={"starts_on": day(1).isoformat(), "ends_on": day(1).isoformat(), "talent": talent.email},
        follow_redirects=True,
    )
    assert "Reserved" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Reservation.borrower_id)) == talent.id
    response = client.post(
        f"/lending/items/{tool.id}/reserve",
        data={"starts_on": day(2).isoformat(), "ends_on": day(2).isoformat(), "talent": "personne@example.org"},
        follow_redirects=True,
    )
    assert "No talent has this member card or e-mail" in response.get_data(as_text=True)
    assert _count() == 1


def test_the_narrow_calendar_lists_each_day_what_holds_it():
    saw, drill, trip, day = object(), object(), object(), object()
    rows = [
        reservation_queries.CalendarRow(saw, [None, trip, trip, None, None, None, None]),
        reservation_queries.CalendarRow(drill, [None, None, day, None, None, None, None]),
    ]
    week = reservation_queries.by_day(rows)
    assert len(week) == 7
    assert week[0] == [] and week[3] == []
    assert week[1] == [(saw, trip)]
    assert week[2] == [(saw, trip), (drill, day)]


def test_the_item_page_offers_to_cancel_my_reservation_and_comes_back_to_it(db, client, login, tool, talent, reserve):
    reservation = reserve(talent, tool, 1, 3)
    english(login(talent))
    page = client.get(f"/inventory/items/{tool.id}").get_data(as_text=True)
    form = page[page.index(f'action="/lending/reservations/{reservation.id}/cancel"') :].split("</form>")[0]
    assert f'name="next" value="/inventory/items/{tool.id}#reservations"' in form
    assert "Cancel this reservation" in form


def test_the_desk_says_when_there_are_more_open_reports_than_it_shows(
    fresh_renders, db, client, login, make_item, talent, manager, monkeypatch
):
    for name in ("Ponceuse", "Perceuse"):
        inventory.report_problem(talent, make_item(name), "Le patin est déchiré")
    db.session.commit()
    english(login(manager))
    assert "Open problem reports (2)</h2>" in client.get("/lending/desk").get_data(as_text=True)
    monkeypatch.setattr(queries, "DESK_ROWS", 1)
    assert "Open problem reports (1+)</h2>" in client.get("/lending/desk").get_data(as_text=True)
