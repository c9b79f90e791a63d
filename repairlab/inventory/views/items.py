"""The item list with its bulk actions, the item page (made for a phone), the item forms, photos and one-field
changes of an item."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from repairlab import images
from repairlab.auth import can_access_territory, ensure_territory, has_role, roles_required, territory_scope
from repairlab.errors import DomainError, ValidationError
from repairlab.extensions import db
from repairlab.inventory import bp, services
from repairlab.inventory import requirements as reqs
from repairlab.inventory.forms import ItemForm, PhotoForm, QuantityForm, RetireForm, StatusForm
from repairlab.inventory.models import Item, ItemKind, ItemPhoto, ItemStatus, Location, ProblemReport, ReportStatus
from repairlab.inventory.queries import ItemFilters, item_ids, items_by_id
from repairlab.inventory.registry import item_panels_for
from repairlab.inventory.views.common import (
    MANAGERS,
    MEMBERS,
    all_categories,
    can_manage,
    chosen_lab,
    fill_item_choices,
    item_action,
    item_fields,
    item_for_manager,
    labs_in_scope,
    locations_of,
    requirement_form,
)
from repairlab.pagination import paginate_ids, query_args
from repairlab.people.models import Role
from repairlab.skills.queries import validators_for
from repairlab.web import db_id, form_status, show_domain_error, submit

# --- The list -------------------------------------------------------------------------------------


@bp.route("/")
@roles_required(*MEMBERS)
def items():
    """Search, filter, sort and page through the inventory; select items for bulk actions."""
    filters = ItemFilters.from_args(request.args)
    page = paginate_ids(item_ids(territory_scope(current_user), filters), items_by_id)
    labs = labs_in_scope()
    return render_template(
        "inventory/items.html",
        page=page,
        filters=filters,
        labs=labs,
        categories=all_categories(),
        locations=locations_of([lab.id for lab in labs]),
        kinds=list(ItemKind),
        statuses=list(ItemStatus),
        manual_statuses=services.MANUAL_STATUSES,
        can_manage=has_role(current_user, *MANAGERS),
    )


def _id_or_none(text: str) -> int | None:
    """An id of a form's list, or None (isdigit() also accepts digits that int() refuses, such as "²")."""
    try:
        return db_id(text)
    except ValueError:
        return None


@bp.route("/bulk", methods=["POST"])
@roles_required(*MANAGERS)
def bulk():
    """Act on a selection: print labels, move, or change status."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    ids = [i for i in (_id_or_none(v) for v in request.form.getlist("ids")) if i is not None][:1000]
    back = url_for("inventory.items", **query_args())
    if not ids:
        flash(_("Select at least one item."), "error")
        return redirect(back)
    stmt = sa.select(Item).where(Item.id.in_(ids)).order_by(Item.code)
    scope = territory_scope(current_user)
    if scope is not None:
        stmt = stmt.where(Item.territory_id == scope)
    selected = list(db.session.scalars(stmt))
    if not selected:  # only items of another territory were posted
        flash(_("Select at least one item."), "error")
        return redirect(back)
    action = request.form.get("action")
    if action == "labels":
        return redirect(url_for("labels.print_labels", code=[i.code for i in selected]))
    try:
        if action == "move":
            location_id = request.form.get("location_id", type=db_id)
            location = db.session.get(Location, location_id) if location_id else None
            if location is not None:
                ensure_territory(current_user, location.territory_id)
            count = services.move_items(current_user, selected, location)
            message = ngettext("%(num)d item moved.", "%(num)d items moved.", count)
        elif action == "status":
            status = request.form.get("status", "")
            if status not in {s.value for s in services.MANUAL_STATUSES}:
                raise ValidationError(_("Choose a status."))
            count = services.set_status(current_user, selected, ItemStatus(status))
            message = ngettext("%(num)d item changed.", "%(num)d items changed.", count)
        else:
            flash(_("Choose an action."), "error")
            return redirect(back)
    except DomainError as error:
        show_domain_error(None, error)
        return redirect(back)
    db.session.commit()
    flash(message, "success")
    return redirect(back)


# --- One item -------------------------------------------------------------------------------------


# Built once: SQLAlchemy memoises the cache key of a statement object, which the hot scan path reuses.
_ITEM_PAGE = (
    sa.select(Item)
    .where(Item.id == sa.bindparam("item_id"))
    .options(
        joinedload(Item.category),
        joinedload(Item.location),
        joinedload(Item.lab),
        joinedload(Item.territory),
        joinedload(Item.photos),
    )
)
_OPEN_REPORTS = (
    sa.select(ProblemReport)
    .options(joinedload(ProblemReport.reporter))
    .where(ProblemReport.item_id == sa.bindparam("item_id"), ProblemReport.status == ReportStatus.OPEN)
    .order_by(ProblemReport.created_at.desc())
)


@bp.route("/items/<int:item_id>")
def item(item_id: int):
    """The page a scan opens: for a phone; a public summary for visitors and other territories."""
    item = db.session.execute(_ITEM_PAGE, {"item_id": item_id}).unique().scalar_one_or_none()
    if item is None:
        abort(404)
    viewer = current_user._get_current_object() if current_user.is_authenticated else None
    member = viewer is not None and can_access_territory(viewer, item.territory_id) and viewer.role in MEMBERS
    manager = member and can_manage(item.territory_id)
    # Skills needed: safety information, shown to everyone; the personal verdict only to the territory's talents,
    # whose validation records of the skills required come with the requirements (one query for both).
    judged = member and viewer.role == Role.PARTICIPANT
    required = reqs.item_requirements(item, holder=viewer if judged else None)
    verdict = None
    validators = []
    if judged and required.effective:
        verdict = reqs.verdict_on_page(viewer, required)
        if not verdict.allowed:
            # Whom to ask, by name and role: one query, only when something stops them.
            validators = [
                _("%(name)s (%(role)s)", name=person.full_name, role=person.role.label.lower())
                for person in validators_for(viewer)
            ]
    context = {
        "item": item,
        "member": member,
        "manager": manager,
        "required": required,
        "verdict": verdict,
        "validators": validators,
        "panels": item_panels_for(item, viewer, public_only=not member),
    }
    if manager:
        # The management forms and open reports are only built for those who see them (the scan path stays lean).
        context.update(
            open_reports=list(db.session.scalars(_OPEN_REPORTS, {"item_id": item.id})),
            status_form=StatusForm(),
            retire_form=RetireForm(),
            quantity_form=QuantityForm(quantity=item.quantity),
            photo_form=PhotoForm(),
            requirement_form=requirement_form(with_choices=True),
        )
    return render_template("inventory/item.html", **context)


def _added_with_label_button(item) -> Markup:
    """The flash message after adding an item, with the button that prints its label (the next thing to do)."""
    return Markup('{} <a href="{}" role="button" class="flash-action">{}</a>').format(
        _("%(code)s %(name)s added. Print its label now.", code=item.code, name=item.name),
        url_for("labels.print_labels", code=item.code),
        _("Print its label"),
    )


@bp.route("/items/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def item_new():
    """Add an item; it gets the next code of its territory."""
    form = ItemForm()
    fill_item_choices(form, form.lab_id.data)
    if request.method == "GET" and request.args.get("kind") in {k.value for k in ItemKind}:
        form.kind.data = request.args["kind"]
    done = submit(
        form,
        lambda: services.create_item(current_user, chosen_lab(form), item_fields(form)),
        _added_with_label_button,
        lambda created: url_for("inventory.item", item_id=created.id),
    )
    return done or (render_template("inventory/item_form.html", form=form, item=None), form_status())


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def item_edit(item_id: int):
    """Change an item's details."""
    item = item_for_manager(item_id)
    form = ItemForm(obj=item)
    fill_item_choices(form, item.lab_id)
    form.lab_id.data = item.lab_id  # an item stays in its lab; moving between labs is a new entry
    form.lab_id.render_kw = {"disabled": True}
    form.lab_id.validators = []  # browsers do not send a disabled field
    if request.method == "GET":
        form.kind.data, form.condition.data = item.kind.value, item.condition.value
        form.source.data = item.source.value if item.source else ""
    done = submit(
        form,
        lambda: services.update_item(current_user, item, item_fields(form)),
        _("Changes saved."),
        url_for("inventory.item", item_id=item.id),
    )
    return done or (render_template("inventory/item_form.html", form=form, item=item), form_status())


@bp.route("/items/<int:item_id>/status", methods=["POST"])
@roles_required(*MANAGERS)
def item_status(item_id: int):
    """Set the status by hand."""
    form = StatusForm()
    return item_action(
        item_id,
        form,
        lambda item: services.set_status(current_user, [item], ItemStatus(form.status.data)),
        _("Status changed."),
    )


@bp.route("/items/<int:item_id>/retire", methods=["POST"])
@roles_required(*MANAGERS)
def item_retire(item_id: int):
    """Retire an item (its history and code are kept)."""
    form = RetireForm()
    return item_action(
        item_id,
        form,
        lambda item: services.retire_item(current_user, item, form.reason.data),
        _("The item is retired. Its history is kept."),
    )


@bp.route("/items/<int:item_id>/quantity", methods=["POST"])
@roles_required(*MANAGERS)
def item_quantity(item_id: int):
    """Correct a part's stock."""
    form = QuantityForm()
    return item_action(
        item_id, form, lambda item: services.set_quantity(current_user, item, form.quantity.data), _("Stock updated.")
    )


@bp.route("/items/<int:item_id>/photos", methods=["POST"])
@roles_required(*MANAGERS)
def item_photo_add(item_id: int):
    """Add a photo."""
    form = PhotoForm()
    return item_action(
        item_id, form, lambda item: services.add_photo(current_user, item, form.photo.data.stream), _("Photo added.")
    )


@bp.route("/photos/<int:photo_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def item_photo_delete(photo_id: int):
    """Remove a photo."""
    photo = db.get_or_404(ItemPhoto, photo_id)
    item_id = photo.item_id
    return item_action(
        item_id, FlaskForm(), lambda item: services.remove_photo(current_user, photo), _("Photo removed.")
    )


@bp.route("/photos/<int:photo_id>/<variant>")
def item_photo(photo_id: int, variant: str):
    """A photo of an item (public like the item's summary); variant is "full" or "thumb"."""
    photo = db.get_or_404(ItemPhoto, photo_id)
    if variant not in ("full", "thumb"):
        abort(404)
    return images.send_image(photo.key if variant == "full" else photo.thumb_key, public=True)
