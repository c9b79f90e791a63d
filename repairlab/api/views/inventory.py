"""Codes, items and places: the inventory's own queries and services, with the pages' permissions."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

import sqlalchemy as sa
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from werkzeug.datastructures import MultiDict

from repairlab.api.problems import refusals, refuse
from repairlab.api.schemas import (
    CodeOut,
    ItemChange,
    ItemListArgs,
    ItemNew,
    ItemOut,
    ItemPage,
    PlaceListArgs,
    PlaceOut,
    PlacePage,
    page_body,
)
from repairlab.api.web import allow, change, found, visible
from repairlab.auth import territory_scope
from repairlab.extensions import db
from repairlab.inventory import services
from repairlab.inventory.codes import find_code, target_url
from repairlab.inventory.models import Item, Location
from repairlab.inventory.queries import ItemFilters, item_query
from repairlab.inventory.views.common import MANAGERS, MEMBERS, can_manage, labs_in_scope
from repairlab.pagination import paginate
from repairlab.people.models import Lab

codes = Blueprint("codes", __name__, url_prefix="/api/v1/codes", description="What a label's code stands for.")
items = Blueprint("items", __name__, url_prefix="/api/v1/items", description="The inventory's items.")
places = Blueprint("places", __name__, url_prefix="/api/v1/places", description="The labs' places.")


@codes.route("/<string:code>")
class CodeResource(MethodView):
    """One code."""

    @refusals(codes, 403, 404)
    @codes.response(200, CodeOut)
    def get(self, code: str):
        """Resolve a code (as printed, typed or scanned, or a whole /q/ address) to what it stands for."""
        allow(*MEMBERS)
        found_code = visible(find_code(code))
        return {
            "code": found_code.code,
            "territory_id": found_code.territory_id,
            "target_type": found_code.target_type,
            "target_id": found_code.target_id,
            "url": target_url(found_code),
        }


@items.route("")
class ItemList(MethodView):
    """The items the token's user sees."""

    @refusals(items, 403, 422)
    @items.arguments(ItemListArgs, location="query")
    @items.response(200, ItemPage)
    def get(self, args):
        """List items with the web list's search, filters and sorts, a page at a time."""
        allow(*MEMBERS)
        filters = ItemFilters.from_args(_query_strings(args))
        return page_body(paginate(item_query(territory_scope(current_user), filters), per_page=args["per_page"]))

    @refusals(items, 403, 404, 409, 422)
    @items.arguments(ItemNew)
    @items.response(201, ItemOut)
    def post(self, data):
        """Add an item to a lab (lab managers and administrators): it gets the next code of its territory."""
        allow(*MANAGERS)
        lab = db.session.get(Lab, data.pop("lab_id"))
        if lab is None or not can_manage(lab.territory_id):
            # The item form's own refusal of a lab the user may not add to.
            raise refuse(422, _("Choose a lab."), field="lab_id")
        return change(lambda: services.create_item(current_user, lab, _fields(data)))


@items.route("/<int:item_id>")
class ItemResource(MethodView):
    """One item."""

    @refusals(items, 403, 404)
    @items.response(200, ItemOut)
    def get(self, item_id: int):
        """An item of the user's territory."""
        allow(*MEMBERS)
        return visible(db.session.get(Item, item_id))

    @refusals(items, 403, 404, 409, 422)
    @items.arguments(ItemChange)
    @items.response(200, ItemOut)
    def patch(self, data, item_id: int):
        """Change some of an item's details (lab managers and administrators); the others keep their value."""
        allow(*MANAGERS)
        item = visible(db.session.get(Item, item_id))
        values = {f.name: getattr(item, f.name) for f in dataclass_fields(services.ItemFields)}
        values.update(data)
        return change(lambda: services.update_item(current_user, item, services.ItemFields(**values)))


def _fields(data: dict) -> services.ItemFields:
    return services.ItemFields(**{k: ("" if v is None and k in _TEXT_FIELDS else v) for k, v in data.items()})


_TEXT_FIELDS = frozenset({"description", "brand", "model", "serial_number", "manual_url", "safety_notes", "notes"})


def _query_strings(args: dict) -> MultiDict:
    """Validated arguments as the web list's parser reads them: a query string's MultiDict."""
    return MultiDict({k: str(v) for k, v in args.items() if k not in ("page", "per_page")})


@places.route("")
class PlaceList(MethodView):
    """The places of the labs the user sees."""

    @refusals(places, 403, 422)
    @places.arguments(PlaceListArgs, location="query")
    @places.response(200, PlacePage)
    def get(self, args):
        """List places in path order, optionally of one lab."""
        allow(*MEMBERS)
        lab_ids = [lab.id for lab in labs_in_scope()]
        if args.get("lab"):
            lab_ids = [i for i in lab_ids if i == args["lab"]]
        stmt = sa.select(Location).where(Location.lab_id.in_(lab_ids)).order_by(Location.path, Location.id)
        return page_body(paginate(stmt, per_page=args["per_page"]))


@places.route("/<int:place_id>")
class PlaceResource(MethodView):
    """One place."""

    @refusals(places, 403, 404)
    @places.response(200, PlaceOut)
    def get(self, place_id: int):
        """A place of the user's territory."""
        allow(*MEMBERS)
        return found(visible(db.session.get(Location, place_id)))
