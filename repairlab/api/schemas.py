"""The API's JSON shapes (marshmallow): what each resource reads and returns, described in the OpenAPI document."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from repairlab.inventory.models import Condition, ItemKind, ItemStatus, LocationKind, Source
from repairlab.inventory.queries import SORTS
from repairlab.lending.models import LoanKind
from repairlab.lending.reservations.models import ReservationStatus
from repairlab.projects.models import MemberRole, ProjectStatus, Sector
from repairlab.repairs.models import Barrier, Outcome, RepairableNeed, TicketStatus
from repairlab.skills.models import SkillLevel, ValidationKind
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


# --- Reservations ---------------------------------------------------------------------------------------------------


class ReservationListArgs(PageArgs):
    """Which reservations: coming ones by default."""

    state = fields.String(
        validate=validate.OneOf(["coming", "past", "all"]),
        load_default="coming",
        metadata={"description": "coming: not over and not cancelled (soonest first); past: over or cancelled"},
    )
    item = fields.Integer(validate=validate.Range(1, MAX_ID))
    borrower = fields.Integer(validate=validate.Range(1, MAX_ID))


class ReservationOut(ma.Schema):
    """A tool reserved for some days, for a talent or for a lab event."""

    id = fields.Integer(required=True)
    item_id = fields.Integer(required=True)
    item_code = fields.String(required=True, attribute="item.code")
    item_name = fields.String(required=True, attribute="item.name")
    territory_id = fields.Integer(required=True)
    borrower_id = fields.Integer(allow_none=True, required=True, metadata={"description": "null: a lab event"})
    reserved_by_id = fields.Integer(allow_none=True, required=True)
    holder = fields.String(required=True, metadata={"description": "For whom, in the words the web pages use"})
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    purpose = fields.String(required=True)
    status = fields.Enum(ReservationStatus, by_value=True, required=True)


ReservationPage = page_of(ReservationOut, "ReservationPage")


class ReservationNew(ma.Schema):
    """Reserve a tool: a talent for themselves; a lab manager for a talent of the territory, or for a lab event
    (no borrower, a purpose)."""

    item_id = fields.Integer(required=True, validate=validate.Range(1, MAX_ID))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    borrower_id = fields.Integer(
        validate=validate.Range(1, MAX_ID),
        metadata={"description": "The talent (lab managers); default: the token's user, or a lab event for the desk"},
    )
    purpose = fields.String(load_default="", validate=validate.Length(max=2000))


# --- Skills and passports -------------------------------------------------------------------------------------------


class SkillListArgs(PageArgs):
    """The catalogue's search and filter: those of the web page."""

    q = fields.String(validate=validate.Length(max=100), metadata={"description": "In the name or description"})
    domain = fields.Integer(validate=validate.Range(1, MAX_ID))
    inactive = fields.String(
        validate=validate.OneOf(["1"]), metadata={"description": "1: inactive skills too (administrators)"}
    )


class SkillOut(ma.Schema):
    """A skill of the catalogue, with what each of its four levels means."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    domain_id = fields.Integer(required=True)
    domain = fields.String(required=True, attribute="domain.name")
    description = fields.String(required=True)
    is_safety = fields.Boolean(required=True)
    validity_months = fields.Integer(allow_none=True, required=True, metadata={"description": "null: no expiry"})
    esco_uri = fields.String(required=True)
    active = fields.Boolean(required=True)
    levels = fields.Method("_levels", required=True, metadata={"description": "Level (1-4) -> what it means"})

    def _levels(self, skill) -> dict[str, str]:
        return {str(int(level)): skill.level_meaning(level) for level in SkillLevel}


SkillPage = page_of(SkillOut, "SkillPage")


class PassportValidationOut(ma.Schema):
    """A skill held on a passport: validated by staff, or declared by the talent."""

    id = fields.Integer(required=True)
    skill_id = fields.Integer(required=True)
    skill = fields.String(required=True, attribute="skill.name")
    domain = fields.String(required=True, attribute="skill.domain.name")
    is_safety = fields.Boolean(required=True, attribute="skill.is_safety")
    level = fields.Integer(required=True)
    level_label = fields.String(required=True)
    kind = fields.Enum(ValidationKind, by_value=True, required=True)
    validated_on = fields.Date(required=True)
    expires_on = fields.Date(allow_none=True, required=True)
    expired = fields.Boolean(required=True)
    public_status = fields.String(allow_none=True, required=True, metadata={"description": "Validated skills only"})
    verification_url = fields.String(
        allow_none=True, required=True, metadata={"description": "The public page of a validated skill"}
    )


class PassportOut(ma.Schema):
    """A talent's skills passport: the current validated skills, then their own declarations."""

    talent_id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    on = fields.Date(required=True, metadata={"description": "The day the passport is read on"})
    validated = fields.List(fields.Nested(PassportValidationOut), required=True)
    declared = fields.List(fields.Nested(PassportValidationOut), required=True)


# --- Projects -------------------------------------------------------------------------------------------------------


class ProjectListArgs(PageArgs):
    """The project list's filters (a talent's own projects are searched by name only, as on the web list)."""

    q = fields.String(validate=validate.Length(max=100), metadata={"description": "In the name or code"})
    stage = fields.Integer(validate=validate.Range(1, MAX_ID))
    status = fields.String(validate=validate.OneOf(_values(ProjectStatus)))
    sector = fields.String(validate=validate.OneOf(_values(Sector)))
    cohort = fields.Integer(validate=validate.Range(1, MAX_ID))
    mentor = fields.Integer(validate=validate.Range(1, MAX_ID))
    territory = fields.Integer(validate=validate.Range(1, MAX_ID), metadata={"description": "Administrators"})


class StageOut(ma.Schema):
    """A stage of the incubation (a column of the board)."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    position = fields.Integer(required=True)
    active = fields.Boolean(required=True)


class ProjectMemberOut(ma.Schema):
    """A talent of the team, or a mentor following the project."""

    user_id = fields.Integer(required=True)
    full_name = fields.String(required=True, attribute="user.full_name")
    role = fields.Enum(MemberRole, by_value=True, required=True)


class ProjectOut(ma.Schema):
    """An incubated project."""

    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    territory_id = fields.Integer(required=True)
    cohort_id = fields.Integer(allow_none=True, required=True)
    sector = fields.Enum(Sector, by_value=True, required=True)
    status = fields.Enum(ProjectStatus, by_value=True, required=True)
    stage_id = fields.Integer(required=True)
    stage = fields.String(required=True, attribute="stage.name")
    stage_changed_at = fields.AwareDateTime(required=True)
    start_date = fields.Date(required=True)
    pitch = fields.String(required=True)


ProjectPage = page_of(ProjectOut, "ProjectPage")


class ProjectDetailOut(ProjectOut):
    """An incubated project with its economic model, team and mentors."""

    offer = fields.String(required=True)
    customers = fields.String(required=True)
    pricing = fields.String(required=True)
    stop_reason = fields.String(required=True)
    members = fields.List(fields.Nested(ProjectMemberOut), required=True)


class ProjectMove(ma.Schema):
    """Move a project to another stage, with a note (mentors of the territory, administrators)."""

    stage_id = fields.Integer(required=True, validate=validate.Range(1, MAX_ID))
    note = fields.String(required=True, validate=validate.Length(max=10_000))
    from_stage_id = fields.Integer(
        validate=validate.Range(1, MAX_ID),
        metadata={"description": "The stage you saw it at: refused (409) if someone moved it since"},
    )


class StageChangeOut(ma.Schema):
    """A move of a project from one stage to another."""

    id = fields.Integer(required=True)
    project_id = fields.Integer(required=True)
    from_stage_id = fields.Integer(allow_none=True, required=True)
    to_stage_id = fields.Integer(required=True)
    to_stage = fields.String(required=True, attribute="to_stage.name")
    note = fields.String(required=True)
    changed_by_id = fields.Integer(allow_none=True, required=True)
    changed_at = fields.AwareDateTime(required=True)


# --- Repair tickets -------------------------------------------------------------------------------------------------


class CappedPage(ma.Schema):
    """A page of a long list whose count stops at a cap."""

    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True, metadata={"description": "At most the cap: see `more`"})
    pages = fields.Integer(allow_none=True, required=True, metadata={"description": "null: more than the cap"})
    more = fields.Boolean(required=True, metadata={"description": "There are more rows than `total`"})
    truncated = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "A search matched more: only its newest `truncated` are listed; narrow it"},
    )


def capped_body(page) -> dict:
    """A repairlab.pagination.CappedPage as the body of a CappedPage schema."""
    return {
        "items": page.items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
        "more": page.capped or page.truncated is not None,
        "truncated": page.truncated,
    }


class TicketListArgs(PageArgs):
    """The ticket list's filters and search: those of the web list."""

    q = fields.String(validate=validate.Length(max=100), metadata={"description": "Code, brand, model, category"})
    status = fields.String(validate=validate.OneOf([*_values(TicketStatus), "open"]))
    outcome = fields.String(validate=validate.OneOf([*_values(Outcome), "none"]))
    category = fields.Integer(validate=validate.Range(1, MAX_ID))
    event = fields.Integer(validate=validate.Range(1, MAX_ID))
    talent = fields.Integer(validate=validate.Range(1, MAX_ID), metadata={"description": "Tickets a talent worked on"})
    lab = fields.Integer(validate=validate.Range(1, MAX_ID))
    from_ = fields.Date(data_key="from", metadata={"description": "Event date, from"})
    to = fields.Date(metadata={"description": "Event date, to (included)"})
    stale = fields.String(validate=validate.OneOf(["1"]), metadata={"description": "1: in repair for long"})


class TicketOut(ma.Schema):
    """A repair ticket: an object brought in to be repaired."""

    id = fields.Integer(required=True)
    code = fields.String(allow_none=True, required=True, metadata={"description": "null: an imported record"})
    territory_id = fields.Integer(required=True)
    lab_id = fields.Integer(required=True)
    event_id = fields.Integer(allow_none=True, required=True)
    status = fields.Enum(TicketStatus, by_value=True, required=True)
    event_date = fields.Date(required=True)
    category_id = fields.Integer(required=True)
    category = fields.String(required=True, attribute="category.name", metadata={"description": "ORDS name"})
    lab_category = fields.String(required=True)
    brand = fields.String(required=True)
    model = fields.String(required=True)
    year_of_manufacture = fields.Integer(allow_none=True, required=True)
    product_age = fields.Float(allow_none=True, required=True)
    estimated_weight_kg = fields.Float(allow_none=True, required=True)
    problem = fields.String(required=True)
    diagnosis = fields.String(required=True)
    work_done = fields.String(required=True)
    outcome = fields.Enum(Outcome, by_value=True, allow_none=True, required=True)
    repairable_need = fields.Enum(RepairableNeed, by_value=True, allow_none=True, required=True)
    barrier = fields.Enum(Barrier, by_value=True, allow_none=True, required=True)
    waste_prevented_kg = fields.Float(allow_none=True, required=True)
    co2e_prevented_kg = fields.Float(allow_none=True, required=True)
    received_at = fields.AwareDateTime(required=True)
    status_changed_at = fields.AwareDateTime(required=True)
    closed_at = fields.AwareDateTime(allow_none=True, required=True)


TicketPage = type("TicketPage", (CappedPage,), {"items": fields.List(fields.Nested(TicketOut), required=True)})


class TicketOwnerOut(ma.Schema):
    """The owner's details, kept with their consent: the desk's only."""

    first_name = fields.String(required=True, attribute="owner_first_name")
    email = fields.String(required=True, attribute="owner_email")
    phone = fields.String(required=True, attribute="owner_phone")
    locale = fields.String(required=True, attribute="owner_locale")
    notified_at = fields.AwareDateTime(allow_none=True, required=True, attribute="owner_notified_at")


class TicketDetailOut(TicketOut):
    """A repair ticket, with the statuses the token's user may move it to, and the owner for the desk."""

    next_statuses = fields.List(fields.Enum(TicketStatus, by_value=True), required=True)
    owner = fields.Nested(TicketOwnerOut, allow_none=True, required=True, metadata={"description": "The desk's only"})


class TicketNew(ma.Schema):
    """Take an object in at the desk (lab managers, administrators); the rules are the intake form's."""

    lab_id = fields.Integer(required=True, validate=validate.Range(1, MAX_ID))
    event_id = fields.Integer(validate=validate.Range(1, MAX_ID), metadata={"description": "A repair event's"})
    category_id = fields.Integer(required=True, validate=validate.Range(1, MAX_ID))
    problem = fields.String(required=True, validate=validate.Length(max=10_000))
    lab_category = fields.String(load_default="", validate=validate.Length(max=120))
    brand = fields.String(load_default="", validate=validate.Length(max=80))
    model = fields.String(load_default="", validate=validate.Length(max=80))
    year_of_manufacture = fields.Integer(allow_none=True, validate=validate.Range(1900, 2100))
    product_age = fields.Decimal(allow_none=True, allow_nan=False, metadata={"description": "Years"})
    estimated_weight_kg = fields.Decimal(
        allow_none=True, allow_nan=False, metadata={"description": "Needed for some kinds"}
    )
    owner_first_name = fields.String(load_default="", validate=validate.Length(max=80))
    owner_email = fields.String(load_default="", validate=validate.Length(max=254))
    owner_phone = fields.String(load_default="", validate=validate.Length(max=40))
    owner_consent = fields.Boolean(load_default=False)
    owner_locale = fields.String(load_default="fr", validate=validate.OneOf(["fr", "en"]))


class TicketStatusChange(ma.Schema):
    """Move a ticket to another status."""

    status = fields.String(required=True, validate=validate.OneOf(_values(TicketStatus)))


# --- Indicators -----------------------------------------------------------------------------------------------------


class IndicatorArgs(ma.Schema):
    """The indicators page's filters (a territory's staff always get their territory)."""

    territory = fields.String(validate=validate.Length(max=20), metadata={"description": "A territory's id"})
    period = fields.String(validate=validate.Length(max=20), metadata={"description": "A programme period's id"})
    cohort = fields.String(validate=validate.Length(max=20), metadata={"description": "A cohort's id"})
    track = fields.String(validate=validate.Length(max=40), metadata={"description": "employment, entrepreneurship"})
    from_ = fields.String(data_key="from", validate=validate.Length(max=20), metadata={"description": "YYYY-MM-DD"})
    to = fields.String(validate=validate.Length(max=20), metadata={"description": "YYYY-MM-DD, included"})


class FigureOut(ma.Schema):
    """A headline number."""

    label = fields.String(required=True)
    value = fields.Raw(
        allow_none=True, required=True, metadata={"description": "A number (a rate from 0 to 1), or null: no data"}
    )
    definition = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "int, number, percent, days, euros, score, change"})


class ColumnOut(ma.Schema):
    """A column of a table."""

    key = fields.String(required=True)
    label = fields.String(required=True)
    kind = fields.String(required=True)


class TableOut(ma.Schema):
    """A table of indicators, one row per line of the page's table."""

    key = fields.String(required=True)
    title = fields.String(required=True)
    definition = fields.String(required=True)
    columns = fields.List(fields.Nested(ColumnOut), required=True)
    rows = fields.List(fields.List(fields.Raw(allow_none=True)), required=True)


class SectionOut(ma.Schema):
    """A section of the indicators page."""

    key = fields.String(required=True)
    title = fields.String(required=True)
    intro = fields.String(required=True)
    note = fields.String(required=True)
    figures = fields.List(fields.Nested(FigureOut), required=True)
    tables = fields.List(fields.Nested(TableOut), required=True)


class IndicatorsOut(ma.Schema):
    """The indicators for a selection: its filters as read, and the sections."""

    selection = fields.Dict(required=True, metadata={"description": "The filters applied, as query arguments"})
    sections = fields.List(fields.Nested(SectionOut), required=True)
