"""Who may use each stock-take route; see tests/core/test_permissions.py."""

from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.stocktake import services as stocktake
from tests.permissions import Route

STOCKTAKERS = frozenset({Role.LAB_MANAGER, Role.ADMIN})


def _stocktake(w, prefix=""):
    """An open stock-take of the place of that territory, created once per world."""
    key = f"{prefix}stocktake"
    if key not in w:
        place = w[f"{prefix}place"]
        w[key] = stocktake.open_stocktake_of(place) or stocktake.start_stocktake(w["users"][Role.ADMIN], place)
        db.session.commit()
    return w[key].id


def _route(endpoint, path, method="GET", data=None):
    return Route(
        endpoint,
        lambda w: f"/lending/stocktake/{_stocktake(w)}{path}",
        STOCKTAKERS,
        method=method,
        data=data or (lambda w: {}),
        other_url=lambda w: f"/lending/stocktake/{_stocktake(w, 'other_')}{path}",
    )


MATRIX = [
    Route(
        "stocktake.new",
        lambda w: f"/lending/stocktake/new?location={w['place'].id}",
        STOCKTAKERS,
        other_url=lambda w: f"/lending/stocktake/new?location={w['other_place'].id}",
    ),
    Route(
        "stocktake.start",
        lambda w: "/lending/stocktake/start",
        STOCKTAKERS,
        method="POST",
        data=lambda w: {"location_id": str(w["place"].id)},
    ),
    Route(
        "stocktake.history",
        lambda w: f"/lending/stocktake/history?location={w['place'].id}",
        STOCKTAKERS,
        other_url=lambda w: f"/lending/stocktake/history?location={w['other_place'].id}",
    ),
    _route("stocktake.page", ""),
    _route("stocktake.scan", "/scan", "POST", lambda w: {"code": w["item"].code}),
    _route("stocktake.scan_json", "/scan.json", "POST", lambda w: {"code": w["item"].code}),
    _route("stocktake.confirm", "/confirm", "POST", lambda w: {"move_unexpected": "y"}),
    _route("stocktake.cancel", "/cancel", "POST"),
]
