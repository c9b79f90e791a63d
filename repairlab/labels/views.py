"""The public code resolver, label images and sheets, pre-printed codes and the scanner page."""

from __future__ import annotations

from io import BytesIO

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from repairlab.auth import can_access_territory, has_role, roles_required, territory_scope
from repairlab.extensions import db
from repairlab.inventory.codes import find_code, label_names, normalise_code, target_url
from repairlab.inventory.models import Code
from repairlab.inventory.services import issue_blank_codes
from repairlab.labels import bp
from repairlab.labels.forms import LAYOUT_LABELS, BlankCodesForm
from repairlab.labels.render import LAYOUTS, LabelData, get_layout, label_png, label_svg, sheet_pdf
from repairlab.people.models import Role, Territory
from repairlab.web import form_status, submit

MAX_SHEET_CODES = 1000
PRINT_ROLES = (Role.LAB_MANAGER, Role.ADMIN)


def _code_url(code: str) -> str:
    """The absolute URL printed in a QR code; it must never change meaning."""
    return f"{current_app.config['PUBLIC_BASE_URL']}/q/{code}"


@bp.route("/q/<path:raw>")
def resolve(raw: str):
    """Open whatever a code names; unknown codes get a friendly page, pre-printed ones can be attached."""
    code = find_code(raw)
    if code is None:
        return render_template("labels/unknown.html", raw=raw[:40], normal=normalise_code(raw)), 404
    url = target_url(code)
    if url is not None:
        return redirect(url)
    if has_role(current_user, *PRINT_ROLES) and can_access_territory(current_user, code.territory_id):
        return redirect(url_for("inventory.attach_code", code=code.code))
    return render_template("labels/unassigned.html", code=code), 404


@bp.route("/scan")
def scan():
    """Scan a label with the camera, a USB scanner, or type the code."""
    return render_template("labels/scan.html")


def _codes_from_request() -> list[Code]:
    """The codes of a sheet: ?code=… (repeated) and/or a range ?from=RBX-0100&to=RBX-0139."""
    wanted = [c for c in (normalise_code(v) for v in request.args.getlist("code")) if c]
    stmt = None
    if wanted:
        stmt = sa.select(Code).where(Code.code.in_(wanted[:MAX_SHEET_CODES]))
    first, last = normalise_code(request.args.get("from", "")), normalise_code(request.args.get("to", ""))
    codes: list[Code] = list(db.session.scalars(stmt)) if stmt is not None else []
    if first and last and first.split("-")[0] == last.split("-")[0]:
        prefix = first.split("-")[0]
        lo, hi = sorted((int(first.split("-")[1]), int(last.split("-")[1])))
        if hi - lo < MAX_SHEET_CODES:
            codes += db.session.scalars(
                sa.select(Code)
                .join(Territory, Territory.id == Code.territory_id)
                .where(Territory.code == prefix, Code.number.between(lo, hi))
            ).all()
    # Keep the order asked for (a selection's order), then by code for a range.
    order = {c: i for i, c in enumerate(wanted)}
    codes = sorted({c.id: c for c in codes}.values(), key=lambda c: (order.get(c.code, len(order)), c.code))
    scope = territory_scope(current_user)
    return [c for c in codes if scope is None or c.territory_id == scope]


def _label_data(codes: list[Code]) -> list[LabelData]:
    names = label_names(codes)
    territories = dict(db.session.execute(sa.select(Territory.id, Territory.name)).all())
    return [
        LabelData(
            code=c.code,
            url=_code_url(c.code),
            name=names.get(c.code, ""),
            territory=territories.get(c.territory_id, ""),
        )
        for c in codes
    ]


def _layout_arg() -> str:
    layout = request.args.get("layout", "a4-3x7")
    return layout if layout in LAYOUTS else "a4-3x7"


@bp.route("/labels/print")
@roles_required(*PRINT_ROLES)
def print_labels():
    """Choose a layout and the labels already used on a part-used sheet, then get the PDF."""
    codes = _codes_from_request()
    if not codes:
        abort(404)
    labels = _label_data(codes)
    return render_template(
        "labels/print.html",
        labels=labels,
        layouts=LAYOUTS,
        layout=_layout_arg(),
        args=request.args,
        layout_label=lambda key: str(LAYOUT_LABELS.get(key, key)),
    )


@bp.route("/labels/sheet.pdf")
@roles_required(*PRINT_ROLES)
def sheet():
    """A PDF sheet of labels for a selection of codes."""
    codes = _codes_from_request()
    if not codes:
        abort(404)
    layout = _layout_arg()
    skip = request.args.get("skip", 0, type=int) or 0
    sheet_layout = get_layout(layout)
    skip = 0 if sheet_layout.continuous else min(max(skip, 0), max(sheet_layout.per_page - 1, 0))
    pdf = sheet_pdf(_label_data(codes), layout=layout, skip=skip)
    name = f"labels-{codes[0].code}{'-' + codes[-1].code if len(codes) > 1 else ''}.pdf"
    return send_file(BytesIO(pdf), mimetype="application/pdf", download_name=name, as_attachment=False)


def _one_code(code_text: str) -> Code:
    code = find_code(code_text)
    if code is None or not can_access_territory(current_user, code.territory_id):
        abort(404)
    return code


@bp.route("/labels/<code_text>.png")
@roles_required(*PRINT_ROLES)
def label_image(code_text: str):
    """One label as a 300-dpi PNG."""
    [label] = _label_data([_one_code(code_text)])
    return send_file(
        BytesIO(label_png(label, layout=_layout_arg())), mimetype="image/png", download_name=f"{label.code}.png"
    )


@bp.route("/labels/<code_text>.svg")
@roles_required(*PRINT_ROLES)
def label_vector(code_text: str):
    """One label as SVG."""
    [label] = _label_data([_one_code(code_text)])
    return send_file(
        BytesIO(label_svg(label, layout=_layout_arg()).encode()),
        mimetype="image/svg+xml",
        download_name=f"{label.code}.svg",
    )


@bp.route("/labels/blank", methods=["GET", "POST"])
@roles_required(*PRINT_ROLES)
def blank_codes():
    """Issue a batch of pre-numbered codes for labels to attach later, then print them."""
    form = BlankCodesForm()
    territories = db.session.scalars(
        sa.select(Territory).where(Territory.active.is_(True)).order_by(Territory.code)
    ).all()
    scope = territory_scope(current_user)
    if scope is not None:
        territories = [t for t in territories if t.id == scope]
    form.territory_id.choices = [(t.id, str(t)) for t in territories]

    def issue():
        territory = next((t for t in territories if t.id == form.territory_id.data), None)
        if territory is None:
            abort(404)
        return issue_blank_codes(current_user, territory, form.count.data)

    done = submit(
        form,
        issue,
        lambda codes: (
            _("New code: %(first)s.", first=codes[0].code)
            if len(codes) == 1
            # A range needs two codes: never a singular form (French uses it for 0 and 1 only).
            else _(
                "%(num)d new codes, from %(first)s to %(last)s.",
                num=len(codes),
                first=codes[0].code,
                last=codes[-1].code,
            )
        ),
        lambda codes: url_for(
            "labels.print_labels", **{"from": codes[0].code, "to": codes[-1].code}, layout=form.layout.data
        ),
    )
    return done or (render_template("labels/blank.html", form=form), form_status())


MAX_TYPED_CODE = 40


@bp.route("/scan/go")
def scan_go():
    """Open a typed or scanned code without JavaScript: ?code=RBX-0042 (or a whole label URL) -> /q/<code>."""
    text = request.args.get("code", "").strip()
    if not text:
        flash(_("Type a code, for example RBX-0042."), "error")
        return redirect(url_for("labels.scan"))
    found = find_code(text[:500])  # tries every reading of an ambiguous code (RBXO042)
    normal = found.code if found is not None else normalise_code(text[:500])
    if normal is not None:
        return redirect(url_for("labels.resolve", raw=normal))
    if len(text) > MAX_TYPED_CODE or "/" in text or not any(c.isalnum() for c in text):
        flash(_("This is not a RepairLab code. A code looks like RBX-0042."), "error")
        return redirect(url_for("labels.scan"))
    # Not code-shaped but short: the friendly "no thing has this code" page explains what a code looks like.
    return redirect(url_for("labels.resolve", raw=text))
