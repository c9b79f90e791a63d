"""Every operation of the API with each role's token (tests/api/matrix.py): the allowed roles get through, the others
are refused with a problem document; territory-bound roles never reach another territory's objects (404), nor see
them in a list; administrators reach every territory."""

from __future__ import annotations

import pytest

from repairlab.api import tokens
from repairlab.extensions import db
from repairlab.people.models import Role
from tests.api.matrix import OPERATIONS
from tests.core.test_permissions import world  # noqa: F401  (the permission matrix's world of test objects)

# A refused operation: forbidden for the role (403); never the door's 401, a 500 or an HTML page.
THROUGH_REFUSALS = {401, 403, 404, 405}


@pytest.fixture
def call(client, world, app, monkeypatch):  # noqa: F811
    """Call an operation with a read-and-write token of the role."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000 per minute")
    secrets = {}

    def do(role: Role, method: str, url: str, json: dict | None):
        if role not in secrets:
            _token, secrets[role] = tokens.create_token(
                world["users"][role], name="Matrix", scopes="read write", expires_on=tokens.default_expiry()
            )
            db.session.commit()
        headers = {"Authorization": f"Bearer {secrets[role]}", "Accept-Language": "en"}
        return client.open(url, method=method, json=json, headers=headers)

    return do


def _json(op, w):
    return op.json(w) if op.json else ({} if op.method != "GET" else None)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_operation_with_each_roles_token(world, call, role):  # noqa: F811
    failures = []
    for op in OPERATIONS:
        response = call(role, op.method, op.url(world), _json(op, world))
        if response.mimetype not in ("application/json", "application/problem+json"):
            failures.append((op.endpoint, op.method, response.status_code, response.mimetype))
        elif role in op.allowed:
            if response.status_code in THROUGH_REFUSALS or response.status_code >= 500:
                failures.append((op.endpoint, op.method, response.status_code, response.json.get("detail")))
        elif response.status_code != 403:
            failures.append((op.endpoint, op.method, response.status_code, "expected 403"))
    assert failures == []


@pytest.mark.parametrize("role", [r for r in Role if r.needs_territory], ids=lambda r: r.value)
def test_other_territorys_objects_are_not_found_nor_listed(world, call, role):  # noqa: F811
    failures = []
    for op in OPERATIONS:
        if role not in op.allowed:
            continue
        if op.other_url or op.other_json:
            url = (op.other_url or op.url)(world)
            body = op.other_json(world) if op.other_json else _json(op, world)
            response = call(role, op.method, url, body)
            # A lab of another territory named in a body is refused as the form refuses it: not one to choose.
            expected = {422} if op.other_json and "lab_id" in body else {404}
            if response.status_code not in expected:
                failures.append((op.endpoint, op.method, response.status_code, f"expected {expected}"))
        if op.hidden:
            hidden = op.hidden(world)
            listed = call(role, "GET", op.url(world) + ("&" if "?" in op.url(world) else "?") + "per_page=100", None)
            if hidden in {row["id"] for row in listed.json["items"]}:
                failures.append((op.endpoint, "lists another territory's", hidden))
    assert failures == []


def test_an_administrator_reaches_every_territory(world, call):  # noqa: F811
    failures = []
    for op in OPERATIONS:
        if op.method == "GET" and op.other_url:
            response = call(Role.ADMIN, "GET", op.other_url(world), None)
            if response.status_code != 200:
                failures.append((op.endpoint, response.status_code))
    assert failures == []
