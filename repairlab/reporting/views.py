"""The indicators page, each of its tables as CSV, and the research export (thin routes)."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, render_template, request, send_file
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from repairlab.auth import roles_required
from repairlab.extensions import db
from repairlab.freshness import remembered_page
from repairlab.reporting import bp, exports, queries
from repairlab.reporting.access import EXPORT_ROLES, PAGE_ROLES, can_export
from repairlab.reporting.charts import bar_chart
from repairlab.reporting.formatting import display, plain
from repairlab.reporting.registry import sections
from repairlab.reporting.selection import parse_selection
from repairlab.reporting.services import log_export


@bp.route("/")
@roles_required(*PAGE_ROLES)
@remembered_page
def index():
    """The indicators, section by section, for the filters of the query string."""
    parsed = parse_selection(request.args, current_user)
    shown = []
    if not parsed.errors:
        computed = queries.indicators(parsed.selection)
        for key, section in sections.items():
            data = computed[key]
            charts = {table.key: bar_chart(table, f"{key}-{table.key}") for table in data.tables}
            shown.append((key, section, data, charts))
    choices = queries.filter_choices(current_user)
    return render_template(
        "reporting/index.html",
        selection=parsed.selection,
        summary=_summary(parsed.selection, choices),
        errors=parsed.errors,
        shown=shown,
        choices=choices,
        display=display,
        can_export=can_export(current_user),
        exports_log=queries.recent_exports() if current_user.is_admin else [],
    ), (400 if parsed.errors else 200)


def _summary(selection, choices) -> list[tuple[str, str]]:
    """The filters in words, for the page and its printout: (what, which)."""
    sel = selection
    out = []
    for label, value, options in (
        (_("Territory"), sel.territory_id, choices.territories),
        (_("Period of the programme"), sel.period_id, choices.periods),
        (_("Cohort"), sel.cohort_id, choices.cohorts),
        (_("Track"), sel.track.value if sel.track else None, choices.tracks),
    ):
        if value is not None:
            out.append((label, dict(options).get(value, "")))
    if sel.date_from or sel.date_to:
        out.append(
            (
                _("Dates"),
                f"{format_date(sel.date_from) if sel.date_from else '…'} – "
                f"{format_date(sel.date_to) if sel.date_to else '…'}",
            )
        )
    return out


@bp.route("/<section_key>/<table_key>.csv")
@roles_required(*PAGE_ROLES)
def table_csv(section_key: str, table_key: str):
    """One table of the page as CSV, for the same filters."""
    section = sections.get(section_key)
    if section is None:
        abort(404)
    parsed = parse_selection(request.args, current_user)
    if parsed.errors:
        abort(400)
    table = queries.indicators(parsed.selection)[section_key].table(table_key)
    if table is None:
        abort(404)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(c.label) for c in table.columns])
    for row in table.rows:
        writer.writerow([plain(v, c.kind) for v, c in zip(row, table.columns, strict=True)])
    return Response(
        "\ufeff" + out.getvalue(),  # a BOM, so that spreadsheet software reads the accents right
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={section_key}-{table_key}.csv"},
    )


@bp.route("/export.zip")
@roles_required(*EXPORT_ROLES)
def export_zip():
    """The research export for the page's filters: a ZIP of tidy CSV tables, logged."""
    parsed = parse_selection(request.args, current_user)
    if parsed.errors:
        abort(400)
    archive = exports.build(parsed.selection)
    log_export(current_user, parsed.selection, source="web", tables=archive.tables, rows=archive.rows)
    db.session.commit()
    return send_file(
        archive.file,
        mimetype="application/zip",
        as_attachment=True,
        download_name=archive.file_name,
    )
