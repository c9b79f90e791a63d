"""Views of the stock-take: choose a place, scan (typed, USB scanner or camera), confirm or cancel, history."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from repairlab.auth import ensure_territory, roles_required, territory_scope
from repairlab.errors import DomainError
from repairlab.extensions import db
from repairlab.inventory.models import Location
from repairlab.people.models import Role
from repairlab.stocktake import bp
from repairlab.stocktake import services as stocktake
from repairlab.stocktake.forms import StockTakeCancelForm, StockTakeConfirmForm, StockTakeScanForm, StockTakeStartForm
from repairlab.stocktake.models import StockTake, StockTakeStatus
from repairlab.web import db_id, show_domain_error, submit_and_return

STOCKTAKERS = (Role.LAB_MANAGER, Role.ADMIN)


def _location_or_404(location_id) -> Location:
    try:
        location = db.session.get(Location, db_id(location_id)) if location_id else None
    except (TypeError, ValueError):  # not a number, or too large to be an id
        location = None
    if location is None:
        abort(404)
    ensure_territory(current_user, location.territory_id)
    return location


def _stocktake_or_404(stocktake_id: int) -> StockTake:
    found = stocktake.get_stocktake(stocktake_id)
    if found is None:
        abort(404)
    ensure_territory(current_user, found.territory_id)
    return found


def _page(found: StockTake):
    return redirect(url_for("stocktake.page", stocktake_id=found.id))


@bp.route("/new")
@roles_required(*STOCKTAKERS)
def new():
    """Choose the place to count, then start."""
    chosen = _location_or_404(request.args["location"]) if request.args.get("location") else None
    places = stocktake.places_of(territory_scope(current_user))
    return render_template(
        "stocktake/new.html",
        places=places,
        chosen=chosen,
        open_stocktake=stocktake.open_stocktake_of(chosen) if chosen else None,
        form=StockTakeStartForm(location_id=chosen.id if chosen else None),
    )


@bp.route("/start", methods=["POST"])
@roles_required(*STOCKTAKERS)
def start():
    """Open the stock-take of a place and go to the scanning page."""
    form = StockTakeStartForm()
    if not form.validate_on_submit():
        flash(_("Choose a place first."), "error")
        return redirect(url_for("stocktake.new"))
    location = _location_or_404(form.location_id.data)
    try:
        found = stocktake.start_stocktake(current_user, location)
    except DomainError as error:
        show_domain_error(None, error)
        existing = stocktake.open_stocktake_of(location)
        if existing is not None:
            return _page(existing)
        return redirect(url_for("stocktake.new", location=location.id))
    db.session.commit()
    flash(_("Stock-take started: scan everything in %(place)s.", place=location.path), "success")
    return _page(found)


@bp.route("/<int:stocktake_id>")
@roles_required(*STOCKTAKERS)
def page(stocktake_id: int):
    """The scanning page: the code field, the camera, and the found, missing and unexpected lists."""
    found = _stocktake_or_404(stocktake_id)
    is_open = found.status == StockTakeStatus.OPEN
    return render_template(
        "stocktake/stocktake.html",
        stocktake=found,
        state=stocktake.state(found) if is_open else None,
        is_open=is_open,
        scan_form=StockTakeScanForm(formdata=None),
        confirm_form=StockTakeConfirmForm(),
        cancel_form=StockTakeCancelForm(),
    )


def _scan(found: StockTake, text: str) -> stocktake.ScanResult:
    result = stocktake.record_scan(current_user, found, text)
    db.session.commit()
    return result


@bp.route("/<int:stocktake_id>/scan", methods=["POST"])
@roles_required(*STOCKTAKERS)
def scan(stocktake_id: int):
    """Record one code without JavaScript (Post/Redirect/Get; the result is a flash)."""
    found = _stocktake_or_404(stocktake_id)
    form = StockTakeScanForm()
    if not form.validate_on_submit():
        flash(_("Type or scan a code first, for example RBX-0042."), "error")
        return _page(found)
    try:
        result = _scan(found, form.code.data)
    except DomainError as error:
        show_domain_error(None, error)
        return _page(found)
    category = {"found": "success", "unexpected": "warning", "already": "info"}.get(result.kind, "error")
    flash(result.message, category)
    return _page(found)


@bp.route("/<int:stocktake_id>/scan.json", methods=["POST"])
@roles_required(*STOCKTAKERS)
def scan_json(stocktake_id: int):
    """Record one code sent by the page's script; answer with the result and the new counts."""
    found = _stocktake_or_404(stocktake_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):  # no, bad or non-object JSON: fall back to the form
        payload = {}
    text = str(payload.get("code") or request.form.get("code") or "")[:200]
    if not text.strip():
        return jsonify(kind="unknown", message=_("Type or scan a code first, for example RBX-0042.")), 400
    try:
        result = _scan(found, text)
    except DomainError as error:
        db.session.rollback()
        return jsonify(kind="error", message=str(error)), 409
    item = result.item
    return jsonify(
        kind=result.kind,
        message=result.message,
        code=result.code,
        name=item.name if item is not None else "",
        counts=stocktake.counts(found),
    )


@bp.route("/<int:stocktake_id>/confirm", methods=["POST"])
@roles_required(*STOCKTAKERS)
def confirm(stocktake_id: int):
    """Confirm: keep the counts, move the unexpected items here, report the missing ones."""
    found = _stocktake_or_404(stocktake_id)
    form = StockTakeConfirmForm()

    def confirmed(result: stocktake.StockTakeState) -> str:
        counts = result.counts
        return _(
            "Stock-take confirmed: %(found)s found, %(missing)s missing, %(unexpected)s unexpected.",
            found=counts["found"],
            missing=counts["missing"],
            unexpected=counts["unexpected"],
        )

    return submit_and_return(
        form,
        lambda: stocktake.confirm(current_user, found, move_unexpected=bool(form.move_unexpected.data)),
        confirmed,
        _page(found),
    )


@bp.route("/<int:stocktake_id>/cancel", methods=["POST"])
@roles_required(*STOCKTAKERS)
def cancel(stocktake_id: int):
    """Drop the count: nothing is moved or reported."""
    found = _stocktake_or_404(stocktake_id)
    if not StockTakeCancelForm().validate_on_submit():
        return _page(found)
    try:
        stocktake.cancel(current_user, found)
    except DomainError as error:
        show_domain_error(None, error)
        return _page(found)
    db.session.commit()
    flash(_("Stock-take cancelled: nothing was changed."), "info")
    return redirect(url_for("stocktake.history", location=found.location_id))


@bp.route("/history")
@roles_required(*STOCKTAKERS)
def history():
    """The stock-takes of one place, newest first."""
    location = _location_or_404(request.args.get("location"))
    return render_template(
        "stocktake/history.html",
        location=location,
        stocktakes=stocktake.history(location),
        open_stocktake=stocktake.open_stocktake_of(location),
    )
