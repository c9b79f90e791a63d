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
