"""Sessions end when the user logs out, on every copy of the cookie, and a login starts a fresh session."""

from __future__ import annotations

import re

from repairlab.people.models import Role
from tests.conftest import TEST_PASSWORD


def _log_in(client, email: str, remember: bool = False):
    data = {"email": email, "password": TEST_PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def _copy_cookie(source, target, name: str) -> None:
    """Copy one cookie, as a thief or a second tab of the same browser would hold it."""
    cookie = source.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    target.set_cookie(name, cookie.value, domain=cookie.domain)


def test_a_copy_of_the_session_cookie_is_useless_after_logout(app, client, make_user):
    make_user(Role.MENTOR, email="desk@example.org")
    _log_in(client, "desk@example.org")
    thief = app.test_client()
    _copy_cookie(client, thief, "session")
    assert thief.get("/account").status_code == 200

    client.post("/logout")

    response = thief.get("/account")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_the_remember_cookie_alone_is_useless_after_logout(app, client, make_user):
    make_user(email="phone@example.org")
    _log_in(client, "phone@example.org", remember=True)
    before_logout = app.test_client()
    _copy_cookie(client, before_logout, "remember_token")
    assert before_logout.get("/account").status_code == 200  # the remember cookie alone logs in
    after_logout = app.test_client()
    _copy_cookie(client, after_logout, "remember_token")

    client.post("/logout")

    response = after_logout.get("/account")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_after_logout_the_user_can_log_in_again(client, make_user):
    make_user(email="again@example.org")
    _log_in(client, "again@example.org")
    client.post("/logout")
    _log_in(client, "again@example.org")
    assert client.get("/account").status_code == 200


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_login_starts_a_new_session(client, make_user, csrf_enabled):
    make_user(email="fresh@example.org")
    with client.session_transaction() as sess:
        sess["planted"] = "set before login"
    token = _csrf_token(client.get("/login").get_data(as_text=True))
    with client.session_transaction() as sess:
        anonymous_csrf_secret = sess["csrf_token"]
    anonymous_cookie = client.get_cookie("session").value

    data = {"email": "fresh@example.org", "password": TEST_PASSWORD, "csrf_token": token}
    response = client.post("/login", data=data)
    assert response.status_code == 302

    assert client.get_cookie("session").value != anonymous_cookie
    with client.session_transaction() as sess:
        assert sess.get("_user_id")
        assert "planted" not in sess
        assert sess.get("csrf_token") != anonymous_csrf_secret
    # The form token of the anonymous session no longer works once logged in.
    response = client.post("/account/preferences", data={"locale": "en", "csrf_token": token})
    assert response.status_code == 400
