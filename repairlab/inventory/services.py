"""Use cases of the inventory: items, categories, locations, photos, problem reports and pre-printed codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from repairlab import clock, dates, images
from repairlab.audit.services import PROGRAMME_WIDE, record, snapshot
from repairlab.auth import has_role
from repairlab.clock import utcnow
from repairlab.database import flush_or_conflict
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.inventory.codes import attach_code as _attach_code
from repairlab.inventory.codes import issue_code
from repairlab.inventory.models import (
    PATH_SEPARATOR,
    Category,
    Code,
    Condition,
    Item,
    ItemKind,
    ItemPhoto,
    ItemStatus,
    Location,
    LocationKind,
    ProblemReport,
    ReportStatus,
    Source,
)
from repairlab.people.models import Lab, Role, Territory, User
from repairlab.text import clean_name, clean_text

ITEM_TARGET = "item"
LOCATION_TARGET = "location"
MAX_BLANK_CODES = 1000
# Statuses a lab manager sets by hand; "on loan" belongs to lending, "retired" to retire_item.
MANUAL_STATUSES = (ItemStatus.AVAILABLE, ItemStatus.UNDER_REPAIR, ItemStatus.OUT_OF_SERVICE)
# What the columns hold: Numeric(10, 2) for values; quantities stay far below a 32-bit integer.
MAX_VALUE = Decimal("99999999.99")
MAX_QUANTITY = 10_000_000


@dataclass
class ItemFields:
    """The editable fields of an item, as plain values."""

    name: str
    kind: ItemKind
    category_id: int | None = None
    location_id: int | None = None
    condition: Condition = Condition.GOOD
    description: str = ""
    brand: str = ""
    model: str = ""
    serial_number: str = ""
    value: Decimal | None = None
    acquired_on: date | None = None
    source: Source | None = None
    manual_url: str = ""
    safety_notes: str = ""
    notes: str = ""
    quantity: int | None = None
    low_stock_threshold: int | None = None


ITEM_FIELDS = ("code", "lab_id", "status", *(f.name for f in fields(ItemFields)))


def check_item_fields(data: ItemFields, lab: Lab, today: date | None = None) -> ItemFields:
    """Validate and normalise item fields; raise ValidationError naming the field."""
    name = clean_name(data.name, limit=120, required=_("Enter a name."))
    if data.category_id is not None and db.session.get(Category, data.category_id) is None:
        raise ValidationError(_("Unknown category."), field="category_id")
    if data.location_id is not None:
        location = db.session.get(Location, data.location_id)
        if location is None or location.lab_id != lab.id:
            raise ValidationError(_("Choose a place in the item's lab."), field="location_id")
    if data.value is not None and not data.value.is_finite():
        raise ValidationError(_("Write the value as a number, e.g. 129.90."), field="value")
    if data.value is not None and data.value < 0:
        raise ValidationError(_("The value cannot be negative."), field="value")
    if data.value is not None and data.value > MAX_VALUE:
        raise ValidationError(_("The value is too large."), field="value")
    if data.acquired_on is not None and data.acquired_on > (today or clock.today()):
        raise ValidationError(_("The acquisition date cannot be in the future."), field="acquired_on")
    dates.check_day(data.acquired_on, "acquired_on")
    url = clean_text(data.manual_url, field="manual_url", limit=500)
    if url:
        try:
            parts = urlsplit(url)
        except ValueError:  # e.g. http://[::1 (an unclosed IPv6 address)
            parts = urlsplit("")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError(_("The manual link must start with http:// or https://."), field="manual_url")
    if data.kind == ItemKind.PART:
        quantity = data.quantity if data.quantity is not None else 0
        if quantity < 0:
            raise ValidationError(_("The quantity cannot be negative."), field="quantity")
        if quantity > MAX_QUANTITY:
            raise ValidationError(_("The quantity is too large."), field="quantity")
        if data.low_stock_threshold is not None and data.low_stock_threshold < 0:
            raise ValidationError(_("The threshold cannot be negative."), field="low_stock_threshold")
        if data.low_stock_threshold is not None and data.low_stock_threshold > MAX_QUANTITY:
            raise ValidationError(_("The threshold is too large."), field="low_stock_threshold")
        data.quantity = quantity
    else:
        # Tools and objects are counted one by one: quantities are for parts only.
        data.quantity = None
        data.low_stock_threshold = None
    data.name = name
    data.manual_url = url
    for attr, limit in (("brand", 80), ("model", 80), ("serial_number", 80)):
        setattr(data, attr, clean_text(getattr(data, attr), field=attr, limit=limit))
    for attr in ("description", "safety_notes", "notes"):
        setattr(data, attr, clean_text(getattr(data, attr), field=attr, limit=5000))
    return data


# --- Items ----------------------------------------------------------------------------------------


def create_item(actor: User | None, lab: Lab, data: ItemFields, *, code: Code | None = None) -> Item:
    """Add an item to a lab with a new code, or with a pre-printed code that was waiting."""
    data = check_item_fields(data, lab)
    if code is not None and (code.territory_id != lab.territory_id or code.target_type is not None):
        raise Conflict(_("This label cannot be used here: it belongs to another territory or is already attached."))
    if code is None:
        code = issue_code(lab.territory, ITEM_TARGET)
    else:
        _attach_code(code, ITEM_TARGET, None)
    item = Item(
        territory_id=lab.territory_id,
        lab_id=lab.id,
        code=code.code,
        status=ItemStatus.AVAILABLE,
        **{f.name: getattr(data, f.name) for f in fields(ItemFields)},
    )
    db.session.add(item)
    db.session.flush()
    code.target_id = item.id
    db.session.flush()
    record(actor, "create", item, after=snapshot(item, ITEM_FIELDS))
    return item


def update_item(actor: User, item: Item, data: ItemFields) -> Item:
    """Change an item's details (its code never changes)."""
    if item.status == ItemStatus.RETIRED:
        raise ValidationError(_("This item is retired: put it back in service before changing it."))
    data = check_item_fields(data, item.lab)
    before = snapshot(item, ITEM_FIELDS)
    for f in fields(ItemFields):
        setattr(item, f.name, getattr(data, f.name))
    db.session.flush()
    record(actor, "update", item, before=before, after=snapshot(item, ITEM_FIELDS))
    return item


def move_items(actor: User, items: Sequence[Item], location: Location | None) -> int:
    """Put items in a place of their lab; return how many moved."""
    moved = 0
    for item in items:
        if location is not None and location.lab_id != item.lab_id:
            raise ValidationError(
                _("%(code)s belongs to another lab: it cannot go to %(place)s.", code=item.code, place=location.path)
            )
        if item.location_id != (location.id if location else None):
            before = snapshot(item, ("location_id",))
            item.location = location
            item.location_id = location.id if location else None
            record(actor, "move", item, before=before, after=snapshot(item, ("location_id",)))
            moved += 1
    db.session.flush()
    return moved


def set_status(actor: User, items: Sequence[Item], status: ItemStatus) -> int:
    """Set a status chosen by hand (available, under repair, out of service); return how many changed."""
    if status not in MANUAL_STATUSES:
        raise ValidationError(_("This status cannot be set by hand."), field="status")
    changed = 0
    for item in items:
        if item.status == ItemStatus.ON_LOAN:
            raise ValidationError(_("%(code)s is on loan: record its return first.", code=item.code))
        if item.status != status:
            before = snapshot(item, ("status", "retired_at"))
            item.status = status
            item.retired_at = None
            record(actor, "status", item, before=before, after=snapshot(item, ("status", "retired_at")))
            changed += 1
    db.session.flush()
    return changed


def retire_item(actor: User, item: Item, reason: str) -> Item:
    """Retire an item: it leaves the active inventory, its history and code are kept."""
    reason = clean_text(reason, field="reason", limit=500, required=_("Say why the item is retired."))
    if item.status == ItemStatus.ON_LOAN:
        raise ValidationError(_("%(code)s is on loan: record its return first.", code=item.code))
    if item.status == ItemStatus.RETIRED:
        return item
    before = snapshot(item, ("status", "retired_at"))
    item.status = ItemStatus.RETIRED
    item.retired_at = utcnow()
    after = snapshot(item, ("status", "retired_at"))
    after["reason"] = reason
    record(actor, "retire", item, before=before, after=after)
    return item


def set_quantity(actor: User, item: Item, quantity: int) -> Item:
    """Correct the stock of a part."""
    if item.kind != ItemKind.PART:
        raise ValidationError(_("Only parts and consumables have a quantity."), field="quantity")
    if quantity is None or quantity < 0:
        raise ValidationError(_("The quantity cannot be negative."), field="quantity")
    if quantity > MAX_QUANTITY:
        raise ValidationError(_("The quantity is too large."), field="quantity")
    before = snapshot(item, ("quantity",))
    item.quantity = quantity
    record(actor, "update", item, before=before, after=snapshot(item, ("quantity",)))
    return item


def add_photo(actor: User, item: Item, stream) -> ItemPhoto:
    """Attach a checked, re-encoded photo to an item."""
    stored = images.save_image(stream)
    photo = ItemPhoto(item=item, key=stored.key, thumb_key=stored.thumb_key)
    db.session.add(photo)
    db.session.flush()
    record(actor, "add_photo", item, after={"photo": stored.key})
    return photo


def remove_photo(actor: User, photo: ItemPhoto) -> None:
    """Remove a photo (the file goes once the database change is recorded)."""
    item = photo.item
    record(actor, "remove_photo", item, before={"photo": photo.key})
    db.session.delete(photo)
    db.session.flush()
    images.delete_image_after_commit(photo.key, photo.thumb_key)


# --- Problem reports ------------------------------------------------------------------------------


def report_problem(actor: User, item: Item, description: str, photo_stream=None) -> ProblemReport:
    """Anyone logged in says what is wrong with an item, with an optional photo."""
    description = clean_text(description, field="description", limit=2000)
    if len(description) < 3:
        raise ValidationError(_("Say in a few words what is wrong."), field="description")
    report = ProblemReport(item=item, territory_id=item.territory_id, reporter_id=actor.id, description=description)
    if photo_stream is not None:
        stored = images.save_image(photo_stream)
        report.photo_key, report.photo_thumb_key = stored.key, stored.thumb_key
    db.session.add(report)
    db.session.flush()
    record(
        actor,
        "report",
        report,
        after={"item": item.code, "description": report.description},
        label=f"{item.code} {item.name}",
    )
    return report


def close_report(actor: User, report: ProblemReport, resolution: str) -> ProblemReport:
    """A lab manager closes a report, saying what was done."""
    if report.status == ReportStatus.CLOSED:
        raise Conflict(_("This report is already closed."))
    resolution = clean_text(resolution, field="resolution", limit=2000, required=_("Say what was done."))
    report.status = ReportStatus.CLOSED
    report.closed_at = utcnow()
    report.closed_by_id = actor.id
    report.resolution = resolution
    record(
        actor,
        "close",
        report,
        before={"status": "open"},
        after={"status": "closed", "resolution": resolution},
        label=f"{report.item.code} {report.item.name}",
    )
    return report


# --- Categories -----------------------------------------------------------------------------------


def _category_path(name: str, parent: Category | None) -> str:
    return f"{parent.path}{PATH_SEPARATOR}{name}" if parent else name


def _node_name(name: str) -> str:
    """The name of a category or a place: a clean name without the ">" that separates the parts of a path."""
    name = clean_name(name, limit=80, required=_("Enter a name."))
    if PATH_SEPARATOR.strip() in name:
        raise ValidationError(_("A name cannot contain “>”."), field="name")
    return name


def _sibling(model: type[Category | Location], name: str, parent, *where) -> int | None:
    """The id of a node of that name (whatever its case) under the same parent of a tree (categories or places)."""
    # Compared in Python: SQLite's lower() ignores accents' case (É), and siblings are few.
    stmt = sa.select(model.id, model.name).where(
        model.parent_id == parent.id if parent is not None else model.parent_id.is_(None), *where
    )
    return next((i for i, n in db.session.execute(stmt) if n.casefold() == name.casefold()), None)


def _check_not_under(node: Category | Location, parent: Category | Location | None, message: str) -> None:
    """Refuse to move a node of a tree under itself or one of its descendants."""
    ancestor = parent
    while ancestor is not None:
        if ancestor.id == node.id:
            raise ValidationError(message, field="parent_id")
        ancestor = ancestor.parent


def _repath(node: Category | Location, path: str, *where) -> None:
    """Give a node its new path; the paths of its descendants follow."""
    model = type(node)
    old_prefix = node.path + PATH_SEPARATOR
    node.path = path
    for sub in db.session.scalars(sa.select(model).where(*where, model.path.startswith(old_prefix, autoescape=True))):
        sub.path = path + PATH_SEPARATOR + sub.path[len(old_prefix) :]


def create_category(actor: User | None, name: str, parent: Category | None = None) -> Category:
    """Add a category to the tree; names are unique among siblings."""
    name = _node_name(name)
    path = _category_path(name, parent)
    if _sibling(Category, name, parent) is not None:
        raise Conflict(_("This category already exists."), field="name")
    # parent_id, not parent: the parent's children must not hold it before it is in the session (the savepoint
    # below flushes first). A twin committed since the check above is refused by the database.
    category = Category(name=name, parent_id=parent.id if parent else None, path=path)
    flush_or_conflict(_("This category already exists."), "name", new=category)
    record(actor, "create", category, after={"path": path}, territory_id=PROGRAMME_WIDE)
    return category


def can_change_categories(user: User | None) -> bool:
    """Administrators only rename or move a category: the tree is shared by every territory, so a change shows in
    every lab's inventory (lab managers add categories)."""
    return has_role(user, Role.ADMIN)


def update_category(actor: User, category: Category, name: str, parent: Category | None) -> Category:
    """Rename or move a category (administrators); the paths of its sub-categories follow."""
    if not can_change_categories(actor):
        raise PermissionDenied(
            _(
                "Categories are shared by every territory: only administrators rename or move one. Ask them, or add a "
                "new category."
            )
        )
    name = _node_name(name)
    _check_not_under(category, parent, _("A category cannot be placed under itself."))
    path = _category_path(name, parent)
    clash = _sibling(Category, name, parent)
    if clash is not None and clash != category.id:
        raise Conflict(_("This category already exists."), field="name")
    before = {"path": category.path}
    category.name, category.parent = name, parent
    _repath(category, path)
    db.session.flush()
    record(actor, "update", category, before=before, after={"path": path}, territory_id=PROGRAMME_WIDE)
    return category


# --- Locations ------------------------------------------------------------------------------------


def follow_lab_change(lab: Lab, old_name: str, old_territory_id: int) -> None:
    """A lab was renamed or moved: its places' paths follow the new name; a lab holding things stays put."""
    if lab.territory.id != old_territory_id:
        holds = db.session.scalar(
            sa.select(sa.exists().where(Item.lab_id == lab.id) | sa.exists().where(Location.lab_id == lab.id))
        )
        if holds:
            raise ValidationError(
                _("This lab holds items or places: it cannot move to another territory."), field="territory_id"
            )
    if lab.name != old_name:
        prefix = old_name + PATH_SEPARATOR
        for location in db.session.scalars(sa.select(Location).where(Location.lab_id == lab.id)):
            if location.path.startswith(prefix):
                location.path = lab.name + PATH_SEPARATOR + location.path[len(prefix) :]


def _location_path(lab: Lab, name: str, parent: Location | None) -> str:
    return f"{parent.path if parent else lab.name}{PATH_SEPARATOR}{name}"


def create_location(
    actor: User | None, lab: Lab, name: str, kind: LocationKind, parent: Location | None = None
) -> Location:
    """Add a zone, shelf or bin to a lab, with its own code and label."""
    name = _node_name(name)
    if parent is not None and parent.lab_id != lab.id:
        raise ValidationError(_("The parent place must be in the same lab."), field="parent_id")
    if parent is not None and parent.kind == LocationKind.BIN:
        raise ValidationError(_("Nothing can be placed inside a bin."), field="parent_id")
    path = _location_path(lab, name, parent)
    if _sibling(Location, name, parent, Location.lab_id == lab.id) is not None:
        raise Conflict(_("This place already exists in this lab."), field="name")
    code = issue_code(lab.territory, LOCATION_TARGET)
    location = Location(
        territory_id=lab.territory_id,
        lab=lab,
        name=name,
        kind=kind,
        parent_id=parent.id if parent else None,  # as for categories
        path=path,
        code=code.code,
    )
    flush_or_conflict(_("This place already exists in this lab."), "name", new=location)
    code.target_id = location.id
    db.session.flush()
    record(actor, "create", location, after={"code": location.code, "path": path, "kind": kind.value})
    return location


def update_location(
    actor: User, location: Location, name: str, kind: LocationKind, parent: Location | None
) -> Location:
    """Rename or move a place within its lab; the paths of what is inside follow."""
    name = _node_name(name)
    _check_not_under(location, parent, _("A place cannot be placed inside itself."))
    if parent is not None and parent.lab_id != location.lab_id:
        raise ValidationError(_("The parent place must be in the same lab."), field="parent_id")
    if parent is not None and parent.kind == LocationKind.BIN:
        raise ValidationError(_("Nothing can be placed inside a bin."), field="parent_id")
    if (
        kind == LocationKind.BIN
        and db.session.scalar(sa.select(Location.id).where(Location.parent_id == location.id).limit(1)) is not None
    ):
        raise ValidationError(_("Nothing can be placed inside a bin."), field="kind")
    path = _location_path(location.lab, name, parent)
    clash = _sibling(Location, name, parent, Location.lab_id == location.lab_id)
    if clash is not None and clash != location.id:
        raise Conflict(_("This place already exists in this lab."), field="name")
    before = {"path": location.path, "kind": location.kind.value}
    location.name, location.kind, location.parent = name, kind, parent
    _repath(location, path, Location.lab_id == location.lab_id)
    db.session.flush()
    record(actor, "update", location, before=before, after={"path": path, "kind": kind.value})
    return location


# --- Pre-printed codes ----------------------------------------------------------------------------


def issue_blank_codes(actor: User, territory: Territory, count: int) -> list[Code]:
    """Issue a batch of unassigned codes for pre-printed labels."""
    if count is None or count < 1 or count > MAX_BLANK_CODES:
        raise ValidationError(
            ngettext("Ask for between 1 and %(num)d label.", "Ask for between 1 and %(num)d labels.", MAX_BLANK_CODES),
            field="count",
        )
    codes = [issue_code(territory) for _ in range(count)]
    record(
        actor,
        "issue_blank_codes",
        territory,
        after={"count": count, "first": codes[0].code, "last": codes[-1].code},
        territory_id=territory.id,
    )
    return codes


def attach_code(actor: User, code: Code, item: Item) -> Code:
    """Attach a pre-printed label to an existing item: both its codes now open it."""
    if code.territory_id != item.territory_id:
        raise ValidationError(_("This label belongs to another territory."))
    _attach_code(code, ITEM_TARGET, item.id)
    record(actor, "attach_code", item, after={"code": code.code})
    return code
