"""The contract: the OpenAPI 3.1 document is valid, and schemathesis calls every operation with each role's token
(a bounded number of generated requests each): no server error, and every answer matches its documented schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from openapi_spec_validator import validate
from schemathesis import checks

from repairlab.api import tokens
from repairlab.inventory import services
from repairlab.inventory.models import ItemKind
from repairlab.people.models import Role


def test_the_openapi_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"] == "3.1.0"
    validate(document)
    operations = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert ("/api/v1/items", "get") in operations and ("/api/v1/loans/{loan_id}/return", "post") in operations
    for ops in document["paths"].values():
        for method, op in ops.items():
            if method != "parameters":
                assert op.get("summary") or op.get("description")


def test_the_documentation_page_uses_vendored_assets_only(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/static/vendor/swagger-ui-5.36.0/swagger-ui-bundle.js" in page
    assert "https://" not in page and "//cdn" not in page
    assert client.get("/static/vendor/swagger-ui-5.36.0/swagger-ui-bundle.js").status_code == 200


# Generated requests per operation (each sent with every role's token): the whole run stays within seconds.
EXAMPLES = 8

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture
def world_tokens(db, make_user, lab, talent, app, monkeypatch):
    """A token of each role (read and write), and a few things to find."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000 per minute")
    for name in ("Perceuse", "Scie"):
        services.create_item(None, lab, services.ItemFields(name=name, kind=ItemKind.TOOL))
    services.create_item(None, lab, services.ItemFields(name="Vis", kind=ItemKind.PART, quantity=3))
    users = {role: make_user(role) for role in Role if role != Role.PARTICIPANT}
    users[Role.PARTICIPANT] = talent
    secrets = {}
    for role, user in users.items():
        _token, secrets[role] = tokens.create_token(
            user, name="Contract", scopes="read write", expires_on=tokens.default_expiry()
        )
    db.session.commit()
    return secrets


def test_every_operation_answers_within_its_contract_for_every_role(app, world_tokens):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            for secret in world_tokens.values():
                case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)

        call()
