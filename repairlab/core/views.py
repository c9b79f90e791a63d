"""Home page, language switch and health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from repairlab.core import bp
from repairlab.core.registry import home_panels
from repairlab.errors import DomainError
from repairlab.extensions import csrf, db
from repairlab.people import services as people_services
from repairlab.web import safe_next


@bp.route("/")
def home():
    """The home page: what to do today, by role; anonymous visitors are sent to log in."""
    if not current_user.is_authenticated:
        return redirect(url_for("people.login"))
    return render_template("core/home.html", panels=home_panels.for_user(current_user))


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language: remembered on the account, or in the session when anonymous."""
    form = FlaskForm()
    lang = request.form.get("lang", "")
    back = safe_next(request.form.get("next")) or url_for("core.home")
    if not form.validate_on_submit() or lang not in current_app.config["LANGUAGES"]:
        flash(_("Unknown language."), "error")
        return redirect(back)
    if current_user.is_authenticated:
        try:
            people_services.set_locale(current_user, lang)
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(back)
        db.session.commit()
    session["lang"] = lang
    return redirect(back)


@bp.route("/healthz")
@csrf.exempt
def healthz():
    """Liveness and database check for load balancers."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        current_app.logger.exception("Health check: database unreachable")
        db.session.rollback()
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})
