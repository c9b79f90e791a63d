"""What the inventory's pages share: who manages, the labs, categories and places to choose from, the item
form's choices and values, and the small POST that returns to where it came from."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload

from repairlab.auth import can_access_territory, ensure_territory, has_role, territory_scope
from repairlab.errors import ValidationError
from repairlab.extensions import db
from repairlab.inventory import services
from repairlab.inventory.forms import ItemForm, RequirementForm
from repairlab.inventory.models import Category, Condition, Item, ItemKind, Location, Source
from repairlab.people.models import Lab, Role
from repairlab.skills.forms import level_choices
from repairlab.skills.queries import catalogue_choices
from repairlab.web import submit_and_return

MANAGERS = (Role.LAB_MANAGER, Role.ADMIN)
MEMBERS = (Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN)


def item_url(item_id: int) -> str:
    """The item page's URL (/inventory/items/<id>, the public contract of labels), for templates that link to many
    items (the desk, lists): routed once per request, then only the id changes."""
    prefix = g.get("_item_url_prefix")
    if prefix is None:
        prefix = g._item_url_prefix = url_for("inventory.item", item_id=0).removesuffix("0")
    return f"{prefix}{int(item_id)}"


def can_manage(territory_id: int) -> bool:
    """Whether the current user manages the inventory of that territory."""
    return has_role(current_user, *MANAGERS) and can_access_territory(current_user, territory_id)


def item_for_manager(item_id: int) -> Item:
    """The item of a URL, or 404; 403 outside the user's territory."""
    item = db.get_or_404(Item, item_id)
    ensure_territory(current_user, item.territory_id)
    return item


def labs_in_scope() -> list[Lab]:
    """The active labs the current user sees (all of them for the programme-wide roles)."""
    stmt = sa.select(Lab).options(joinedload(Lab.territory)).where(Lab.active.is_(True)).order_by(Lab.name)
    scope = territory_scope(current_user)
    if scope is not None:
        stmt = stmt.where(Lab.territory_id == scope)
    return list(db.session.scalars(stmt))


def lab_choices(labs: list[Lab]) -> list[tuple[int, str]]:
    """Labs as choices of a form, with their territory's code."""
    return [(lab.id, f"{lab.territory.code} – {lab.name}") for lab in labs]


def all_categories() -> list[Category]:
    """The whole category tree, in path order."""
    return list(db.session.scalars(sa.select(Category).order_by(Category.path)))


def locations_of(lab_ids: list[int]) -> list[Location]:
    """The places of these labs, in path order."""
    if not lab_ids:
        return []
    return list(db.session.scalars(sa.select(Location).where(Location.lab_id.in_(lab_ids)).order_by(Location.path)))


def fill_item_choices(form: ItemForm, lab_id: int | None, territory_id: int | None = None) -> None:
    """The lab, category and place choices (labs only of territory_id, if given)."""
    labs = labs_in_scope()
    form.lab_id.choices = lab_choices([lab for lab in labs if territory_id in (None, lab.territory_id)])
    form.category_id.choices = [("", "—")] + [(c.id, c.path) for c in all_categories()]
    form.location_id.choices = [("", "—")] + [(loc.id, loc.path) for loc in locations_of([lab.id for lab in labs])]
    if lab_id is None and len(labs) == 1:
        form.lab_id.data = labs[0].id


def item_fields(form: ItemForm) -> services.ItemFields:
    """The item form's values as the services take them."""
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


def chosen_lab(form: ItemForm) -> Lab:
    """The lab chosen in the item form, if the user may add to it; else a ValidationError on the field."""
    lab = db.session.get(Lab, form.lab_id.data) if form.lab_id.data else None
    if lab is None or not can_access_territory(current_user, lab.territory_id):
        raise ValidationError(_("Choose a lab."), field="lab_id")
    return lab


def item_action(item_id: int, form: FlaskForm, action, message):
    """A one-field POST on an item's page: run it or say why not, then back to the item (message: text or function)."""
    item = item_for_manager(item_id)
    return submit_or_back(form, lambda: action(item), message, url_for("inventory.item", item_id=item.id))


def submit_or_back(form: FlaskForm, action, message, back: str):
    """A POST without its own page: run it, or flash why not; either way, redirect to back."""
    return submit_and_return(form, action, message, redirect(back))


def requirement_form(with_choices: bool = False) -> RequirementForm:
    """The form to require a skill; the catalogue is only loaded to show it (the service checks a posted one)."""
    form = RequirementForm()
    if with_choices:
        form.skill_id.choices = catalogue_choices()
        form.min_level.choices = level_choices()
    return form
