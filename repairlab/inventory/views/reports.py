"""Problem reports: anyone of the territory reports, lab managers list and close them."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from repairlab import images
from repairlab.auth import ensure_territory, roles_required, territory_scope
from repairlab.extensions import db
from repairlab.inventory import bp, services
from repairlab.inventory.forms import CloseReportForm, ReportForm
from repairlab.inventory.models import ProblemReport, ReportStatus
from repairlab.inventory.views.common import MANAGERS, MEMBERS, item_for_manager, submit_or_back
from repairlab.pagination import paginate
from repairlab.web import form_status, submit


@bp.route("/items/<int:item_id>/report", methods=["GET", "POST"])
@roles_required(*MEMBERS)
def report(item_id: int):
    """Say what is wrong with an item, with an optional photo."""
    item = item_for_manager(item_id)
    form = ReportForm()

    def save():
        photo = form.photo.data if form.photo.data and getattr(form.photo.data, "filename", "") else None
        return services.report_problem(current_user, item, form.description.data, photo.stream if photo else None)

    done = submit(form, save, _("Thank you. The lab team has been told."), url_for("inventory.item", item_id=item.id))
    return done or (render_template("inventory/report_form.html", form=form, item=item), form_status())


@bp.route("/reports")
@roles_required(*MANAGERS)
def reports():
    """Open problem reports of the territory (or closed ones with ?status=closed)."""
    status = ReportStatus.CLOSED if request.args.get("status") == "closed" else ReportStatus.OPEN
    stmt = (
        sa.select(ProblemReport)
        .options(
            joinedload(ProblemReport.item), joinedload(ProblemReport.reporter), joinedload(ProblemReport.closed_by)
        )
        .where(ProblemReport.status == status)
        .order_by(ProblemReport.created_at.desc(), ProblemReport.id.desc())
    )
    scope = territory_scope(current_user)
    if scope is not None:
        stmt = stmt.where(ProblemReport.territory_id == scope)
    return render_template(
        "inventory/reports.html",
        page=paginate(stmt),
        showing_open=status == ReportStatus.OPEN,
        close_form=CloseReportForm(),
    )


@bp.route("/reports/<int:report_id>/close", methods=["POST"])
@roles_required(*MANAGERS)
def report_close(report_id: int):
    """Close a report, saying what was done."""
    problem = db.get_or_404(ProblemReport, report_id)
    ensure_territory(current_user, problem.territory_id)
    form = CloseReportForm()
    return submit_or_back(
        form,
        lambda: services.close_report(current_user, problem, form.resolution.data),
        _("Report closed."),
        url_for("inventory.reports"),
    )


@bp.route("/reports/<int:report_id>/photo")
@roles_required(*MANAGERS)
def report_photo(report_id: int):
    """The photo of a report (staff of the territory only: it may show people)."""
    problem = db.get_or_404(ProblemReport, report_id)
    ensure_territory(current_user, problem.territory_id)
    if not problem.photo_key:
        abort(404)
    return images.send_image(problem.photo_key)
