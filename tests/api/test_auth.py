"""The API's door: a bearer token only (never the session cookie, so no CSRF), scopes, problem documents."""

from __future__ import annotations

import pytest

from repairlab.people.models import Role


def test_a_signed_in_browser_without_a_token_gets_401(client, login, manager, make_item):
    item = make_item("Perceuse")
    login(manager)
    assert client.get("/inventory/").status_code == 200  # the session works for the pages
    for url in ("/api/v1/items", f"/api/v1/items/{item.id}", "/api/v1/loans", "/api/v1/nothing-here"):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.mimetype == "application/problem+json"
        assert response.json["status"] == 401
    created = client.post("/api/v1/items", json={"lab_id": item.lab_id, "name": "Scie", "kind": "tool"})
    assert created.status_code == 401


def test_a_token_needs_no_csrf_token_even_with_csrf_on(client, csrf_enabled, api, manager, lab):
    response = api(manager).post("/api/v1/items", json={"lab_id": lab.id, "name": "Scie", "kind": "tool"})
    assert response.status_code == 201
    assert response.json["code"].startswith("RBX-")


def test_a_read_token_cannot_write(api, manager, lab):
    response = api(manager, scopes="read").post("/api/v1/items", json={"lab_id": lab.id, "name": "S", "kind": "tool"})
    assert response.status_code == 403
    assert "only read" in response.json["detail"]


def test_an_unknown_token_and_a_malformed_header_get_401(client):
    for header in ("Bearer rl_nope", "Basic abc", "Bearer ", "rl_nope"):
        response = client.get("/api/v1/items", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(("lang", "words"), [("fr", "Accès refusé"), ("en", "Access denied")])
def test_problems_speak_the_requested_language(api, make_user, lang, words):
    researcher = make_user(Role.RESEARCHER)
    response = api(researcher, lang=lang).get("/api/v1/items")
    assert response.status_code == 403
    assert response.json["title"] == words


def test_without_accept_language_problems_speak_the_users_language(client, make_token, make_user):
    researcher = make_user(Role.RESEARCHER, locale="en")
    secret = make_token(researcher)
    response = client.get("/api/v1/items", headers={"Authorization": f"Bearer {secret}"})
    assert response.json["title"] == "Access denied"


def test_unknown_routes_and_methods_are_problems(api, manager):
    caller = api(manager)
    missing = caller.get("/api/v1/nothing-here")
    assert (missing.status_code, missing.mimetype) == (404, "application/problem+json")
    wrong = caller.delete("/api/v1/items")
    assert (wrong.status_code, wrong.mimetype) == (405, "application/problem+json")
    assert "GET" in wrong.headers["Allow"]


def test_answers_are_never_cached(api, manager):
    response = api(manager).get("/api/v1/items")
    assert response.headers["Cache-Control"] == "no-store"
    assert "Authorization" in response.headers["Vary"]
