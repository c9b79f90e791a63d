"""Smoke: the main pages render for an admin."""


def test_admin_pages_render(client, login, admin):
    login(admin)
    for url in [
        "/",
        "/account",
        "/people",
        "/admin/users",
        "/admin/users/new",
        "/admin/territories",
        "/admin/territories/new",
        "/admin/labs/new",
        "/admin/cohorts",
        "/admin/cohorts/new",
        "/admin/audit",
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.data[:500])


def _wide_menu(page: str) -> str:
    return page[page.index('<ul class="nav-wide">') : page.index('<details class="menu nav-narrow">')]


def test_the_programme_administration_links_are_gathered_in_one_menu_for_admins(client, login, admin):
    login(admin)
    client.post("/language", data={"lang": "en"})
    wide = _wide_menu(client.get("/").get_data(as_text=True))
    admin_menu = wide[wide.index('class="dropdown admin-menu"') :]
    for label in ("Accounts", "Territories and labs", "Cohorts", "Audit log"):
        assert label in admin_menu
    assert "Inventory" in wide[: wide.index('class="dropdown admin-menu"')]


def test_other_roles_have_no_administration_menu(client, login, make_user):
    from repairlab.people.models import Role

    login(make_user(Role.MENTOR))
    assert "admin-menu" not in client.get("/").get_data(as_text=True)
