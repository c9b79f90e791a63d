"""Home page and health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user

from repairlab.core import bp
from repairlab.extensions import csrf, db
from repairlab.freshness import remembered_page
from repairlab.pages import home_panels_for


@bp.route("/")
@remembered_page
def home():
    """The home page: what to do today, by role; anonymous visitors are sent to log in."""
    if not current_user.is_authenticated:
        return redirect(url_for("people.login"))
    return render_template("core/home.html", panels=home_panels_for(current_user))


@bp.route("/healthz")
@csrf.exempt
def healthz():
    """Liveness and database check for load balancers."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception as error:  # any database failure means unhealthy
        # One line per failed check, without the traceback: a load balancer asks every few seconds.
        current_app.logger.warning("Health check: database unreachable (%s)", type(error).__name__)
        try:
            db.session.rollback()
        except Exception:  # a connection that is gone cannot roll back: drop it
            db.session.close()
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})
