"""Views of the inventory: the list, the item page (made for a phone), forms, places, categories, reports."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.orm import joinedload, selectinload

from repairlab import images
from repairlab.auth import can_access_territory, ensure_territory, has_role, roles_required, territory_scope
from repairlab.errors import DomainError
from repairlab.extensions import db
from repairlab.inventory import bp, services
from repairlab.inventory import requirements as reqs
from repairlab.inventory.codes import find_code
from repairlab.inventory.forms import (
    AttachCodeForm,
    CategoryForm,
    CloseReportForm,
    ItemForm,
    LocationForm,
    PhotoForm,
    QuantityForm,
    ReportForm,
    RequirementForm,
    RetireForm,
    StatusForm,
)
from repairlab.inventory.models import (
    Category,
    Condition,
    Item,
    ItemKind,
    ItemPhoto,
    ItemStatus,
    Location,
    LocationKind,
    ProblemReport,
    ReportStatus,
    SkillRequirement,
    Source,
)
from repairlab.inventory.queries import ItemFilters, item_query
from repairlab.inventory.registry import item_panels_for
from repairlab.pagination import paginate, query_args
from repairlab.people.models import Lab, Role
from repairlab.skills.forms import level_choices
from repairlab.skills.models import Skill, SkillLevel
from repairlab.skills.queries import catalogue_choices, validators_for
from repairlab.web import db_id, form_status, show_domain_error, submit, submit_and_return

MANAGERS = (Role.LAB_MANAGER, Role.ADMIN)
MEMBERS = (Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN)


def can_manage(territory_id: int) -> bool:
    """Whether the current user manages the inventory of that territory."""
    return has_role(current_user, *MANAGERS) and can_access_territory(current_user, territory_id)


def _item_for_manager(item_id: int) -> Item:
    item = db.get_or_404(Item, item_id)
    ensure_territory(current_user, item.territory_id)
    return item


def _labs() -> list[Lab]:
    stmt = sa.select(Lab).options(joinedload(Lab.territory)).where(Lab.active.is_(True)).order_by(Lab.name)
    scope = territory_scope(current_user)
    if scope is not None:
        stmt = stmt.where(Lab.territory_id == scope)
    return list(db.session.scalars(stmt))


def _lab_choices(labs: list[Lab]) -> list[tuple[int, str]]:
    return [(lab.id, f"{lab.territory.code} – {lab.name}") for lab in labs]


def _categories() -> list[Category]:
    return list(db.session.scalars(sa.select(Category).order_by(Category.path)))


def _locations(lab_ids: list[int]) -> list[Location]:
    if not lab_ids:
        return []
    return list(db.session.scalars(sa.select(Location).where(Location.lab_id.in_(lab_ids)).order_by(Location.path)))


# --- The list -------------------------------------------------------------------------------------


@bp.route("/")
@roles_required(*MEMBERS)
def items():
    """Search, filter, sort and page through the inventory; select items for bulk actions."""
    filters = ItemFilters.from_args(request.args)
    page = paginate(item_query(territory_scope(current_user), filters))
    labs = _labs()
    return render_template(
        "inventory/items.html",
        page=page,
        filters=filters,
        labs=labs,
        categories=_categories(),
        locations=_locations([lab.id for lab in labs]),
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
                raise services.ValidationError(_("Choose a status."))
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
        "panels": item_panels_for(item, viewer) if member else [],
    }
    if manager:
        # The management forms and open reports are only built for those who see them (the scan path stays lean).
        context.update(
            open_reports=list(db.session.scalars(_OPEN_REPORTS, {"item_id": item.id})),
            status_form=StatusForm(),
            retire_form=RetireForm(),
            quantity_form=QuantityForm(quantity=item.quantity),
            photo_form=PhotoForm(),
            requirement_form=_requirement_form(with_choices=True),
        )
    return render_template("inventory/item.html", **context)


def _fill_item_choices(form: ItemForm, lab_id: int | None, territory_id: int | None = None) -> None:
    """The lab, category and place choices (labs only of territory_id, if given)."""
    labs = _labs()
    form.lab_id.choices = _lab_choices([lab for lab in labs if territory_id in (None, lab.territory_id)])
    form.category_id.choices = [("", "—")] + [(c.id, c.path) for c in _categories()]
    form.location_id.choices = [("", "—")] + [(loc.id, loc.path) for loc in _locations([lab.id for lab in labs])]
    if lab_id is None and len(labs) == 1:
        form.lab_id.data = labs[0].id


def _item_fields(form: ItemForm) -> services.ItemFields:
    return services.ItemFields(
        name=form.name.data,
        kind=ItemKind(form.kind.data),
        category_id=form.category_id.data,
        location_id=form.location_id.data,
        condition=Condition(form.condition.data),
        description=form.description.data or "",
        brand=form.brand.data or "",
        model=form.model.data or "",
        serial_number=form.serial_number.data or "",
        value=form.value.data,
        acquired_on=form.acquired_on.data,
        source=Source(form.source.data) if form.source.data else None,
        manual_url=form.manual_url.data or "",
        safety_notes=form.safety_notes.data or "",
        notes=form.notes.data or "",
        quantity=form.quantity.data,
        low_stock_threshold=form.low_stock_threshold.data,
    )


def _chosen_lab(form: ItemForm) -> Lab:
    lab = db.session.get(Lab, form.lab_id.data) if form.lab_id.data else None
    if lab is None or not can_access_territory(current_user, lab.territory_id):
        raise services.ValidationError(_("Choose a lab."), field="lab_id")
    return lab


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
    _fill_item_choices(form, form.lab_id.data)
    if request.method == "GET" and request.args.get("kind") in {k.value for k in ItemKind}:
        form.kind.data = request.args["kind"]
    done = submit(
        form,
        lambda: services.create_item(current_user, _chosen_lab(form), _item_fields(form)),
        _added_with_label_button,
        lambda created: url_for("inventory.item", item_id=created.id),
    )
    return done or (render_template("inventory/item_form.html", form=form, item=None), form_status())


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def item_edit(item_id: int):
    """Change an item's details."""
    item = _item_for_manager(item_id)
    form = ItemForm(obj=item)
    _fill_item_choices(form, item.lab_id)
    form.lab_id.data = item.lab_id  # an item stays in its lab; moving between labs is a new entry
    form.lab_id.render_kw = {"disabled": True}
    form.lab_id.validators = []  # browsers do not send a disabled field
    if request.method == "GET":
        form.kind.data, form.condition.data = item.kind.value, item.condition.value
        form.source.data = item.source.value if item.source else ""
    done = submit(
        form,
        lambda: services.update_item(current_user, item, _item_fields(form)),
        _("Changes saved."),
        url_for("inventory.item", item_id=item.id),
    )
    return done or (render_template("inventory/item_form.html", form=form, item=item), form_status())


def _item_action(item_id: int, form: FlaskForm, action, message):
    """A one-field POST on an item's page: run it or say why not, then back to the item (message: text or function)."""
    item = _item_for_manager(item_id)
    return _submit_or_back(form, lambda: action(item), message, url_for("inventory.item", item_id=item.id))


def _submit_or_back(form: FlaskForm, action, message, back: str):
    """A POST without its own page: run it, or flash why not; either way, redirect to back."""
    return submit_and_return(form, action, message, redirect(back))


@bp.route("/items/<int:item_id>/status", methods=["POST"])
@roles_required(*MANAGERS)
def item_status(item_id: int):
    """Set the status by hand."""
    form = StatusForm()
    return _item_action(
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
    return _item_action(
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
    return _item_action(
        item_id, form, lambda item: services.set_quantity(current_user, item, form.quantity.data), _("Stock updated.")
    )


@bp.route("/items/<int:item_id>/photos", methods=["POST"])
@roles_required(*MANAGERS)
def item_photo_add(item_id: int):
    """Add a photo."""
    form = PhotoForm()
    return _item_action(
        item_id, form, lambda item: services.add_photo(current_user, item, form.photo.data.stream), _("Photo added.")
    )


@bp.route("/photos/<int:photo_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def item_photo_delete(photo_id: int):
    """Remove a photo."""
    photo = db.get_or_404(ItemPhoto, photo_id)
    item_id = photo.item_id
    return _item_action(
        item_id, FlaskForm(), lambda item: services.remove_photo(current_user, photo), _("Photo removed.")
    )


@bp.route("/photos/<int:photo_id>/<variant>")
def item_photo(photo_id: int, variant: str):
    """A photo of an item (public like the item's summary); variant is "full" or "thumb"."""
    photo = db.get_or_404(ItemPhoto, photo_id)
    if variant not in ("full", "thumb"):
        abort(404)
    return images.send_image(photo.key if variant == "full" else photo.thumb_key, public=True)


# --- Skills required ------------------------------------------------------------------------------


def _requirement_form(with_choices: bool = False) -> RequirementForm:
    """The form to require a skill; the catalogue is only loaded to show it (the service checks a posted one)."""
    form = RequirementForm()
    if with_choices:
        form.skill_id.choices = catalogue_choices()
        form.min_level.choices = level_choices()
    return form


def _add_requirement(form: RequirementForm, **target) -> SkillRequirement:
    skill = db.session.get(Skill, form.skill_id.data) if form.skill_id.data else None
    return reqs.add_requirement(current_user, skill=skill, min_level=form.min_level.data, **target)


def _requirement_added(requirement: SkillRequirement) -> str:
    return _(
        "“%(skill)s” is now required, at level %(num)d (%(label)s).",
        skill=requirement.skill.name,
        num=requirement.min_level,
        label=SkillLevel(requirement.min_level).label,
    )


@bp.route("/items/<int:item_id>/requirements", methods=["POST"])
@roles_required(*MANAGERS)
def item_requirement_add(item_id: int):
    """Require a skill at a minimum level to use this item."""
    form = _requirement_form()
    return _item_action(item_id, form, lambda item: _add_requirement(form, item=item), _requirement_added)


@bp.route("/categories/<int:category_id>/requirements", methods=["POST"])
@roles_required(Role.ADMIN)
def category_requirement_add(category_id: int):
    """Require a skill at a minimum level for every item of a category and of its sub-categories (categories are
    shared by every territory: administrators only)."""
    category = db.get_or_404(Category, category_id)
    form = _requirement_form()
    back = url_for("inventory.category_edit", category_id=category.id)
    return _submit_or_back(form, lambda: _add_requirement(form, category=category), _requirement_added, back)


@bp.route("/requirements/<int:requirement_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def requirement_delete(requirement_id: int):
    """Stop requiring a skill (of a tool, or of a category)."""
    requirement = db.get_or_404(SkillRequirement, requirement_id)
    if requirement.item_id is not None:
        ensure_territory(current_user, requirement.item.territory_id)
        back = url_for("inventory.item", item_id=requirement.item_id)
    else:
        back = url_for("inventory.category_edit", category_id=requirement.category_id)
    form = FlaskForm()
    message = _("“%(skill)s” is no longer required.", skill=requirement.skill.name)
    return _submit_or_back(form, lambda: reqs.remove_requirement(current_user, requirement), message, back)


# --- Problem reports ------------------------------------------------------------------------------


@bp.route("/items/<int:item_id>/report", methods=["GET", "POST"])
@roles_required(*MEMBERS)
def report(item_id: int):
    """Say what is wrong with an item, with an optional photo."""
    item = _item_for_manager(item_id)
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
    return render_template("inventory/reports.html", page=paginate(stmt), status=status, close_form=CloseReportForm())


@bp.route("/reports/<int:report_id>/close", methods=["POST"])
@roles_required(*MANAGERS)
def report_close(report_id: int):
    """Close a report, saying what was done."""
    problem = db.get_or_404(ProblemReport, report_id)
    ensure_territory(current_user, problem.territory_id)
    form = CloseReportForm()
    return _submit_or_back(
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


# --- Places ---------------------------------------------------------------------------------------


@bp.route("/places")
@roles_required(*MEMBERS)
def locations():
    """The places of each lab, as a tree, with how many items each holds."""
    labs = _labs()
    places = _locations([lab.id for lab in labs])
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
    page = paginate(item_query(place.territory_id, filters))
    return render_template("inventory/location.html", place=place, page=page, can_manage=can_manage(place.territory_id))


def _fill_location_choices(form: LocationForm, exclude: Location | None = None) -> None:
    labs = _labs()
    form.lab_id.choices = _lab_choices(labs)
    form.parent_id.choices = [("", "—")] + [
        (p.id, p.path)
        for p in _locations([lab.id for lab in labs])
        if p.kind != LocationKind.BIN and (exclude is None or not (p.path + " >").startswith(exclude.path + " >"))
    ]


def _location_values(form: LocationForm):
    lab = db.session.get(Lab, form.lab_id.data) if form.lab_id.data else None
    if lab is None or not can_access_territory(current_user, lab.territory_id):
        raise services.ValidationError(_("Choose a lab."), field="lab_id")
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


# --- Categories -----------------------------------------------------------------------------------


@bp.route("/categories")
@roles_required(*MANAGERS)
def categories():
    """The category tree (shared by all territories)."""
    return render_template("inventory/categories.html", categories=_categories())


def _fill_category_choices(form: CategoryForm, exclude: Category | None = None) -> None:
    form.parent_id.choices = [("", "—")] + [
        (c.id, c.path) for c in _categories() if exclude is None or not (c.path + " >").startswith(exclude.path + " >")
    ]


@bp.route("/categories/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def category_new():
    """Add a category."""
    form = CategoryForm()
    _fill_category_choices(form)
    done = submit(
        form,
        lambda: services.create_category(
            current_user, form.name.data, db.session.get(Category, form.parent_id.data) if form.parent_id.data else None
        ),
        lambda c: _("Category %(name)s added.", name=c.path),
        url_for("inventory.categories"),
    )
    return done or (render_template("inventory/category_form.html", form=form, category=None), form_status())


@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def category_edit(category_id: int):
    """Rename or move a category."""
    category = db.get_or_404(Category, category_id)
    form = CategoryForm(obj=category)
    _fill_category_choices(form, exclude=category)
    done = submit(
        form,
        lambda: services.update_category(
            current_user,
            category,
            form.name.data,
            db.session.get(Category, form.parent_id.data) if form.parent_id.data else None,
        ),
        _("Changes saved."),
        url_for("inventory.categories"),
    )
    if done:
        return done
    own, inherited = reqs.category_requirements(category)
    can_edit_requirements = reqs.can_edit_category_requirements(current_user)
    return render_template(
        "inventory/category_form.html",
        form=form,
        category=category,
        own_requirements=own,
        inherited_requirements=inherited,
        can_edit_requirements=can_edit_requirements,
        requirement_form=_requirement_form(with_choices=can_edit_requirements),
    ), form_status()


# --- Pre-printed labels ---------------------------------------------------------------------------


@bp.route("/attach/<code>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def attach_code(code: str):
    """A pre-printed label was scanned: create the item it goes on, or attach it to an existing item."""
    found = find_code(code)
    if found is None:
        abort(404)
    ensure_territory(current_user, found.territory_id)
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
            raise services.ValidationError(_("No item of this territory has this code."), field="item_code")
        services.attach_code(current_user, found, item)
        return item

    done = submit(
        form,
        attach,
        lambda item: _("Label %(code)s now opens %(name)s.", code=found.code, name=item.name),
        lambda item: url_for("inventory.item", item_id=item.id),
    )
    item_form = ItemForm()
    _fill_item_choices(item_form, None, territory_id=found.territory_id)
    return done or (render_template("inventory/attach.html", code=found, form=form, item_form=item_form), form_status())


@bp.route("/attach/<code>/new", methods=["POST"])
@roles_required(*MANAGERS)
def attach_code_new(code: str):
    """Create a new item that carries a pre-printed label."""
    found = find_code(code)
    if found is None:
        abort(404)
    ensure_territory(current_user, found.territory_id)
    form = ItemForm()
    _fill_item_choices(form, None)

    def create():
        lab = _chosen_lab(form)
        return services.create_item(current_user, lab, _item_fields(form), code=found)

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


# --- CSV import and export ------------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def import_items():
    """Upload a CSV file: see every row checked, then confirm; a file with one bad row imports nothing."""
    from repairlab.inventory import csv_io
    from repairlab.inventory.forms import ImportForm

    form = ImportForm()
    labs = _labs()
    form.lab_id.choices = _lab_choices(labs)
    preview, token, lab = None, None, None
    if form.validate_on_submit():
        lab = next((lab for lab in labs if lab.id == form.lab_id.data), None)
        try:
            if lab is None:
                raise services.ValidationError(_("Choose a lab."), field="lab_id")
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
    from repairlab.inventory import csv_io

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
    from flask import Response

    from repairlab.inventory import csv_io

    filters = ItemFilters.from_args(request.args)
    stmt = item_query(territory_scope(current_user), filters)
    return Response(
        csv_io.export_stream(stmt),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=inventory.csv"},
    )
