"""What lending tells people: refusals about the talent for the desk, the right message for wrong input, the desk's
words, confirmations, and refusals shown at the top of the page where their message is."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import g

from repairlab import clock
from repairlab.errors import PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.lending import services
from repairlab.lending.maintenance import services as maintenance
from repairlab.lending.maintenance.models import MaintenancePlan, MaintenanceRecord
from repairlab.lending.models import Loan
from repairlab.lending.reservations import services as reservations
from repairlab.lending.reservations.models import Reservation
from tests.inventory.conftest import english


@pytest.fixture(autouse=True)
def english_messages(db):
    """Messages in English, so that tests can read them."""
    g.lang = "en"


def day(n: int):
    """Today plus n days, in the labs' time zone."""
    return clock.today() + timedelta(days=n)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- The desk is told about the talent, not "you" ---------------------------------------------------------------------


def test_the_desk_reads_a_skills_refusal_about_the_talent_by_name(db, risky_tool, talent, manager):
    with pytest.raises(PermissionDenied) as refused:
        services.check_out_item(manager, risky_tool, talent, kind="in_lab")
    message = str(refused.value)
    assert f"{talent.full_name} does not have “Perceuse à colonne” at level 2 yet." in message
    assert "you" not in message.lower().replace("write why", "")
    assert "override reason" in message
    db.session.rollback()
    assert _count(Loan) == 0


def test_the_talent_still_reads_the_skills_refusal_in_their_own_words(db, risky_tool, talent):
    with pytest.raises(PermissionDenied, match=r"Perceuse à colonne.*level 2"):
        services.check_out_item(talent, risky_tool, talent, kind="in_lab")


# --- Wrong input gets the right message -------------------------------------------------------------------------------


def test_a_too_long_return_note_says_so_and_changes_nothing(db, client, login, tool, talent, lend):
    loan = lend(talent, tool, talent)
    english(login(talent))
    response = client.post(
        f"/lending/loans/{loan.id}/return", data={"condition": "good", "note": "x" * 2001}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "too long: 2000 characters at most" in page
    assert "Say in what condition" not in page
    db.session.expire_all()
    assert db.session.get(Loan, loan.id).returned_at is None


def test_a_too_long_purpose_says_so_and_reserves_nothing(db, client, login, tool, talent):
    english(login(talent))
    response = client.post(
        f"/lending/items/{tool.id}/reserve",
        data={"starts_on": day(1).isoformat(), "ends_on": day(1).isoformat(), "purpose": "x" * 201},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "too long: 200 characters at most" in page
    assert "Choose the first and the last day" not in page
    assert _count(Reservation) == 0


def test_bad_dates_still_get_the_dates_message(db, client, login, tool, talent):
    english(login(talent))
    response = client.post(
        f"/lending/items/{tool.id}/reserve", data={"starts_on": "nope", "purpose": "x" * 201}, follow_redirects=True
    )
    assert "Choose the first and the last day" in response.get_data(as_text=True)


def test_the_forms_tell_the_browser_how_long_a_text_may_be(db, client, login, tool, talent, manager):
    english(login(manager))
    desk = client.get("/lending/desk").get_data(as_text=True)
    assert 'maxlength="1000"' in desk and 'maxlength="200"' in desk
    page = client.get(f"/inventory/items/{tool.id}").get_data(as_text=True)
    assert 'name="purpose"' in page and 'maxlength="200"' in page


def test_a_huge_maintenance_cost_is_called_too_high_not_negative(db, tool, manager):
    with pytest.raises(ValidationError, match="too high"):
        maintenance.log_maintenance(manager, tool, description="Graissage", cost=Decimal("1e20"))
    db.session.rollback()
    assert _count(MaintenanceRecord) == 0


def test_maintenance_is_not_planned_for_an_absurd_date(db, client, login, tool, manager):
    english(login(manager))
    response = client.post(
        f"/lending/items/{tool.id}/maintenance-plan",
        data={"plan-what": "Graissage", "plan-due_on": "9999-12-31"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "within the next ten years" in response.get_data(as_text=True)
    assert _count(MaintenancePlan) == 0


# --- The desk's words -------------------------------------------------------------------------------------------------


def test_the_desk_counts_every_item_out_and_lists_the_rest_as_due_later(db, client, login, tool, talent, manager, lend):
    lend(talent, tool, talent, kind="take_home", due_at=day(3))
    english(login(manager))
    page = client.get("/lending/desk").get_data(as_text=True)
    assert "1 item out in all." in page
    later = page[page.index('id="due-later-title"') :]
    assert "Due later (1)" in later and tool.name in later


def test_maintenance_due_on_the_desk_is_to_do_not_to_give_back(db, client, login, tool, manager):
    maintenance.plan_maintenance(manager, tool, "Graissage", day(0))
    db.session.commit()
    english(login(manager))
    page = client.get("/lending/desk").get_data(as_text=True)
    section = page[page.index('id="maintenance-due-title"') :]
    assert "Graissage" in section and "to do by" in section


# --- Confirmations say what was done ----------------------------------------------------------------------------------


def test_a_one_day_reservation_is_confirmed_with_its_day(db, client, login, tool, talent):
    english(login(talent))
    response = client.post(
        f"/lending/items/{tool.id}/reserve",
        data={"starts_on": day(1).isoformat(), "ends_on": day(1).isoformat()},
        follow_redirects=True,
    )
    assert "Reserved on " in response.get_data(as_text=True)


# --- A refusal comes back to the top of the page, where its message is ------------------------------------------------


def test_a_refused_reservation_comes_back_to_the_top_of_the_page_and_a_done_one_to_the_list(
    db, client, login, tool, talent
):
    login(talent)
    refused = client.post(f"/lending/items/{tool.id}/reserve", data={"starts_on": "nope"})
    assert refused.headers["Location"] == f"/inventory/items/{tool.id}"
    done = client.post(
        f"/lending/items/{tool.id}/reserve", data={"starts_on": day(1).isoformat(), "ends_on": day(1).isoformat()}
    )
    assert done.headers["Location"] == f"/inventory/items/{tool.id}#reservations"


def test_a_refused_cancel_from_the_item_page_comes_back_to_its_top(db, client, login, tool, talent):
    reservation = reservations.reserve_item(talent, tool, starts_on=day(1), ends_on=day(1), borrower=talent)
    reservations.cancel_reservation(talent, reservation)
    db.session.commit()
    login(talent)
    response = client.post(
        f"/lending/reservations/{reservation.id}/cancel", data={"next": f"/inventory/items/{tool.id}#reservations"}
    )
    assert response.headers["Location"] == f"/inventory/items/{tool.id}"


def test_a_refused_lending_rule_comes_back_to_the_top_of_the_rules(db, client, login, lab, manager, make_category):
    category = make_category("Perçage")
    login(manager)
    data = {f"c{category.id}-self_service": "1", f"c{category.id}-default_days": "9", f"c{category.id}-max_days": "3"}
    response = client.post(f"/lending/policies/{lab.id}/{category.id}", data=data)
    assert response.headers["Location"] == f"/lending/policies?lab={lab.id}"
    data[f"c{category.id}-default_days"] = "2"
    response = client.post(f"/lending/policies/{lab.id}/{category.id}", data=data)
    assert response.headers["Location"] == f"/lending/policies?lab={lab.id}#category-{category.id}"
