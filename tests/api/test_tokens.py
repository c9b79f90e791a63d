"""Personal API tokens: created on the account page and shown once, stored hashed, listed with their last use,
revoked by their owner or an administrator; expired, revoked or a deactivated owner's tokens open nothing."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import sqlalchemy as sa
import time_machine

from repairlab import clock
from repairlab.api.models import ApiToken
from repairlab.audit.models import AuditEntry
from repairlab.extensions import db
from repairlab.people.models import Role


def _create(client, **data):
    form = {"name": "Synchro tableur", "scopes": "read", "expires_on": str(clock.today() + timedelta(days=30))}
    return client.post("/account/api-tokens", data={**form, **data})


def test_a_token_is_shown_once_and_stored_only_as_its_hash(client, login, talent):
    login(talent)
    page = client.get("/account").get_data(as_text=True)
    assert "/account/api-tokens" in page  # the account page links to the tokens
    response = _create(client)
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    secret = re.search(r"<code class=\"secret\" data-secret>(rl_[\w-]+)</code>", html).group(1)
    token = db.session.scalars(sa.select(ApiToken)).one()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr(db.session.execute(sa.select(ApiToken.__table__)).all())
    assert (token.name, token.scopes, token.prefix) == ("Synchro tableur", "read", secret[:10])
    assert clock.lab_day(token.expires_at) == clock.today() + timedelta(days=30)
    # Never again: the list shows the prefix only.
    again = client.get("/account/api-tokens").get_data(as_text=True)
    assert secret not in again and f"{token.prefix}…" in again
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_type == "api_tokens")) == (
        "api_token.create"
    )


def test_the_form_offers_ninety_days_and_refuses_more_than_a_year(client, login, talent):
    login(talent)
    client.post("/language", data={"lang": "en"})
    assert str(clock.today() + timedelta(days=90)) in client.get("/account/api-tokens").get_data(as_text=True)
    response = _create(client, expires_on=str(clock.today() + timedelta(days=400)))
    assert response.status_code == 400
    assert "A token is valid for one year at most." in response.get_data(as_text=True)
    past = _create(client, expires_on=str(clock.today()))
    assert "The expiry date must be after today." in past.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_the_owner_revokes_a_token_and_it_opens_nothing_after(client, login, talent, make_token):
    secret = make_token(talent, "read")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/loans", headers=headers).status_code == 200
    login(talent)
    token = db.session.scalars(sa.select(ApiToken)).one()
    client.post(f"/account/api-tokens/{token.id}/revoke")
    db.session.refresh(token)
    assert token.revoked_at is not None and token.revoked_by_id == talent.id
    refused = client.get("/api/v1/loans", headers=headers)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_someone_else_cannot_revoke_a_token_but_an_admin_can(client, login, talent, make_user, make_token, admin):
    make_token(talent)
    token = db.session.scalars(sa.select(ApiToken)).one()
    login(make_user(Role.MENTOR))
    client.post(f"/account/api-tokens/{token.id}/revoke")
    db.session.refresh(token)
    assert token.revoked_at is None
    login(admin)
    listing = client.get("/admin/api-tokens").get_data(as_text=True)
    assert talent.full_name in listing and token.prefix in listing
    response = client.post(f"/account/api-tokens/{token.id}/revoke", data={"next": "admin"})
    assert response.location.endswith("/admin/api-tokens")
    db.session.refresh(token)
    assert token.revoked_by_id == admin.id


def test_an_expired_token_or_an_inactive_owner_opens_nothing(client, talent, make_token):
    secret = make_token(talent, days=1)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/loans", headers=headers).status_code == 200
    with time_machine.travel(clock.end_of_day(clock.today() + timedelta(days=1)) + timedelta(seconds=1)):
        assert client.get("/api/v1/loans", headers=headers).status_code == 401
    talent.active = False
    db.session.commit()
    assert client.get("/api/v1/loans", headers=headers).status_code == 401


def test_the_last_use_is_written_at_most_every_few_minutes(client, talent, make_token, query_counter):
    secret = make_token(talent)
    headers = {"Authorization": f"Bearer {secret}"}
    client.get("/api/v1/loans", headers=headers)
    first = db.session.scalar(sa.select(ApiToken.last_used_at))
    assert first is not None
    with query_counter() as count:
        client.get("/api/v1/loans", headers=headers)
    assert not any(s.lstrip().upper().startswith("UPDATE API_TOKENS") for s in count.statements)
    with time_machine.travel(first + timedelta(minutes=6)):
        client.get("/api/v1/loans", headers=headers)
    db.session.expire_all()
    assert db.session.scalar(sa.select(ApiToken.last_used_at)) > first
