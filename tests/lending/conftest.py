"""Lending fixtures: the inventory's (lab, manager, other territory, items) plus tools, talents and loans."""

from __future__ import annotations

import threading

import pytest

from repairlab.extensions import db as _db
from repairlab.inventory import requirements
from repairlab.lending import services
from repairlab.people.models import Role
from tests.inventory.conftest import (  # noqa: F401  (fixtures shared with the inventory tests)
    lab,
    make_category,
    make_item,
    manager,
    other_lab,
    other_manager,
    other_territory,
)


@pytest.fixture
def tool(make_item):  # noqa: F811
    """An available tool of the home lab."""
    return make_item("Perceuse-visseuse")


@pytest.fixture
def make_talent(make_user, make_cohort):
    """Create a talent of the home territory (or another)."""

    def make(**kwargs):
        return make_user(Role.PARTICIPANT, **kwargs)

    return make


@pytest.fixture
def lend(db):
    """Lend a tool through the service and commit."""

    def do(actor, item, borrower, kind="take_home", **kwargs):
        loan = services.check_out_item(actor, item, borrower, kind=kind, **kwargs)
        db.session.commit()
        return loan

    return do


@pytest.fixture
def risky_tool(db, tool, admin):
    """The tool requires a safety skill, "Perceuse à colonne", at level 2."""
    from repairlab.skills import catalogue

    domain = catalogue.create_domain(admin, name="Sécurité")
    skill = catalogue.create_skill(admin, domain=domain, name="Perceuse à colonne", is_safety=True)
    requirements.add_requirement(admin, item=tool, skill=skill, min_level=2)
    db.session.commit()
    return tool


def run_together(app, count: int, work) -> list:
    """Run work(i) in `count` threads, each with its own app context and session (messages in English), released
    at once; return what each returned or raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        with app.app_context():
            from flask import g

            g.lang = "en"
            barrier.wait()
            try:
                results[i] = work(i)
            except Exception as error:
                _db.session.rollback()
                results[i] = error
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
