"""Maintenance: the log, plans and their next due date, the item panel, the desk's list, out of service."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.inventory import services as inventory
from repairlab.inventory.models import ItemStatus
from repairlab.lending import queries as lending_queries
from repairlab.lending import services
from repairlab.lending.maintenance import services as maintenance
from repairlab.lending.maintenance.models import MaintenancePlan, MaintenanceRecord
from repairlab.lending.models import Loan
from tests.inventory.conftest import english


def _today():
    return clock.today()


def test_logging_maintenance_keeps_who_what_cost_parts_and_audits(db, tool, manager):
    entry = maintenance.log_maintenance(
        manager, tool, description="Lame changée", cost="18.90", parts="Lame 24 dents", done_on=_today()
    )
    db.session.commit()
    stored = db.session.get(MaintenanceRecord, entry.id)
    assert (stored.done_by_id, stored.description, stored.cost, stored.parts) == (
        manager.id,
        "Lame changée",
        Decimal("18.90"),
        "Lame 24 dents",
    )
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_type == "maintenance_records"))
    assert audit.action == "maintain" and audit.actor_id == manager.id


@pytest.mark.parametrize("cost", ["-1", "abc"])
def test_a_negative_or_unreadable_cost_is_refused(db, tool, manager, cost):
    with pytest.raises(ValidationError):
        maintenance.log_maintenance(manager, tool, description="Nettoyage", cost=cost)


def test_the_database_refuses_a_negative_cost(db, tool, manager):
    db.session.add(MaintenanceRecord(item_id=tool.id, done_on=_today(), description="x", cost=Decimal(-1)))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_future_date_or_empty_description_is_refused(db, tool, manager):
    with pytest.raises(ValidationError):
        maintenance.log_maintenance(manager, tool, description="x", done_on=_today() + timedelta(days=1))
    with pytest.raises(ValidationError):
        maintenance.log_maintenance(manager, tool, description="  ")


def test_only_the_desk_of_the_items_territory_records_maintenance(db, tool, other_manager, talent):
    for who in (other_manager, talent):
        with pytest.raises(PermissionDenied):
            maintenance.log_maintenance(who, tool, description="Nettoyage")
        with pytest.raises(PermissionDenied):
            maintenance.plan_maintenance(who, tool, "Graissage", _today())


def test_a_recurring_plan_moves_on_by_its_interval_when_done(db, tool, manager):
    plan = maintenance.plan_maintenance(manager, tool, "Graissage", _today() - timedelta(days=3), every_days=30)
    db.session.commit()
    maintenance.log_maintenance(manager, tool, description="Graissé", plan=plan)
    db.session.commit()
    plan = db.session.get(MaintenancePlan, plan.id)
    assert plan.last_done_on == _today() and plan.due_on == _today() + timedelta(days=30)
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.object_type == "maintenance_plans").order_by(AuditEntry.id)
    ).all()
    assert actions == ["create", "update"]


def test_a_one_off_plan_closes_when_done(db, tool, manager):
    plan = maintenance.plan_maintenance(manager, tool, "Affûtage", _today())
    maintenance.log_maintenance(manager, tool, description="Affûtée", plan=plan)
    db.session.commit()
    assert db.session.get(MaintenancePlan, plan.id).due_on is None
    assert maintenance.maintenance_due(tool.territory_id, _today()) == []
    with pytest.raises(ValidationError):
        maintenance.log_maintenance(manager, tool, description="encore", plan=plan)


def test_a_plan_needs_a_date_and_a_sensible_interval(db, tool, manager):
    with pytest.raises(ValidationError):
        maintenance.plan_maintenance(manager, tool, "Graissage", None)
    with pytest.raises(ValidationError):
        maintenance.plan_maintenance(manager, tool, "Graissage", _today(), every_days=0)
    with pytest.raises(ValidationError):
        maintenance.plan_maintenance(manager, tool, "", _today())


def test_maintenance_due_lists_due_plans_of_the_territory_only(db, make_item, other_lab, manager, other_manager):
    due, later, elsewhere = make_item("Scie"), make_item("Ponceuse"), make_item("Rabot", other_lab)
    maintenance.plan_maintenance(manager, due, "Graissage", _today() - timedelta(days=2))
    maintenance.plan_maintenance(manager, later, "Contrôle", _today() + timedelta(days=10))
    maintenance.plan_maintenance(other_manager, elsewhere, "Affûtage", _today() - timedelta(days=1))
    db.session.commit()
    assert [p.item.name for p in maintenance.maintenance_due(due.territory_id, _today())] == ["Scie"]
    assert {p.item.name for p in maintenance.maintenance_due(None, _today())} == {"Scie", "Rabot"}


def test_an_item_out_of_service_cannot_be_lent(db, tool, manager, talent):
    inventory.set_status(manager, [tool], ItemStatus.OUT_OF_SERVICE)
    db.session.commit()
    with pytest.raises(Conflict):
        services.check_out_item(manager, tool, talent, kind="in_lab")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Loan.id))) == 0


# --- Pages -----------------------------------------------------------------------------------------


def test_the_item_page_shows_the_maintenance_panel_to_the_desk_only(db, client, login, tool, manager, talent):
    maintenance.plan_maintenance(manager, tool, "Graissage", _today() + timedelta(days=4), every_days=90)
    maintenance.log_maintenance(manager, tool, description="Lame changée", cost="5")
    db.session.commit()
    english(login(manager))
    page = client.get(f"/inventory/items/{tool.id}").get_data(as_text=True)
    assert "Next maintenance: Graissage" in page and "Lame changée" in page and "Log maintenance" in page
    english(login(talent))
    page = client.get(f"/inventory/items/{tool.id}").get_data(as_text=True)
    assert "Next maintenance" not in page and "Log maintenance" not in page


def test_the_desk_logs_and_plans_maintenance_from_the_item_page(db, client, login, tool, manager):
    english(login(manager))
    due = (_today() + timedelta(days=7)).isoformat()
    response = client.post(
        f"/lending/items/{tool.id}/maintenance-plan",
        data={"plan-what": "Graissage", "plan-due_on": due, "plan-every_days": "30"},
        follow_redirects=True,
    )
    assert "Maintenance planned." in response.get_data(as_text=True)
    [plan] = db.session.scalars(sa.select(MaintenancePlan)).all()
    response = client.post(
        f"/lending/items/{tool.id}/maintenance",
        data={"log-description": "Graissé", "log-cost": "2.40", "log-plan": str(plan.id)},
        follow_redirects=True,
    )
    assert "Maintenance recorded." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(MaintenancePlan, plan.id).due_on == _today() + timedelta(days=30)
    assert db.session.scalar(sa.select(MaintenanceRecord.cost)) == Decimal("2.40")


def test_a_bad_maintenance_form_changes_nothing_and_says_why(db, client, login, tool, manager):
    english(login(manager))
    response = client.post(
        f"/lending/items/{tool.id}/maintenance",
        data={"log-description": "Graissé", "log-cost": "-3"},
        follow_redirects=True,
    )
    assert response.status_code == 200 and "Cost" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MaintenanceRecord.id))) == 0


def test_the_desk_shows_maintenance_due(db, client, login, make_item, manager):
    item = make_item("Scie circulaire")
    maintenance.plan_maintenance(manager, item, "Changer la lame", _today() - timedelta(days=1))
    db.session.commit()
    english(login(manager))
    page = client.get("/lending/desk").get_data(as_text=True)
    assert "Maintenance due (1)" in page and "Changer la lame" in page and "Scie circulaire" in page


def test_the_desk_shows_the_first_plans_due_and_says_there_are_more(
    fresh_renders, db, client, login, make_item, manager, monkeypatch
):
    for n, name in enumerate(("Scie circulaire", "Ponceuse", "Perceuse")):
        maintenance.plan_maintenance(manager, make_item(name), f"Entretien {n}", _today() - timedelta(days=3 - n))
    db.session.commit()
    english(login(manager))
    monkeypatch.setattr(lending_queries, "DESK_ROWS", 2)
    page = client.get("/lending/desk").get_data(as_text=True)
    assert "Maintenance due (2+)" in page
    assert "Entretien 0" in page and "Entretien 1" in page and "Entretien 2" not in page  # the oldest first
    monkeypatch.setattr(lending_queries, "DESK_ROWS", 3)
    assert "Maintenance due (3)</h2>" in client.get("/lending/desk").get_data(as_text=True)
