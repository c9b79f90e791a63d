"""`flask --app app api-token EMAIL`: a token of the account, from the server's shell, like one of the account page."""

from __future__ import annotations

import sqlalchemy as sa

from repairlab.api.models import ApiToken
from repairlab.audit.models import AuditEntry
from repairlab.extensions import db


def test_the_command_prints_a_token_that_acts_as_its_user(app, client, manager, lab):
    result = app.test_cli_runner().invoke(
        args=["api-token", manager.email.upper(), "--name", "Essai", "--scopes", "read"]
    )
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    assert secret.startswith("rl_")
    token = db.session.scalar(sa.select(ApiToken))
    assert (token.user_id, token.name, token.scopes, token.revoked_at) == (manager.id, "Essai", "read", None)
    assert (
        db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_type == "api_tokens"))
        == "api_token.create"
    )
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/items", headers=headers).status_code == 200
    assert (
        client.post(
            "/api/v1/items", json={"lab_id": lab.id, "name": "Scie", "kind": "tool"}, headers=headers
        ).status_code
        == 403
    )


def test_an_unknown_or_inactive_account_gets_no_token(app, make_user):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["api-token", "nobody@example.org"])
    assert result.exit_code == 1 and "No active account" in result.output
    asleep = make_user(active=False)
    assert runner.invoke(args=["api-token", asleep.email]).exit_code == 1
    assert runner.invoke(args=["api-token", asleep.email, "--days", "400"]).exit_code == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
