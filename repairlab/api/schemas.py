"""The API's JSON shapes (marshmallow): what each resource reads and returns, described in the OpenAPI document."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from repairlab.inventory.models import Condition, ItemKind, ItemStatus, LocationKind, Source
from repairlab.inventory.queries import SORTS
from repairlab.lending.models import LoanKind
from repairlab.web import MAX_ID

Id = lambda **kw: fields.Integer(strict=True, validate=validate.Range(1, MAX_ID), **kw)  # noqa: E731
MAX_PER_PAGE = 100


def _values(enum) -> list[str]:
    return [member.value for member in enum]


class Problem(ma.Schema):
    """An RFC 9457 problem document: why the request was refused."""

    type = fields.String(required=True, metadata={"description": "about:blank: the status says what happened"})
    title = fields.String(required=True, metadata={"description": "The status in words, in the request's language"})
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "What went wrong, in the request's language"})
    field = fields.String(metadata={"description": "The field the refusal is about, when there is one"})
    errors = fields.Dict(metadata={"description": "Each invalid value's errors, by location then field"})


class PageArgs(ma.Schema):
    """Which page of a list."""

    page = fields.Integer(load_default=1, validate=validate.Range(1, 1_000_000))
    per_page = fields.Integer(load_default=25, validate=validate.Range(1, MAX_PER_PAGE))


class Page(ma.Schema):
    """A page of a list: its rows and where it stands."""

    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)


def page_of(row_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A Page schema whose `items` are rows of `row_schema`."""
    return type(name, (Page,), {"items": fields.List(fields.Nested(row_schema), required=True)})


def page_body(page) -> dict:
    """A flask-sqlalchemy Pagination as the body of a Page schema."""
    return {"items": page.items, "page": page.page, "per_page": page.per_page, "total": page.total, "pages": page.pages}


# --- Codes ----------------------------------------------------------------------------------------------------------


class CodeOut(ma.Schema):
    """What a code (a label's QR code or its printed text) stands for."""

    code = fields.String(required=True)
    territory_id = fields.Integer(required=True)
    target_type = fields.String(allow_none=True, required=True, metadata={"description": "e.g. item; null: blank"})
    target_id = fields.Integer(allow_none=True, required=True)
    url = fields.String(allow_none=True, required=True, metadata={"description": "The page the code opens"})


# --- Items ----------------------------------------------------------------------------------------------------------


class ItemListArgs(PageArgs):
    """The item list's filters: those of the web list."""

    q = fields.String(validate=validate.Length(max=100), metadata={"description": "Name, code, brand, model..."})
    kind = fields.String(validate=validate.OneOf(_values(ItemKind)))
    status = fields.String(
        validate=validate.OneOf([*_values(ItemStatus), "all"]),
        metadata={"description": "Default: every status but retired; `all` includes retired items"},
    )
    category = fields.Integer(validate=validate.Range(1, MAX_ID), metadata={"description": "With its sub-categories"})
    location = fields.Integer(validate=validate.Range(1, MAX_ID), metadata={"description": "With the places inside"})
    lab = fields.Integer(validate=validate.Range(1, MAX_ID))
    low_stock = fields.String(validate=validate.OneOf(["1"]), metadata={"description": "1: parts low in stock"})
    sort = fields.String(validate=validate.OneOf(list(SORTS)), load_default="name")


class ItemOut(ma.Schema):
    """An item of the inventory."""

    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.Enum(ItemKind, by_value=True, required=True)
    status = fields.Enum(ItemStatus, by_value=True, required=True)
    condition = fields.Enum(Condition, by_value=True, required=True)
    territory_id = fields.Integer(required=True)
    lab_id = fields.Integer(required=True)
    category_id = fields.Integer(allow_none=True, required=True)
    location_id = fields.Integer(allow_none=True, required=True)
    description = fields.String(required=True)
    brand = fields.String(required=True)
    model = fields.String(required=True)
    serial_number = fields.String(required=True)
    value = fields.Float(allow_none=True, required=True)
    acquired_on = fields.Date(allow_none=True, required=True)
    source = fields.Enum(Source, by_value=True, allow_none=True, required=True)
    manual_url = fields.String(required=True)
    safety_notes = fields.String(required=True)
    notes = fields.String(required=True)
    quantity = fields.Integer(allow_none=True, required=True)
    low_stock_threshold = fields.Integer(allow_none=True, required=True)
    updated_at = fields.AwareDateTime(required=True)


ItemPage = page_of(ItemOut, "ItemPage")

_TEXT = {"description", "brand", "model", "serial_number", "manual_url", "safety_notes", "notes"}


class ItemChange(ma.Schema):
    """The fields of an item to change (those left out keep their value); the rules are the web form's."""

    name = fields.String(validate=validate.Length(max=200))
    kind = fields.Enum(ItemKind, by_value=True)
    condition = fields.Enum(Condition, by_value=True)
    category_id = fields.Integer(allow_none=True, validate=validate.Range(1, MAX_ID))
    location_id = fields.Integer(allow_none=True, validate=validate.Range(1, MAX_ID))
    description = fields.String(validate=validate.Length(max=10_000))
    brand = fields.String(validate=validate.Length(max=200))
    model = fields.String(validate=validate.Length(max=200))
    serial_number = fields.String(validate=validate.Length(max=200))
    value = fields.Decimal(allow_none=True, allow_nan=False)
    acquired_on = fields.Date(allow_none=True)
    source = fields.Enum(Source, by_value=True, allow_none=True)
    manual_url = fields.String(validate=validate.Length(max=1000))
    safety_notes = fields.String(validate=validate.Length(max=10_000))
    notes = fields.String(validate=validate.Length(max=10_000))
    quantity = fields.Integer(allow_none=True, validate=validate.Range(0, 10**9))
    low_stock_threshold = fields.Integer(allow_none=True, validate=validate.Range(0, 10**9))


class ItemNew(ItemChange):
    """A new item: its lab, name and kind, and any other field."""

    lab_id = fields.Integer(required=True, validate=validate.Range(1, MAX_ID))
    name = fields.String(required=True, validate=validate.Length(max=200))
    kind = fields.Enum(ItemKind, by_value=True, required=True)


# --- Places ---------------------------------------------------------------------------------------------------------


class PlaceListArgs(PageArgs):
    """Which places."""

    lab = fields.Integer(validate=validate.Range(1, MAX_ID))


class PlaceOut(ma.Schema):
    """A place of a lab (a room, a shelf, a box...)."""

    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    path = fields.String(required=True)
    kind = fields.Enum(LocationKind, by_value=True, required=True)
    territory_id = fields.Integer(required=True)
    lab_id = fields.Integer(required=True)
    parent_id = fields.Integer(allow_none=True, required=True)


PlacePage = page_of(PlaceOut, "PlacePage")


# --- Loans ----------------------------------------------------------------------------------------------------------


class LoanListArgs(PageArgs):
    """Which loans: open ones by default."""

    state = fields.String(validate=validate.OneOf(["open", "returned", "all"]), load_default="open")
    borrower = fields.Integer(validate=validate.Range(1, MAX_ID))
    item = fields.Integer(validate=validate.Range(1, MAX_ID))


class LoanOut(ma.Schema):
    """A loan of a tool to a talent."""

    id = fields.Integer(required=True)
    item_id = fields.Integer(required=True)
    item_code = fields.String(required=True, attribute="item.code")
    territory_id = fields.Integer(required=True)
    borrower_id = fields.Integer(required=True)
    lent_by_id = fields.Integer(required=True)
    kind = fields.Enum(LoanKind, by_value=True, required=True)
    started_at = fields.AwareDateTime(required=True)
    due_at = fields.AwareDateTime(required=True)
    returned_at = fields.AwareDateTime(allow_none=True, required=True)
    return_condition = fields.Enum(Condition, by_value=True, allow_none=True, required=True)
    override_reason = fields.String(required=True)


LoanPage = page_of(LoanOut, "LoanPage")


class LoanNew(ma.Schema):
    """Lend a tool: to oneself (a talent), or to a talent of the desk's territory (a lab manager)."""

    item_id = fields.Integer(required=True, validate=validate.Range(1, MAX_ID))
    borrower_id = fields.Integer(
        validate=validate.Range(1, MAX_ID), metadata={"description": "The talent; default: the token's user"}
    )
    kind = fields.String(required=True, validate=validate.OneOf(_values(LoanKind)))
    due_on = fields.Date(allow_none=True, metadata={"description": "For a take-home loan; default: the lab's rule"})
    override_reason = fields.String(
        load_default="", validate=validate.Length(max=2000), metadata={"description": "The desk's written reason"}
    )


class LoanReturn(ma.Schema):
    """Give a loan back."""

    condition = fields.String(required=True, validate=validate.OneOf(_values(Condition)))
    note = fields.String(load_default="", validate=validate.Length(max=5000))
    out_of_service = fields.Boolean(load_default=False)


class TalentSearchArgs(ma.Schema):
    """What the desk typed."""

    q = fields.String(required=True, validate=validate.Length(min=1, max=100))


class TalentOut(ma.Schema):
    """A talent the desk may lend to."""

    id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    email = fields.String(required=True)
