"""Rate limits per token, counted in the database (one UPSERT per request) so that every app server shares them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from repairlab import clock
from repairlab.api.limits import DatabaseStorage
from repairlab.api.models import ApiRateCounter
from repairlab.extensions import db


@pytest.fixture
def three_per_minute(app, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")


def test_past_the_limit_a_token_gets_429_with_retry_after_until_the_window_ends(
    three_per_minute, api, talent, make_user
):
    start = clock.utcnow()
    with time_machine.travel(start, tick=False):
        caller = api(talent)
        for _ in range(3):
            assert caller.get("/api/v1/loans").status_code == 200
        refused = caller.get("/api/v1/loans")
        assert (refused.status_code, refused.mimetype) == (429, "application/problem+json")
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        assert refused.json["detail"] == "Too many requests with this token: wait a moment and try again."
        # Another token has its own budget; the count is per token, across every operation.
        assert api(talent).get("/api/v1/items").status_code == 200
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert caller.get("/api/v1/loans").status_code == 200


def test_the_database_storage_counts_windows_with_one_upsert(app):
    storage = DatabaseStorage()
    with time_machine.travel(clock.utcnow(), tick=False) as traveller:
        assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
        assert storage.get("k") == 3
        traveller.shift(61)
        assert storage.get("k") == 0
        assert storage.incr("k", 60) == 1  # a new window
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiRateCounter)) == 1
        storage.clear("k")
        assert storage.get("k") == 0
        assert storage.check()
