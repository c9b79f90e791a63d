"""The bundle of published guides as a download: the page's button does what `flask guides-export` does."""

from __future__ import annotations

import tempfile

import sqlalchemy as sa
from flask import abort, request, send_file
from flask_login import login_required

from repairlab.clock import today
from repairlab.extensions import db
from repairlab.guides import bp, bundle
from repairlab.people.models import Territory


@bp.route("/export.zip")
@login_required
def export():
    """Every published guide (?territory=CODE: of one territory) as a ZIP: Markdown, photos and the manifest."""
    code = (request.args.get("territory") or "").strip().upper()
    territory = None
    if code:
        territory = db.session.scalar(sa.select(Territory).where(Territory.code == code[:5]))
        if territory is None:
            abort(404)
    # Written to a temporary file first: the response then streams a finished file, whatever happens next.
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115  (send_file closes it)
    bundle.export_bundle(out, territory)
    out.seek(0)
    name = f"guides-{code.lower() + '-' if code else ''}{today().isoformat()}.zip"
    return send_file(out, mimetype="application/zip", as_attachment=True, download_name=name)
