"""ORDS open data pages: export a selection of tickets as an ORDS file; import a partner's file (preview, then
confirm, all or nothing)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy.orm import joinedload
from wtforms import SelectField
from wtforms.validators import DataRequired, InputRequired

from repairlab.auth import roles_required
from repairlab.errors import DomainError, ValidationError
from repairlab.extensions import db
from repairlab.inventory import csv_io  # the stash that keeps an upload between its preview and its confirmation
from repairlab.people.models import Lab, Role, Territory
from repairlab.repairs import bp, ords_export, ords_import
from repairlab.repairs.models import OUTCOME_LABELS, SOURCE_LABELS, Outcome, TicketSource
from repairlab.repairs.ords_access import EXPORT_ROLES, IMPORT_ROLES, can_import, export_scope, may_import
from repairlab.web import form_status, show_domain_error

REFERENCE = "reference"  # the import target "external reference data" (no lab)
PREVIEW_ROWS = 50  # records shown in a preview
PREVIEW_ERRORS = 500  # refused rows listed in a preview (the count says how many in all)


class OrdsImportForm(FlaskForm):
    """Upload an ORDS file, and say whose records they become."""

    target = SelectField(_l("Import as"), validators=[InputRequired()])
    file = FileField(_l("ORDS CSV file"), validators=[DataRequired()])


def _labs() -> list[Lab]:
    """The active labs the user may import into, in name order."""
    stmt = sa.select(Lab).options(joinedload(Lab.territory)).where(Lab.active.is_(True)).order_by(Lab.name)
    scope = export_scope(current_user)
    if scope is not None:
        stmt = stmt.where(Lab.territory_id == scope)
    return list(db.session.scalars(stmt))


def _target(value: str | None, labs: list[Lab]) -> tuple[bool, Lab | None]:
    """(found, lab) for a target value: a lab's id, or REFERENCE (lab None); checked against the user's rights."""
    if value == REFERENCE:
        return can_import(current_user, None), None
    lab = next((lab for lab in labs if str(lab.id) == value), None)
    return lab is not None and can_import(current_user, lab), lab


def _target_choices(labs: list[Lab]) -> list[tuple[str, str]]:
    choices = [(str(lab.id), _("History of %(lab)s (%(code)s)", lab=lab.name, code=lab.territory.code)) for lab in labs]
    if can_import(current_user, None):
        choices.append((REFERENCE, _("External reference data (no lab)")))
    return choices


@bp.route("/ords/import", methods=["GET", "POST"])
@roles_required(*IMPORT_ROLES)
def ords_import_page():
    """Upload an ORDS file: see every row checked, then confirm; a file with one refused row imports nothing."""
    form = OrdsImportForm()
    labs = _labs()
    form.target.choices = _target_choices(labs)
    preview, token = None, None
    if form.validate_on_submit():
        try:
            found, lab = _target(form.target.data, labs)
            if not found:
                raise ValidationError(_("Choose a lab."), field="target")
            data = form.file.data.read()
            preview = ords_import.plan(data, lab)
            if not preview.errors and preview.new:
                token = csv_io.stash(data)
        except DomainError as error:
            show_domain_error(form, error)
    status = 200 if preview is not None and not preview.errors else form_status()
    return render_template(
        "repairs/ords_import.html",
        form=form,
        preview=preview,
        token=token,
        target=form.target.data,
        preview_rows=PREVIEW_ROWS,
        preview_errors=PREVIEW_ERRORS,
    ), status


@bp.route("/ords/import/confirm", methods=["POST"])
@roles_required(*IMPORT_ROLES)
def ords_import_confirm():
    """Import a previewed file (every new record, or none)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    found, lab = _target(request.form.get("target"), _labs())
    if not found:
        abort(404)
    try:
        # The stashed file goes only once the records are saved: a refusal or a crash leaves it to confirm again.
        with csv_io.claimed(request.form.get("token", "")) as data:
            done = ords_import.import_file(current_user, lab, data)
            db.session.commit()
    except DomainError as error:
        db.session.rollback()
        show_domain_error(None, error)
        return redirect(url_for("repairs.ords_import_page"))
    message = ngettext("%(num)d repair record imported.", "%(num)d repair records imported.", len(done.new))
    if done.already_there:
        message += " " + ngettext(
            "%(num)d was already there.", "%(num)d were already there.", done.already_there, num=done.already_there
        )
    flash(message, "success")
    return redirect(url_for("repairs.ords_export_page"))


def _filters() -> ords_export.ExportFilters:
    return ords_export.ExportFilters.from_args(request.args)


@bp.route("/ords")
@roles_required(*EXPORT_ROLES)
def ords_export_page():
    """Choose the tickets to export as ORDS open data."""
    scope = export_scope(current_user)
    territories = db.session.scalars(sa.select(Territory).order_by(Territory.code)).all() if scope is None else []
    labs = _labs()
    filters = _filters()
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(ords_export.ticket_query(scope, filters).order_by(None).subquery())
    )
    return render_template(
        "repairs/ords_export.html",
        filters=filters,
        territories=territories,
        labs=labs,
        count=count,
        outcomes=[(o.value, OUTCOME_LABELS[o]) for o in Outcome],
        sources=[(s.value, SOURCE_LABELS[s]) for s in TicketSource],
        may_import=may_import(current_user),
        args=request.args,
    )


@bp.route("/ords/export.csv")
@roles_required(*EXPORT_ROLES)
def ords_export_file():
    """The selected tickets as an ORDS v0.3 records file (streamed)."""
    stmt = ords_export.ticket_query(export_scope(current_user), _filters())
    return Response(
        ords_export.export_stream(stmt),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=OpenRepairData_v0.3_RepairLab.csv"},
    )


@bp.route("/ords/unpowered.csv")
@roles_required(*EXPORT_ROLES)
def ords_unpowered_file():
    """The unpowered summary of the selected tickets."""
    return Response(
        ords_export.unpowered_summary(export_scope(current_user), _filters()),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=OpenRepairData_v0.3_RepairLab_unpowered.csv"},
    )


def init_app(app: Flask) -> None:
    """The ORDS page in the navigation, in the repairs menu: short label, so that the menu holds on one line at a
    laptop's width. Administrators, whose menu is full, do not get the link (as with the repair events' link)."""
    from repairlab.pages import NavItem, nav

    roles = frozenset(EXPORT_ROLES) - {Role.ADMIN}
    nav.register("repairs.ords_export_page", NavItem(_l("ORDS data"), roles, group=_l("Repairs")), order=29)
