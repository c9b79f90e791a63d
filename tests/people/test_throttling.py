"""Login throttling: an attacker is slowed per account and address, the owner with the right password is not."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from repairlab.people import services
from repairlab.people.models import LoginThrottle
from tests.conftest import TEST_PASSWORD

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
LAB = "203.0.113.9"  # one internet connection shared by a whole lab
HOME = "198.51.100.7"


@pytest.fixture
def clock():
    """A stopped clock that the test moves by hand."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _fail(email: str, address: str, times: int) -> None:
    for _ in range(times):
        result = services.authenticate(email, "a wrong guess", address)
        assert result.user is None and result.retry_after == 0, result.error


def test_the_right_password_works_from_an_address_that_many_failures_came_from(app, db, make_user, clock):
    make_user(email="owner@example.org")
    # Someone at the lab sprays guesses at many accounts, far more than any per-address limit would allow.
    for i in range(40):
        services.authenticate(f"someone{i}@example.org", "a wrong guess", LAB)
    # Someone at the lab also guesses at a colleague's account until they are made to wait.
    _fail("colleague@example.org", LAB, app.config["LOGIN_FREE_FAILURES"])
    assert services.authenticate("colleague@example.org", "a wrong guess", LAB).retry_after > 0

    assert services.authenticate("owner@example.org", TEST_PASSWORD, LAB).user is not None


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(app, db, make_user, clock):
    user = make_user(email="owner@example.org")
    _fail("owner@example.org", LAB, app.config["LOGIN_FREE_FAILURES"])
    for _ in range(10):
        assert services.authenticate("owner@example.org", TEST_PASSWORD, LAB).retry_after > 0

    assert services.authenticate("owner@example.org", TEST_PASSWORD, HOME).user == user


def test_the_delay_grows_with_each_wrong_password(app, db, make_user, clock):
    make_user(email="target@example.org")
    free, first = app.config["LOGIN_FREE_FAILURES"], app.config["LOGIN_FIRST_DELAY_SECONDS"]
    _fail("target@example.org", LAB, free)

    # Even the right password is not checked while the pair must wait: checking it would tell a guesser.
    refused = services.authenticate("target@example.org", TEST_PASSWORD, LAB)
    assert refused.user is None and refused.retry_after == first
    assert "Attendez 30 secondes" in refused.error

    clock.shift(timedelta(seconds=first))
    _fail("target@example.org", LAB, 1)
    assert services.authenticate("target@example.org", TEST_PASSWORD, LAB).retry_after == 2 * first

    clock.shift(timedelta(seconds=2 * first))
    _fail("target@example.org", LAB, 1)
    assert services.authenticate("target@example.org", TEST_PASSWORD, LAB).retry_after == 4 * first


def test_the_delay_stops_growing_at_the_maximum(app, db, make_user, clock):
    make_user(email="target@example.org")
    longest = app.config["LOGIN_MAX_DELAY_SECONDS"]
    _fail("target@example.org", LAB, app.config["LOGIN_FREE_FAILURES"])
    for _ in range(12):
        clock.shift(timedelta(seconds=longest))
        _fail("target@example.org", LAB, 1)
    refused = services.authenticate("target@example.org", TEST_PASSWORD, LAB)
    assert refused.retry_after == longest
    assert "Attendez 15 minutes" in refused.error


def test_the_owner_logs_in_once_the_delay_is_over_and_starts_afresh(app, db, make_user, clock):
    user = make_user(email="typo@example.org")
    free, first = app.config["LOGIN_FREE_FAILURES"], app.config["LOGIN_FIRST_DELAY_SECONDS"]
    _fail("typo@example.org", LAB, free)
    clock.shift(timedelta(seconds=first))

    assert services.authenticate("typo@example.org", TEST_PASSWORD, LAB).user == user
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginThrottle)) == 0
    _fail("typo@example.org", LAB, free)  # a later typo starts from the free attempts again


def test_old_failures_are_forgotten(app, db, make_user, clock):
    make_user(email="monthly@example.org")
    free = app.config["LOGIN_FREE_FAILURES"]
    _fail("monthly@example.org", LAB, free - 1)
    clock.shift(timedelta(seconds=app.config["LOGIN_FORGET_AFTER_SECONDS"] + 1))
    _fail("monthly@example.org", LAB, free - 1)
    assert services.authenticate("monthly@example.org", "a wrong guess", LAB).retry_after == 0


def test_purge_deletes_only_forgotten_pairs(app, db, make_user, clock):
    _fail("old@example.org", LAB, 1)
    clock.shift(timedelta(seconds=app.config["LOGIN_FORGET_AFTER_SECONDS"] + 1))
    _fail("recent@example.org", LAB, 1)
    assert services.purge_login_attempts() == 1
    db.session.commit()
    assert db.session.scalars(sa.select(LoginThrottle.email)).all() == ["recent@example.org"]


def test_parallel_wrong_passwords_are_checked_only_as_often_as_allowed(app, db, make_user, monkeypatch):
    """Ten guesses sent at once for one account from one address: only the free attempts reach the password check."""
    make_user(email="target@example.org")
    free = app.config["LOGIN_FREE_FAILURES"]
    guesses = 2 * free
    checks = []
    state = threading.Condition()
    finished = []
    released = False
    real_check = services.check_password_hash

    def held_check(pwhash, password):
        # Hold every check until each guess is either being checked or already answered, so that no guess can
        # record its failure before the others have decided whether to check: the widest race there is.
        with state:
            checks.append(password)
            state.notify_all()
            state.wait_for(lambda: released, timeout=30)
        return real_check(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", held_check)
    barrier = threading.Barrier(guesses)

    def guess(i: int) -> None:
        with app.app_context():
            barrier.wait(timeout=30)
            result = services.authenticate("target@example.org", f"wrong guess {i}", LAB)
        with state:
            finished.append(result)
            state.notify_all()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(guesses)]
    for thread in threads:
        thread.start()
    with state:
        assert state.wait_for(lambda: len(checks) + len(finished) == guesses, timeout=60)
        released = True
        state.notify_all()
    for thread in threads:
        thread.join(timeout=60)

    assert len(checks) == free
    assert len(finished) == guesses
    assert sum(1 for r in finished if r.retry_after > 0) == guesses - free
    throttle = db.session.scalars(sa.select(LoginThrottle)).one()
    assert throttle.failures == free and throttle.locked_until is not None
