"""Figures: dated values, never negative, one per figure and date, corrected or deleted, audited."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.people.models import Role
from repairlab.projects import services
from repairlab.projects.models import FigureEntry, Metric


@pytest.fixture
def project(territory, make_project, talent, mentor):
    return make_project(territory, team=[talent], mentors=[mentor])


def test_the_team_records_a_figure(db, project, talent):
    entry = services.add_figure(talent, project, Metric.REVENUE, date(2026, 4, 30), "1250.5", note="Avril")
    db.session.commit()
    assert entry.value == Decimal("1250.50") and entry.recorded_by_id == talent.id
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "project.figure_add"))


@pytest.mark.parametrize("value", [-1, "abc", None, "", "NaN", "1e20"])
def test_a_bad_value_is_refused(db, project, talent, value):
    with pytest.raises(ValidationError) as error:
        services.add_figure(talent, project, Metric.CUSTOMERS, date(2026, 4, 30), value)
    assert error.value.field == "value"


def test_a_figure_in_the_future_is_refused(db, project, talent):
    with pytest.raises(ValidationError):
        services.add_figure(talent, project, Metric.CUSTOMERS, clock.today() + timedelta(days=1), 3)


def test_one_value_per_figure_and_date_with_a_clear_message(db, project, talent):
    services.add_figure(talent, project, Metric.CUSTOMERS, date(2026, 4, 30), 12)
    with pytest.raises(Conflict) as error:
        services.add_figure(talent, project, Metric.CUSTOMERS, date(2026, 4, 30), 14)
    assert "correct" in str(error.value)
    # Another figure on the same date is fine.
    services.add_figure(talent, project, Metric.REVENUE, date(2026, 4, 30), 14)


def test_a_figure_is_corrected_and_deleted(db, project, talent):
    entry = services.add_figure(talent, project, Metric.JOBS, date(2026, 4, 30), 1)
    services.correct_figure(talent, project, entry, "1.5", "mi-temps en plus")
    assert entry.value == Decimal("1.50")
    services.delete_figure(talent, project, entry)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FigureEntry)) == 0


def test_a_lab_manager_cannot_record_figures(db, project, make_user):
    with pytest.raises(PermissionDenied):
        services.add_figure(make_user(Role.LAB_MANAGER), project, Metric.JOBS, date(2026, 4, 30), 1)
