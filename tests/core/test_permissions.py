"""Every route against every role, anonymous visitors, and a user of another territory."""

import pytest

from repairlab.people.models import Role
from tests.permissions import ADMIN, ALL_ROLES, STAFF, Route

# Every route of the application must be declared here (a test fails otherwise).
MATRIX = [
    Route("core.home", lambda w: "/", ALL_ROLES),
    Route("core.healthz", lambda w: "/healthz", ALL_ROLES, anonymous=True),
    Route(
        "people.set_language",
        lambda w: "/language",
        ALL_ROLES,
        method="POST",
        anonymous=True,
        data=lambda w: {"lang": "en"},
    ),
    Route("people.login", lambda w: "/login", frozenset(), anonymous=True),
    Route("people.logout", lambda w: "/logout", ALL_ROLES, method="POST", anonymous=True),
    Route("people.account", lambda w: "/account", ALL_ROLES),
    Route(
        "people.account_preferences",
        lambda w: "/account/preferences",
        ALL_ROLES,
        method="POST",
        data=lambda w: {"locale": "fr"},
    ),
    Route("people.account_password", lambda w: "/account/password", ALL_ROLES, method="POST"),
    Route("people.directory", lambda w: "/people", STAFF),
    Route(
        "people.person",
        lambda w: f"/people/{w['talent'].id}",
        STAFF,
        other_url=lambda w: f"/people/{w['other_talent'].id}",
    ),
    Route("people.admin_users", lambda w: "/admin/users", ADMIN),
    Route("people.admin_user_new", lambda w: "/admin/users/new", ADMIN),
    Route("people.admin_user_edit", lambda w: f"/admin/users/{w['talent'].id}/edit", ADMIN),
    Route(
        "people.admin_user_active",
        lambda w: f"/admin/users/{w['talent'].id}/active",
        ADMIN,
        method="POST",
        data=lambda w: {"active": "1"},
    ),
    Route("people.admin_territories", lambda w: "/admin/territories", ADMIN),
    Route("people.admin_territory_new", lambda w: "/admin/territories/new", ADMIN),
    Route("people.admin_territory_edit", lambda w: f"/admin/territories/{w['territory'].id}/edit", ADMIN),
    Route("people.admin_lab_new", lambda w: "/admin/labs/new", ADMIN),
    Route("people.admin_lab_edit", lambda w: f"/admin/labs/{w['lab'].id}/edit", ADMIN),
    Route("people.admin_cohorts", lambda w: "/admin/cohorts", ADMIN),
    Route("people.admin_cohort_new", lambda w: "/admin/cohorts/new", ADMIN),
    Route("people.admin_cohort_edit", lambda w: f"/admin/cohorts/{w['cohort'].id}/edit", ADMIN),
    Route("audit.browse", lambda w: "/admin/audit", ADMIN),
]


def all_routes() -> list[Route]:
    """The foundation's routes plus those each domain's tests declare."""
    import importlib
    import pkgutil

    import tests

    routes = list(MATRIX)
    for module in pkgutil.iter_modules(tests.__path__):
        try:
            routes += importlib.import_module(f"tests.{module.name}.matrix").MATRIX
        except ModuleNotFoundError as error:
            if error.name != f"tests.{module.name}.matrix":
                raise
    return routes


@pytest.fixture
def world(make_user, make_territory, make_lab, make_cohort, territory):
    """One user of each role in the home territory, a talent in another territory, and inventory in both."""
    other = make_territory("PAR", "Paris-Montreuil")
    cohort = make_cohort("Promo")
    w = {
        "territory": territory,
        "other_territory": other,
        "lab": make_lab("Atelier"),
        "cohort": cohort,
        "talent": make_user(Role.PARTICIPANT, cohort=cohort),
        "other_talent": make_user(Role.PARTICIPANT, territory_=other),
    }
    w["users"] = {role: make_user(role) for role in Role}
    w["users"][Role.PARTICIPANT] = w["talent"]
    _add_inventory(w, make_lab)
    return w


def _add_inventory(w, make_lab) -> None:
    """Inventory objects in each territory: a place, a tool, a part, photos, a report with a photo, a blank code."""
    import io

    from PIL import Image

    from repairlab.extensions import db
    from repairlab.inventory import services
    from repairlab.inventory.models import ItemKind, LocationKind

    def jpeg():
        out = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(out, "JPEG")
        out.seek(0)
        return out

    for prefix, territory, lab, reporter in (
        ("", w["territory"], w["lab"], w["talent"]),
        ("other_", w["other_territory"], make_lab("Atelier Paris", w["other_territory"]), w["other_talent"]),
    ):
        place = services.create_location(None, lab, "Zone", LocationKind.ZONE)
        item = services.create_item(
            None, lab, services.ItemFields(name="Perceuse", kind=ItemKind.TOOL, location_id=place.id)
        )
        part = services.create_item(None, lab, services.ItemFields(name="Vis", kind=ItemKind.PART, quantity=9))
        w[f"{prefix}place"], w[f"{prefix}item"], w[f"{prefix}part"] = place, item, part
        w[f"{prefix}photo"] = services.add_photo(None, item, jpeg())
        w[f"{prefix}photo_to_delete"] = services.add_photo(None, part, jpeg())
        w[f"{prefix}report"] = services.report_problem(reporter, item, "Le mandrin a du jeu", jpeg())
        [w[f"{prefix}blank"]] = services.issue_blank_codes(None, territory, 1)
    w["category"] = services.create_category(None, "Électronique")
    db.session.commit()


def _request(client, route: Route, url: str, w):
    if route.method == "POST":
        return client.post(url, data=route.data(w))
    return client.get(url)


def test_every_route_is_in_the_matrix(app):
    declared = {r.endpoint for r in all_routes()}
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints - declared == set(), "declare these routes in a permission matrix"
    assert declared - endpoints == set(), "these declared routes do not exist"


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anonymous")
def test_role_matrix(app, client, login, world, role):
    """Allowed roles get through (no 401/403/404); others are sent to log in (anonymous) or refused (403)."""
    if role is not None:
        login(world["users"][role])
    failures = []
    for route in all_routes():
        response = _request(client, route, route.url(world), world)
        allowed = route.anonymous if role is None else role in route.allowed
        if route.endpoint == "people.login" and role is not None:
            allowed, expected = True, {302}  # a logged-in user is sent home
        elif allowed:
            expected = None
        elif route.refused is not None:
            expected = route.refused
        elif role is None:
            expected = {302}
        else:
            expected = {403}
        if expected is None:
            if response.status_code in {401, 403, 404, 405, 500}:
                failures.append((route.endpoint, response.status_code, "should be allowed"))
        elif response.status_code not in expected:
            failures.append((route.endpoint, response.status_code, f"expected {expected}"))
        if role is None and expected == {302} and "/login" not in (response.location or ""):
            failures.append((route.endpoint, response.location, "anonymous should be sent to log in"))
        if role is not None and route.method == "POST" and route.endpoint == "people.logout":
            login(world["users"][role])  # logging out ends the session: log back in
    assert failures == []


@pytest.mark.parametrize("role", [r for r in Role if r.needs_territory], ids=lambda r: r.value)
def test_other_territory_objects_are_not_found(app, client, login, world, role):
    """A user bound to a territory never reaches another territory's objects, even with the right role."""
    login(world["users"][role])
    failures = []
    for route in all_routes():
        if route.other_url is None or role not in route.allowed:
            continue
        response = _request(client, route, route.other_url(world), world)
        if response.status_code != 404:
            failures.append((route.endpoint, response.status_code))
    assert failures == []


def test_admin_reaches_every_territory(client, login, world):
    login(world["users"][Role.ADMIN])
    for route in all_routes():
        if route.other_url is not None and Role.ADMIN in route.allowed:
            assert _request(client, route, route.other_url(world), world).status_code not in {403, 404}
