"""Lists of the foundation answer any query string without a server error."""

from __future__ import annotations

import pytest

URLS = ("/", "/people", "/admin/users", "/admin/territories", "/admin/cohorts", "/admin/audit", "/account")
ODD_ARGS = (
    "page=99999999999999999999",
    "page=-3",
    "page=x",
    "actor=99999999999",
    "actor=abc",
    "territory=99999999999",
    "territory=-1",
    "from=2024-13-45",
    "to=99999-01-01",
    "object_id=" + "9" * 300,
    "q=" + "%_\\" * 100,
    "role=nope&status=nope",
)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("args", ODD_ARGS)
def test_odd_query_strings_never_cause_a_server_error(client, login, admin, url, args):
    login(admin)
    response = client.get(f"{url}?{args}")
    assert response.status_code < 500
