"""Places (zones, shelves, bins) of each lab: the tree, a place's page and its forms."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from repairlab.auth import can_access_territory, ensure_territory, has_role, roles_required
from repairlab.errors import ValidationError
from repairlab.extensions import db
from repairlab.inventory import bp, services
from repairlab.inventory.forms import LocationForm
from repairlab.inventory.models import Item, ItemStatus, Location, LocationKind
from repairlab.inventory.queries import ItemFilters, item_ids, items_by_id
from repairlab.inventory.views.common import MANAGERS, MEMBERS, can_manage, lab_choices, labs_in_scope, locations_of
from repairlab.pagination import paginate_ids
from repairlab.people.models import Lab
from repairlab.web import db_id, form_status, submit


@bp.route("/places")
@roles_required(*MEMBERS)
def locations():
    """The places of each lab, as a tree, with how many items each holds."""
    labs = labs_in_scope()
    places = locations_of([lab.id for lab in labs])
    counts = (
        dict(
            db.session.execute(
                sa.select(Item.location_id, sa.func.count(Item.id))
                .where(Item.location_id.in_([p.id for p in places]), Item.status != ItemStatus.RETIRED)
                .group_by(Item.location_id)
            ).all()
        )
        if places
        else {}
    )
    return render_template(
        "inventory/locations.html",
        labs=labs,
        places=places,
        counts=counts,
        can_manage=has_role(current_user, *MANAGERS),
    )


@bp.route("/places/<int:location_id>")
@roles_required(*MEMBERS)
def location(location_id: int):
    """A place and what it holds (a scanned shelf label opens this)."""
    place = db.session.scalar(
        sa.select(Location)
        .where(Location.id == location_id)
        .options(joinedload(Location.lab), selectinload(Location.children))
    )
    if place is None:
        abort(404)
    ensure_territory(current_user, place.territory_id)
    filters = ItemFilters(location_id=place.id)
    page = paginate_ids(item_ids(place.territory_id, filters), items_by_id)
    return render_template("inventory/location.html", place=place, page=page, can_manage=can_manage(place.territory_id))


def _fill_location_choices(form: LocationForm, exclude: Location | None = None) -> None:
    labs = labs_in_scope()
    form.lab_id.choices = lab_choices(labs)
    form.parent_id.choices = [("", "—")] + [
        (p.id, p.path)
        for p in locations_of([lab.id for lab in labs])
        if p.kind != LocationKind.BIN and (exclude is None or not (p.path + " >").startswith(exclude.path + " >"))
    ]


def _location_values(form: LocationForm):
    lab = db.session.get(Lab, form.lab_id.data) if form.lab_id.data else None
    if lab is None or not can_access_territory(current_user, lab.territory_id):
        raise ValidationError(_("Choose a lab."), field="lab_id")
    parent = db.session.get(Location, form.parent_id.data) if form.parent_id.data else None
    return lab, parent


@bp.route("/places/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def location_new():
    """Add a zone, shelf or bin."""
    form = LocationForm()
    _fill_location_choices(form)
    if request.method == "GET":
        form.parent_id.data = request.args.get("parent", type=db_id)
        form.lab_id.data = request.args.get("lab", type=db_id)

    def save():
        lab, parent = _location_values(form)
        return services.create_location(current_user, lab, form.name.data, LocationKind(form.kind.data), parent)

    done = submit(
        form,
        save,
        lambda place: _("%(code)s %(name)s added.", code=place.code, name=place.name),
        lambda place: url_for("inventory.location", location_id=place.id),
    )
    return done or (render_template("inventory/location_form.html", form=form, place=None), form_status())


@bp.route("/places/<int:location_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def location_edit(location_id: int):
    """Rename or move a place within its lab."""
    place = db.get_or_404(Location, location_id)
    ensure_territory(current_user, place.territory_id)
    form = LocationForm(obj=place)
    _fill_location_choices(form, exclude=place)
    form.lab_id.data = place.lab_id  # a place stays in its lab; the edit page does not show the field
    form.lab_id.validators = []
    if request.method == "GET":
        form.kind.data = place.kind.value

    def save():
        _lab, parent = _location_values(form)
        return services.update_location(current_user, place, form.name.data, LocationKind(form.kind.data), parent)

    done = submit(form, save, _("Changes saved."), url_for("inventory.location", location_id=place.id))
    return done or (render_template("inventory/location_form.html", form=form, place=place), form_status())
