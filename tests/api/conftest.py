"""API fixtures: tokens made through the service, and a client that sends one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from repairlab import clock
from repairlab.api import tokens as token_service
from repairlab.extensions import db as _db
from tests.inventory.conftest import (  # noqa: F401  (fixtures shared with the inventory tests)
    lab,
    make_item,
    manager,
    other_lab,
    other_manager,
    other_territory,
)


@pytest.fixture
def make_token(db):
    """A token of a user, committed; returns its secret: make_token(user, scopes="read write")."""

    def make(user, scopes: str = "read write", days: int = 30, name: str = "Script") -> str:
        _token, secret = token_service.create_token(
            user, name=name, scopes=scopes, expires_on=clock.today() + timedelta(days=days)
        )
        _db.session.commit()
        return secret

    return make


@pytest.fixture
def api(client, make_token):
    """Call the API as a user: api(user).get("/api/v1/items"); messages in English unless told."""

    class Caller:
        def __init__(self, user, scopes: str, lang: str):
            self.headers = {"Authorization": f"Bearer {make_token(user, scopes)}", "Accept-Language": lang}

        def __getattr__(self, method):
            def call(url, **kwargs):
                headers = {**self.headers, **kwargs.pop("headers", {})}
                return getattr(client, method)(url, headers=headers, **kwargs)

            return call

    def for_user(user, scopes: str = "read write", lang: str = "en"):
        return Caller(user, scopes, lang)

    return for_user


@pytest.fixture
def make_place(db, lab):  # noqa: F811
    """Create a place of a lab."""
    from repairlab.inventory import services
    from repairlab.inventory.models import LocationKind

    def make(name: str, lab_=None):
        place = services.create_location(None, lab_ or lab, name, LocationKind.SHELF)
        _db.session.commit()
        return place

    return make


@pytest.fixture
def make_talent_of(make_user):
    """Another talent of the home territory."""
    from repairlab.people.models import Role

    def make(**kwargs):
        return make_user(Role.PARTICIPANT, **kwargs)

    return make
