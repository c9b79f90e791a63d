"""Pre-printed labels: a scanned unassigned code is attached to an existing item or to a new one."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from repairlab.auth import ensure_territory, roles_required
from repairlab.errors import ValidationError
from repairlab.extensions import db
from repairlab.inventory import bp, services
from repairlab.inventory.codes import find_code
from repairlab.inventory.forms import AttachCodeForm, ItemForm
from repairlab.inventory.models import Code, Item
from repairlab.inventory.views.common import MANAGERS, chosen_lab, fill_item_choices, item_fields
from repairlab.web import form_status, submit


def _code_or_404(code: str) -> Code:
    """The scanned code of a URL, or 404; 403 outside the user's territory."""
    found = find_code(code)
    if found is None:
        abort(404)
    ensure_territory(current_user, found.territory_id)
    return found


@bp.route("/attach/<code>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def attach_code(code: str):
    """A pre-printed label was scanned: create the item it goes on, or attach it to an existing item."""
    found = _code_or_404(code)
    if found.target_type is not None:
        flash(_("This label is already in use."), "info")
        return redirect(url_for("labels.resolve", raw=found.code))
    form = AttachCodeForm()

    def attach():
        target = find_code(form.item_code.data)
        item = (
            db.session.scalar(sa.select(Item).where(Item.code == target.code, Item.territory_id == found.territory_id))
            if target is not None
            else None
        )
        if item is None:
            raise ValidationError(_("No item of this territory has this code."), field="item_code")
        services.attach_code(current_user, found, item)
        return item

    done = submit(
        form,
        attach,
        lambda item: _("Label %(code)s now opens %(name)s.", code=found.code, name=item.name),
        lambda item: url_for("inventory.item", item_id=item.id),
    )
    item_form = ItemForm()
    fill_item_choices(item_form, None, territory_id=found.territory_id)
    return done or (render_template("inventory/attach.html", code=found, form=form, item_form=item_form), form_status())


@bp.route("/attach/<code>/new", methods=["POST"])
@roles_required(*MANAGERS)
def attach_code_new(code: str):
    """Create a new item that carries a pre-printed label."""
    found = _code_or_404(code)
    form = ItemForm()
    fill_item_choices(form, None)

    def create():
        lab = chosen_lab(form)
        return services.create_item(current_user, lab, item_fields(form), code=found)

    done = submit(
        form,
        create,
        lambda created: _("%(code)s %(name)s added.", code=created.code, name=created.name),
        lambda created: url_for("inventory.item", item_id=created.id),
    )
    return done or (
        render_template("inventory/attach.html", code=found, form=AttachCodeForm(), item_form=form),
        form_status(),
    )
