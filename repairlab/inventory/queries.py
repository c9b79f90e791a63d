"""Read-side queries of the inventory, for its own pages and for other domains: the filtered item list (the list page
and the CSV export), categories found by path, the names printed on labels, a category's ancestors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from repairlab.extensions import db
from repairlab.inventory.codes import code_readings
from repairlab.inventory.models import (
    PATH_SEPARATOR,
    SEARCH_INDEX,
    Category,
    Item,
    ItemKind,
    ItemStatus,
    Location,
)
from repairlab.pagination import Listing
from repairlab.text import plain_text
from repairlab.web import db_id

# Ids are INTEGER columns: a larger number typed in a URL would make the database (or SQLite's driver) fail.
SORTS = {
    "name": (Item.name, Item.id),
    "code": (Item.code,),
    "status": (Item.status, Item.name, Item.id),
    "recent": (Item.updated_at.desc(), Item.id.desc()),
}


@dataclass
class ItemFilters:
    """What the list is filtered and sorted by (parsed from the query string; bad values are ignored)."""

    q: str = ""
    kind: str = ""
    status: str = ""  # "" = every status but retired; "all" includes retired
    category_id: int | None = None
    location_id: int | None = None
    lab_id: int | None = None
    low_stock: bool = False
    sort: str = "name"

    @classmethod
    def from_args(cls, args) -> ItemFilters:
        """Parse request.args."""
        kind = args.get("kind", "")
        status = args.get("status", "")
        sort = args.get("sort", "name")
        return cls(
            q=plain_text(args.get("q")).strip()[:100],
            kind=kind if kind in {k.value for k in ItemKind} else "",
            status=status if status in {s.value for s in ItemStatus} | {"all"} else "",
            category_id=args.get("category", type=db_id),
            location_id=args.get("location", type=db_id),
            lab_id=args.get("lab", type=db_id),
            low_stock=args.get("low_stock") == "1",
            sort=sort if sort in SORTS else "name",
        )

    @property
    def refined(self) -> bool:
        """Whether a filter or a sort order beyond the text search is chosen (the list opens its filters then)."""
        return bool(self.kind or self.category_id or self.location_id or self.status or self.sort != "name")


def _subtree(model, node_id: int | None):
    """The node and everything under it, by path prefix (one indexed comparison, no recursion)."""
    node = db.session.get(model, node_id) if node_id else None
    if node is None:
        return None
    # autoescape: a "_" or "%" in a name is a plain character, not a wildcard.
    clause = sa.or_(model.id == node.id, model.path.startswith(node.path + PATH_SEPARATOR, autoescape=True))
    if model is Location:
        # Place paths start with the lab's name, which another territory's lab may share.
        clause = sa.and_(model.lab_id == node.lab_id, clause)
    return clause


# What the list page shows of each item, loaded eagerly; the CSV export needs only the category and the place.
LIST_LOADS = (joinedload(Item.category), joinedload(Item.location), joinedload(Item.lab), selectinload(Item.photos))
EXPORT_LOADS = (joinedload(Item.category), joinedload(Item.location))


def item_query(territory_id: int | None, filters: ItemFilters, loads: tuple = LIST_LOADS) -> sa.Select:
    """The items a user sees, filtered and sorted (every one: the CSV export), with `loads` loaded eagerly."""
    stmt = _filtered(sa.select(Item).options(*loads), territory_id, filters)
    ranks = ()
    if filters.q:
        found, ranks = search(filters.q)
        stmt = stmt.where(found)
    return stmt.order_by(*ranks, *SORTS[filters.sort])


def item_ids(territory_id: int | None, filters: ItemFilters) -> Listing:
    """The ids of the list's items in its order: a page reads these, then only its own rows (items_by_id).

    A search lists the newest SEARCH_CAP items that hold the text and pass the filters, found through the text
    index, and the items whose code it is: it sorts only those, so that a common word in a large inventory costs what
    a rare one does. The ranking: the exact code first, then a match in the name, then the chosen order."""
    stmt = _filtered(sa.select(Item.id), territory_id, filters)
    if not filters.q:
        return Listing(stmt.order_by(*SORTS[filters.sort]))
    dialect = db.session.get_bind().dialect.name
    codes = code_readings(filters.q)
    by_code = list(db.session.scalars(stmt.where(Item.code.in_(codes)))) if codes else []
    if by_code:
        stmt = stmt.where(Item.id.not_in(by_code))
    found = SEARCH_INDEX.listing(stmt, filters.q, Item.id, dialect, current_app.config["SEARCH_CAP"])
    ranks = [sa.case((SEARCH_INDEX.holds(filters.q, "name", Item.id, dialect), 0), else_=1)]
    listed = found.listed
    if by_code:
        listed = sa.or_(listed, Item.id.in_(by_code))
        ranks.insert(0, sa.case((Item.id.in_(by_code), 0), else_=1))
    ordered = sa.select(Item.id).where(listed).order_by(*ranks, *SORTS[filters.sort])
    return found.page(ordered, also=len(by_code))


def items_by_id(ids: list[int]) -> list[Item]:
    """The items of a page of the list, with what the list shows of them (any order)."""
    return list(db.session.scalars(sa.select(Item).options(*LIST_LOADS).where(Item.id.in_(ids))).unique())


def _filtered(stmt: sa.Select, territory_id: int | None, filters: ItemFilters) -> sa.Select:
    """The list's filters but the text search, on a select() of items."""
    if territory_id is not None:
        stmt = stmt.where(Item.territory_id == territory_id)
    if filters.kind:
        stmt = stmt.where(Item.kind == ItemKind(filters.kind))
    if filters.status == "all":
        pass
    elif filters.status:
        stmt = stmt.where(Item.status == ItemStatus(filters.status))
    else:
        stmt = stmt.where(Item.status != ItemStatus.RETIRED)
    if filters.lab_id:
        stmt = stmt.where(Item.lab_id == filters.lab_id)
    category = _subtree(Category, filters.category_id)
    if category is not None:
        stmt = stmt.where(Item.category_id.in_(sa.select(Category.id).where(category)))
    location = _subtree(Location, filters.location_id)
    if location is not None:
        stmt = stmt.where(Item.location_id.in_(sa.select(Location.id).where(location)))
    if filters.low_stock:
        stmt = stmt.where(Item.kind == ItemKind.PART, Item.quantity <= Item.low_stock_threshold)
    return stmt


def search(q: str) -> tuple:
    """Items whose name, code, brand, model or serial number holds the text (case and accents ignored), or whose
    code it is: the condition (every such item), and the ranking (exact code first, then a match in the name)."""
    match = SEARCH_INDEX.match(q, Item.id, db.session.get_bind().dialect.name)
    found, ranks = match.found, [sa.case((match.groups["name"], 0), else_=1)]
    codes = code_readings(q)
    if codes:
        found = sa.or_(found, Item.code.in_(codes))
        ranks.insert(0, sa.case((Item.code.in_(codes), 0), else_=1))
    return found, tuple(ranks)


# --- Categories -----------------------------------------------------------------------------------


def _path_key(path: str | None) -> str:
    """A typed category path as compared: parts trimmed, empty parts dropped, case folded."""
    return PATH_SEPARATOR.join(p.strip() for p in (path or "").split(">") if p.strip()).casefold()


def category_finder() -> Callable[[str | None], Category | None]:
    """A lookup of categories by their full path as typed (any case, any spaces around ">"); the tree is read once,
    so a CSV import looks up each of its rows without a query."""
    # Compared in Python: SQLite's lower() ignores accents' case (É); the tree is small.
    by_key = {_path_key(c.path): c for c in db.session.scalars(sa.select(Category))}
    return lambda path: by_key.get(_path_key(path))


def category_and_ancestors(category_id):
    """The ids of a category and of every category above it (whose path is a prefix at a " > " boundary): a
    subquery, for `.in_()`."""
    categories = Category.__table__
    own = categories.alias("own")
    # substr/length rather than LIKE: a category name may hold % or _, which LIKE would read as wildcards.
    prefix = sa.func.substr(own.c.path, 1, sa.func.length(categories.c.path) + len(PATH_SEPARATOR))
    return (
        sa.select(categories.c.id)
        .join(own, sa.or_(own.c.id == categories.c.id, prefix == categories.c.path + PATH_SEPARATOR))
        .where(own.c.id == category_id)
    )


# --- Names on labels ------------------------------------------------------------------------------


def item_names(ids: list[int]) -> dict[int, str]:
    """Item names by id, for label sheets."""
    return dict(db.session.execute(sa.select(Item.id, Item.name).where(Item.id.in_(ids))).all())


def location_names(ids: list[int]) -> dict[int, str]:
    """Place names by id (the end of their path, which fits a label), for label sheets."""
    rows = db.session.execute(sa.select(Location.id, Location.path).where(Location.id.in_(ids))).all()
    return {i: PATH_SEPARATOR.join(path.split(PATH_SEPARATOR)[-2:]) for i, path in rows}
