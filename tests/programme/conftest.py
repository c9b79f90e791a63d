"""Fixtures of the programme tests: staff of the talent's territory, and days relative to today."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from repairlab import clock
from repairlab.people.models import Role


@pytest.fixture
def mentor(make_user):
    """A mentor of the default territory."""
    return make_user(Role.MENTOR, name="Mona Mentor")


@pytest.fixture
def days_ago():
    """days_ago(n): the date n days before today (the clock may be moved with --clock)."""

    def at(n: int) -> date:
        return clock.today() - timedelta(days=n)

    return at
