"""One span of dates (years 1900 to 2100) for every form, service and query-string filter, with one clear message."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from repairlab.audit.services import record
from repairlab.errors import ValidationError
from repairlab.inventory import services as inventory
from repairlab.inventory.models import Item, ItemKind
from repairlab.lending.maintenance import services as maintenance
from repairlab.lending.maintenance.models import MaintenanceRecord
from repairlab.people import services as people
from repairlab.people.models import Cohort, Role
from repairlab.skills import catalogue, validations
from repairlab.skills.models import SkillValidation

MESSAGE = "Enter a date between the years 1900 and 2100."
MESSAGE_FR = "Indiquez une date entre les années 1900 et 2100."
ABSURD = [date(1, 1, 1), date(1899, 12, 31), date(2101, 1, 1), date(9999, 12, 31)]


@pytest.mark.parametrize("bound", ["to=9999-12-31", "from=0001-01-01", "from=9999-12-31&to=0001-01-01"])
def test_the_audit_log_says_a_date_is_out_of_range_instead_of_failing(client, login, admin, db, bound):
    record(admin, "update", admin, label="fiche-témoin")
    db.session.commit()
    login(admin)
    response = client.get(f"/admin/audit?{bound}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert MESSAGE_FR in html and "fiche-témoin" in html  # the filter is dropped, the log still shows


def test_the_audit_log_filters_by_days_inside_the_span(client, login, admin, db):
    record(admin, "update", admin, label="fiche-témoin")
    db.session.commit()
    login(admin)
    assert "fiche-témoin" in client.get("/admin/audit?from=1900-01-01&to=2100-12-31").get_data(as_text=True)
    html = client.get("/admin/audit?to=1999-12-31").get_data(as_text=True)
    assert "fiche-témoin" not in html and MESSAGE_FR not in html


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_form_refuses_a_date_outside_the_span_with_the_message(client, login, admin, territory, db, day):
    login(admin)
    response = client.post(
        "/admin/cohorts/new",
        data={"territory_id": territory.id, "name": "Promo", "start_date": day, "end_date": "2026-06-30"}
        | {"target_talents": "10"},
    )
    assert response.status_code == 400 and MESSAGE_FR in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Cohort)) == 0


def test_date_inputs_carry_the_span_for_the_browsers_picker(client, login, admin):
    login(admin)
    html = client.get("/admin/cohorts/new").get_data(as_text=True)
    assert 'max="2100-12-31"' in html and 'min="1900-01-01"' in html


def _refused(call) -> ValidationError:
    with force_locale("en"), pytest.raises(ValidationError) as error:
        call()
    assert str(error.value) == MESSAGE
    return error.value


@pytest.mark.parametrize("day", ABSURD)
def test_cohorts_refuse_dates_outside_the_span(db, territory, day):
    error = _refused(
        lambda: people.create_cohort(
            None,
            territory=territory,
            name="Promo",
            start_date=min(day, date(2026, 1, 5)),
            end_date=max(day, date(2026, 1, 5)),
            target_talents=10,
        )
    )
    assert error.field in ("start_date", "end_date")


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1899, 12, 31)])
def test_purchases_refuse_dates_outside_the_span(db, make_lab, day):
    lab = make_lab()
    fields = inventory.ItemFields(name="Perceuse", kind=ItemKind.TOOL, acquired_on=day)
    assert _refused(lambda: inventory.create_item(None, lab, fields)).field == "acquired_on"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Item)) == 0


def test_a_csv_import_names_the_row_with_an_absurd_purchase_date(db, make_lab):
    from repairlab.inventory import csv_io

    with force_locale("en"):
        preview = csv_io.parse(b"name,kind,acquired_on\nPerceuse,tool,0001-01-01\n", make_lab())
    assert [(e.line, e.column, e.message) for e in preview.errors] == [(2, "acquired_on", MESSAGE)]


def test_maintenance_refuses_dates_outside_the_span(db, make_lab, make_user):
    manager = make_user(Role.LAB_MANAGER)
    item = inventory.create_item(None, make_lab(), inventory.ItemFields(name="Perceuse", kind=ItemKind.TOOL))
    db.session.commit()
    error = _refused(lambda: maintenance.log_maintenance(manager, item, description="Nettoyage", done_on=date(1, 1, 1)))
    assert error.field == "done_on"
    error = _refused(lambda: maintenance.plan_maintenance(manager, item, "Révision", date(1, 1, 1)))
    assert error.field == "due_on"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MaintenanceRecord)) == 0


def test_skill_validations_refuse_dates_outside_the_span(db, talent, make_user):
    admin = make_user(Role.ADMIN)
    skill = catalogue.create_skill(admin, domain=catalogue.create_domain(admin, name="Électronique"), name="Soudure")
    db.session.commit()
    mentor = make_user(Role.MENTOR)
    error = _refused(lambda: validations.validate_skill(mentor, talent, skill, level=2, validated_on=date(1, 1, 1)))
    assert error.field == "validated_on"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SkillValidation)) == 0
