"""Stock-take: count a place by scanning its labels, then confirm (move strays in, report the missing)."""

from flask import Blueprint, Flask

bp = Blueprint("stocktake", __name__, url_prefix="/lending/stocktake")


def init_app(app: Flask) -> None:
    """Register the views, the demo data and the blueprint."""
    from repairlab.demo import demo_seeders
    from repairlab.stocktake import demo, views  # noqa: F401  (routes)

    demo_seeders.register("stocktake", demo.seed_stocktakes, order=46)
    app.register_blueprint(bp)
