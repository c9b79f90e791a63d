"""The CSV import (preview, then confirm) and export of the item list."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from repairlab.auth import ensure_territory, roles_required, territory_scope
from repairlab.errors import DomainError, ValidationError
from repairlab.extensions import db
from repairlab.inventory import bp, csv_io
from repairlab.inventory.forms import ImportForm
from repairlab.inventory.queries import EXPORT_LOADS, ItemFilters, item_query
from repairlab.inventory.views.common import MANAGERS, lab_choices, labs_in_scope
from repairlab.people.models import Lab
from repairlab.web import db_id, form_status, show_domain_error


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def import_items():
    """Upload a CSV file: see every row checked, then confirm; a file with one bad row imports nothing."""
    form = ImportForm()
    labs = labs_in_scope()
    form.lab_id.choices = lab_choices(labs)
    preview, token, lab = None, None, None
    if form.validate_on_submit():
        lab = next((lab for lab in labs if lab.id == form.lab_id.data), None)
        try:
            if lab is None:
                raise ValidationError(_("Choose a lab."), field="lab_id")
            data = form.file.data.read(csv_io.MAX_BYTES + 1)
            preview = csv_io.parse(data, lab)
            if not preview.errors:
                token = csv_io.stash(data)
        except DomainError as error:
            show_domain_error(form, error)
    # A clean preview is a normal page; a refused file or form is a 400, like every refused form.
    status = 200 if preview is not None and not preview.errors else form_status()
    return render_template(
        "inventory/import.html", form=form, preview=preview, token=token, lab=lab, columns=csv_io.COLUMNS
    ), status


@bp.route("/import/confirm", methods=["POST"])
@roles_required(*MANAGERS)
def import_confirm():
    """Import a previewed file (all rows or none)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    lab = db.session.get(Lab, request.form.get("lab_id", type=db_id) or 0)
    if lab is None:
        abort(404)
    ensure_territory(current_user, lab.territory_id)
    token = request.form.get("token", "")
    try:
        # The stashed file goes only once the items are saved: a refusal or a crash leaves it to confirm again.
        with csv_io.claimed(token) as data:
            created = csv_io.import_items(current_user, lab, data)
            db.session.commit()
    except DomainError as error:
        show_domain_error(None, error)
        return redirect(url_for("inventory.import_items"))
    flash(ngettext("%(num)d item imported.", "%(num)d items imported.", len(created)), "success")
    return redirect(url_for("inventory.items", sort="recent"))


@bp.route("/export.csv")
@roles_required(*MANAGERS)
def export_items():
    """The current filtered list as CSV (streamed, so large lists use little memory)."""
    filters = ItemFilters.from_args(request.args)
    stmt = item_query(territory_scope(current_user), filters, EXPORT_LOADS)
    return Response(
        csv_io.export_stream(stmt),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=inventory.csv"},
    )
