"""Logging in and out, one's own account, the admin pages and the directory, as a user sees them."""

import re

import pytest
import sqlalchemy as sa

from repairlab.people.models import Cohort, Lab, Role, Territory, User
from tests.conftest import TEST_PASSWORD


def _login_form(client, email, password, remember=False, **kw):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data, **kw)


def test_login_then_home(client, make_user):
    make_user(Role.MENTOR, email="mentor@example.org", name="Moussa Traoré")
    response = _login_form(client, "mentor@example.org", TEST_PASSWORD, follow_redirects=True)
    assert response.status_code == 200
    assert "Moussa Traoré" in response.get_data(as_text=True)


def test_login_follows_only_local_next(client, make_user):
    make_user(email="u@example.org")
    assert _login_form(client, "u@example.org", TEST_PASSWORD, query_string={"next": "/account"}).location == "/account"
    client.post("/logout")
    response = _login_form(client, "u@example.org", TEST_PASSWORD, query_string={"next": "https://evil.example/"})
    assert response.location == "/"


def test_wrong_password_stays_on_login_with_a_message(client, make_user):
    make_user(email="u@example.org")
    response = _login_form(client, "u@example.org", "nope nope nope")
    assert response.status_code == 401
    assert 'role="alert"' in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_page_does_not_reveal_accounts(client, make_user):
    make_user(email="known@example.org")
    known = _login_form(client, "known@example.org", "wrong password").get_data(as_text=True)
    unknown = _login_form(client, "unknown@example.org", "wrong password").get_data(as_text=True)

    def alert(html):
        return re.search(r'role="alert">(.*?)</p>', html, re.DOTALL).group(1)

    assert alert(known) == alert(unknown)


def test_throttled_login_shows_a_clear_message(app, client, make_user):
    make_user(email="u@example.org")
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        assert _login_form(client, "u@example.org", "wrong password").status_code == 401
    response = _login_form(client, "u@example.org", TEST_PASSWORD)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(app.config["LOGIN_FIRST_DELAY_SECONDS"])
    assert "Attendez 30 secondes avant de réessayer" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_a_lab_behind_one_address_is_not_locked_out_by_one_person(app, client, make_user):
    make_user(email="victim@example.org", name="Victime Innocente")
    lab = {"REMOTE_ADDR": "203.0.113.9"}
    for i in range(30):
        _login_form(client, f"guess{i}@example.org", "wrong password", environ_base=lab)
    for _ in range(10):
        _login_form(client, "victim@example.org", "wrong password", environ_base={"REMOTE_ADDR": "192.0.2.66"})
    response = _login_form(client, "victim@example.org", TEST_PASSWORD, environ_base=lab, follow_redirects=True)
    assert response.status_code == 200
    assert "Victime Innocente" in response.get_data(as_text=True)


def test_deactivated_user_cannot_log_in(client, make_user):
    make_user(email="off@example.org", active=False)
    response = _login_form(client, "off@example.org", TEST_PASSWORD)
    assert response.status_code == 401
    assert client.get("/").status_code == 302


def test_deactivating_a_user_ends_their_session(app, client, login, admin, make_user):
    user = make_user(Role.MENTOR)
    other = app.test_client()
    login(user, other)
    assert other.get("/").status_code == 200
    login(admin)
    client.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert other.get("/").status_code == 302


def test_stay_signed_in_sets_a_remember_cookie(client, make_user):
    make_user(email="phone@example.org")
    response = _login_form(client, "phone@example.org", TEST_PASSWORD, remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember and "HttpOnly" in remember[0] and "SameSite=Lax" in remember[0]


def test_without_stay_signed_in_there_is_no_remember_cookie(client, make_user):
    make_user(email="shared@example.org")
    response = _login_form(client, "shared@example.org", TEST_PASSWORD)
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]


def test_session_cookie_is_httponly_samesite_and_secure_over_https(client, make_user):
    # The test app's PUBLIC_BASE_URL is https, so cookies are Secure.
    make_user(email="u@example.org")
    response = _login_form(client, "u@example.org", TEST_PASSWORD)
    session_cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie and "Secure" in session_cookie


def test_logout_is_a_post(client, login, make_user):
    login(make_user())
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").location == "/login"
    assert client.get("/").status_code == 302


def test_change_own_password(client, login, make_user):
    user = make_user(email="me@example.org")
    login(user)
    response = client.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "my new long password",
            "confirm": "my new long password",
        },
    )
    assert response.status_code == 302
    # This device stays signed in; the new password works.
    assert client.get("/account").status_code == 200
    client.post("/logout")
    assert _login_form(client, "me@example.org", "my new long password").status_code == 302


def test_change_password_with_wrong_current_password_changes_nothing(client, login, make_user, db):
    user = make_user()
    login(user)
    old_hash = user.password_hash
    response = client.post(
        "/account/password",
        data={
            "current_password": "not it at all",
            "new_password": "my new long password",
            "confirm": "my new long password",
        },
    )
    assert response.status_code == 400
    assert "mot de passe actuel n’est pas correct" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_a_common_password_is_refused_in_french_and_changes_nothing(client, login, make_user, db):
    user = make_user()
    login(user)
    old_hash = user.password_hash
    response = client.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "new_password": "123456789qwerty", "confirm": "123456789qwerty"},
    )
    assert response.status_code == 400
    assert "un des plus courants" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_admin_creates_a_talent(client, login, admin, territory, make_cohort, db):
    cohort = make_cohort("Promo A")
    login(admin)
    response = client.post(
        "/admin/users/new",
        data={
            "full_name": "Fatou Diallo",
            "email": "Fatou@Example.org",
            "role": "participant",
            "territory_id": territory.id,
            "cohort_id": cohort.id,
            "track": "entrepreneurship",
            "locale": "fr",
            "phone": "",
            "password": "a good long password",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "fatou@example.org"))
    assert user.role == Role.PARTICIPANT and user.cohort_id == cohort.id and user.track.value == "entrepreneurship"


def test_admin_user_form_refuses_bad_input_and_changes_nothing(client, login, admin, db):
    login(admin)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    response = client.post(
        "/admin/users/new",
        data={
            "full_name": "Sans Territoire",
            "email": "x@example.org",
            "role": "mentor",
            "territory_id": "",
            "cohort_id": "",
            "track": "",
            "locale": "fr",
            "password": "a good long password",
        },
    )
    assert response.status_code == 400
    assert "Choisissez un territoire" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before


def test_admin_user_form_requires_a_password_on_create(client, login, admin, territory):
    login(admin)
    response = client.post(
        "/admin/users/new",
        data={
            "full_name": "Sans Mot",
            "email": "y@example.org",
            "role": "admin",
            "territory_id": "",
            "cohort_id": "",
            "track": "",
            "locale": "fr",
            "password": "",
        },
    )
    assert response.status_code == 400 and "Choisissez un mot de passe" in response.get_data(as_text=True)


def test_admin_user_form_refuses_an_unknown_role(client, login, admin):
    login(admin)
    response = client.post(
        "/admin/users/new",
        data={
            "full_name": "X",
            "email": "z@example.org",
            "role": "root",
            "locale": "fr",
            "password": "a good long password",
        },
    )
    assert response.status_code == 400


def test_admin_edits_and_deactivates_a_user(client, login, admin, make_user, db):
    user = make_user(Role.MENTOR, name="Old Name")
    login(admin)
    response = client.post(
        f"/admin/users/{user.id}/edit",
        data={
            "full_name": "New Name",
            "email": user.email,
            "role": "lab_manager",
            "territory_id": user.territory_id,
            "cohort_id": "",
            "track": "",
            "locale": "en",
            "phone": "06 12 34 56 78",
            "password": "",
        },
    )
    assert response.status_code == 302
    client.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    db.session.refresh(user)
    assert (user.full_name, user.role, user.locale, user.active) == ("New Name", Role.LAB_MANAGER, "en", False)


def test_admin_manages_territories_labs_and_cohorts(client, login, admin, db):
    login(admin)
    assert client.post("/admin/territories/new", data={"code": "lil", "name": "Lille"}).status_code == 302
    territory = db.session.scalar(sa.select(Territory).where(Territory.code == "LIL"))
    assert (
        client.post(
            "/admin/labs/new", data={"territory_id": territory.id, "name": "Atelier Wazemmes", "address": "1 rue X"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            "/admin/cohorts/new",
            data={
                "territory_id": territory.id,
                "name": "Promo 1",
                "start_date": "2026-01-05",
                "end_date": "2026-06-30",
                "target_talents": "40",
            },
        ).status_code
        == 302
    )
    assert db.session.scalar(sa.select(Lab.name)) == "Atelier Wazemmes"
    assert db.session.scalar(sa.select(Cohort.target_talents)) == 40
    page = client.get("/admin/territories").get_data(as_text=True)
    assert "LIL" in page and "Atelier Wazemmes" in page


def test_territory_code_cannot_be_changed_by_posting(client, login, admin, territory, db):
    login(admin)
    client.post(f"/admin/territories/{territory.id}/edit", data={"code": "ZZZ", "name": "Roubaix", "active": "y"})
    db.session.refresh(territory)
    assert territory.code == "RBX" and territory.name == "Roubaix"


def test_cohort_with_end_before_start_is_refused(client, login, admin, territory, db):
    login(admin)
    response = client.post(
        "/admin/cohorts/new",
        data={
            "territory_id": territory.id,
            "name": "Promo",
            "start_date": "2026-06-01",
            "end_date": "2026-01-01",
            "target_talents": "10",
        },
    )
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Cohort)) == 0


def test_directory_lists_only_the_territory(client, login, make_user, make_territory):
    other = make_territory("PAR", "Paris")
    mentor = make_user(Role.MENTOR)
    make_user(Role.PARTICIPANT, name="Ici Même")
    make_user(Role.PARTICIPANT, name="Là Bas", territory_=other)
    login(mentor)
    html = client.get("/people").get_data(as_text=True)
    assert "Ici Même" in html and "Là Bas" not in html


def test_admin_user_list_filters(client, login, admin, make_user):
    make_user(Role.MENTOR, name="Zoé Mentor")
    make_user(Role.PARTICIPANT, name="Yanis Talent")
    login(admin)
    html = client.get("/admin/users", query_string={"role": "mentor"}).get_data(as_text=True)
    assert "Zoé Mentor" in html and "Yanis Talent" not in html
    html = client.get("/admin/users", query_string={"q": "yanis"}).get_data(as_text=True)
    assert "Yanis Talent" in html and "Zoé Mentor" not in html


def test_user_list_runs_a_bounded_number_of_queries(client, login, admin, make_user, query_counter):
    login(admin)
    for _ in range(3):
        make_user(Role.MENTOR)
    with query_counter() as few:
        client.get("/admin/users?status=all")
    for _ in range(20):
        make_user(Role.MENTOR)
    with query_counter() as many:
        client.get("/admin/users?status=all")
    assert many.value == few.value


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("zoe", ["Zoé Lefèvre"]),
        ("LEFEVRE", ["Zoé Lefèvre"]),
        ("dusan", ["Dušan Œuvray"]),
        ("oeuvray", ["Dušan Œuvray"]),
        ("@example.org", ["Dušan Œuvray", "Zoé Lefèvre"]),
        ("lefevre@", ["Zoé Lefèvre"]),
        ("zoe dusan", []),  # never across the name and the e-mail
        ("é", ["Dušan Œuvray", "Zoé Lefèvre"]),  # shorter than a trigram: "e" is in both
        ("%", []),
    ],
)
def test_people_search_gives_the_same_results_on_every_engine(client, login, admin, make_user, query, found):
    make_user(Role.PARTICIPANT, name="Zoé Lefèvre", email="zoe.lefevre@example.org")
    make_user(Role.MENTOR, name="Dušan Œuvray", email="d.oeuvray@example.org")
    login(admin)
    html = client.get("/admin/users", query_string={"q": query}).get_data(as_text=True)
    assert sorted(name for name in ("Zoé Lefèvre", "Dušan Œuvray") if name in html) == found


def test_a_renamed_person_is_found_by_the_new_name_only(client, login, admin, make_user, db):
    person = make_user(Role.PARTICIPANT, name="Zoé Lefèvre")
    login(admin)
    person.full_name = "Inès Haddad"
    db.session.commit()
    assert "Inès Haddad" in client.get("/admin/users", query_string={"q": "haddad"}).get_data(as_text=True)
    assert "Inès Haddad" not in client.get("/admin/users", query_string={"q": "lefevre"}).get_data(as_text=True)
