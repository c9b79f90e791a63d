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
from tests.api.matrix import OPERATIONS


def test_the_openapi_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"] == "3.1.0"
    validate(document)
    operations = {(path, method) for path, ops in document["paths"].items() for method in ops if method != "parameters"}
    assert {
        ("/api/v1/items", "get"),
        ("/api/v1/loans/{loan_id}/return", "post"),
        ("/api/v1/reservations", "post"),
        ("/api/v1/reservations/{reservation_id}/cancel", "post"),
        ("/api/v1/skills", "get"),
        ("/api/v1/passports/{user_id}", "get"),
        ("/api/v1/projects/{project_id}/move", "post"),
        ("/api/v1/repair-tickets", "post"),
        ("/api/v1/repair-tickets/{ticket_id}/status", "post"),
        ("/api/v1/indicators/{section_key}", "get"),
    } <= operations
    # Every operation of the token matrix is in the document, and the other way round.
    assert len(operations) == len({(op.endpoint, op.method) for op in OPERATIONS})
    for ops in document["paths"].values():
        for method, op in ops.items():
            if method != "parameters":
                assert op.get("summary") or op.get("description")
                # Its refusals are documented as problem documents: no token (401), past the rate limit (429).
                assert {"401", "429"} <= set(op["responses"]), (method, op.get("summary"))


def test_the_documentation_page_uses_vendored_assets_only(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/static/vendor/swagger-ui-5.36.0/swagger-ui-bundle.js" in page
    assert "https://" not in page and "//cdn" not in page
    assert client.get("/static/vendor/swagger-ui-5.36.0/swagger-ui-bundle.js").status_code == 200


# Generated requests per operation, each sent with every role's token (30 operations): about 10 s on SQLite and 15 s on
# PostgreSQL on one core.
EXAMPLES = 5

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
    _rows_of_every_list(db, lab, users)
    secrets = {}
    for role, user in users.items():
        _token, secrets[role] = tokens.create_token(
            user, name="Contract", scopes="read write", expires_on=tokens.default_expiry()
        )
    db.session.commit()
    return secrets


def _rows_of_every_list(db, lab, users) -> None:
    """A reservation, a validated skill, a project, a repair ticket: each list answers rows to check."""
    from datetime import timedelta

    import sqlalchemy as sa

    from repairlab import clock
    from repairlab.lending.reservations import services as reservations
    from repairlab.projects import services as projects
    from repairlab.projects.models import Sector
    from repairlab.repairs import tickets
    from repairlab.repairs.models import RepairCategory
    from repairlab.skills import catalogue, validations

    talent, admin = users[Role.PARTICIPANT], users[Role.ADMIN]
    tool = services.create_item(None, lab, services.ItemFields(name="Rabot", kind=ItemKind.TOOL))
    day = clock.today() + timedelta(days=5)
    reservations.reserve_item(talent, tool, starts_on=day, ends_on=day, borrower=talent)
    skill = catalogue.create_skill(admin, domain=catalogue.create_domain(admin, name="Bois"), name="Rabotage")
    validations.validate_skill(users[Role.MENTOR], talent, skill, level=2)
    stage = projects.create_stage(None, "Idée")
    projects.create_stage(None, "Prototype")
    fields = projects.ProjectFields(name="Vélo solidaire", sector=Sector.BIKES)
    projects.create_project(None, lab.territory, fields, team=[talent], mentors=[users[Role.MENTOR]], stage=stage)
    toaster = sa.select(RepairCategory.id).where(RepairCategory.name == "Toaster")
    data = tickets.IntakeFields(category_id=db.session.scalar(toaster), problem="Ne chauffe plus")
    tickets.take_in(users[Role.LAB_MANAGER], lab, data)


def test_every_operation_answers_within_its_contract_for_every_role(app, world_tokens):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len({(op.endpoint, op.method) for op in OPERATIONS})
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
