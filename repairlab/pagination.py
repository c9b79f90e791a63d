"""Pagination of select() statements, shared by every list page."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, request, url_for
from sqlalchemy.ext.compiler import compiles

from repairlab.extensions import db

# Far beyond any real list; larger page numbers would overflow OFFSET.
MAX_PAGE = 1_000_000


def paginate(stmt, per_page: int | None = None):
    """Paginate a select() with the ?page= argument; out-of-range pages give an empty page, not an error."""
    page = request.args.get("page", 1, type=int) or 1
    page = min(max(page, 1), MAX_PAGE)
    return db.paginate(
        stmt,
        page=page,
        per_page=per_page or current_app.config["PER_PAGE"],
        max_per_page=200,
        error_out=False,
    )


class CappedPage:
    """One page of a list whose count stops at a cap: what the pagination macros read (items, page, total, pages,
    has_prev/has_next, prev_num/next_num). `capped`: there are more rows than `total` (the count stopped; the pages
    go on, with no last one known). `truncated`: a search matched more rows than it lists (the newest `truncated`)."""

    def __init__(self, items: list, *, page: int, per_page: int, total: int, more: bool, truncated: int | None) -> None:
        self.items, self.page, self.per_page, self.total = items, page, per_page, total
        self.capped = more and not truncated
        self.truncated = truncated
        self.pages = None if self.capped else max(1, -(-total // per_page))
        self.has_prev = page > 1
        self.has_next = page * per_page < total or (self.capped and len(items) == per_page)
        self.prev_num = page - 1 if self.has_prev else None
        self.next_num = page + 1 if self.has_next else None

    def __iter__(self):
        return iter(self.items)


@dataclass(frozen=True)
class Listing:
    """What a page of a list reads: a select() of ids in the list's order. For a search, also the number of matches
    it found (`found`: a scalar select, at most `cap` + 1, added as the rows' second column), of which it lists at
    most `cap`, and the rows it lists besides (`also`: e.g. the item whose code was typed)."""

    stmt: sa.Select
    found: sa.ScalarSelect | None = None
    cap: int = 0
    also: int = 0


def paginate_ids(listing: Listing, load, per_page: int | None = None) -> CappedPage:
    """Paginate a Listing, then load the page's rows with `load(ids)` (in any order; they come back in the page's).
    The ids query sorts narrow rows only, and a list's count reads at most LIST_COUNT_CAP + 1 of them (an exact count
    of a large inventory would cost more than finding the page's rows); a search's count comes with its page's rows:
    both stay cheap however long the list."""
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    per_page = per_page or current_app.config["PER_PAGE"]
    rows = db.session.execute(listing.stmt.limit(per_page).offset((page - 1) * per_page)).all()
    ids = [row[0] for row in rows]
    truncated = None
    if listing.found is None:
        cap = current_app.config["LIST_COUNT_CAP"]
        counted = listing.stmt.order_by(None).limit(cap + 1).subquery()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0
        more, total = total > cap, min(total, cap)
    else:
        found = rows[0][1] if rows else db.session.scalar(sa.select(listing.found)) or 0
        truncated = listing.cap if found > listing.cap else None
        more, total = truncated is not None, min(found, listing.cap) + listing.also
    by_id = {row.id: row for row in load(ids)} if ids else {}
    return CappedPage(
        [by_id[i] for i in ids if i in by_id],
        page=page,
        per_page=per_page,
        total=total,
        more=more,
        truncated=truncated,
    )


def contains(column, text: str):
    """A case-insensitive "contains" filter that treats % and _ typed by the user as plain characters."""
    return sa.func.lower(column).like(f"%{like_escaped(text.lower())}%", escape="\\")


# The accented letters of the languages our talents' names come in, and the plain letter each folds to: a search
# for "zoe" finds "Zoé" on every engine (SQLite has no unaccent(), and PostgreSQL's needs an extension).
_ACCENTED = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿšžčćďťňřěůłőűșțăğıśźżńąę"
_PLAIN = "aaaaaaceeeeiiiinoooooouuuuyyszccdtnreuloustagiszznae"
# Python and SQL fold with this one table, so that both sides of a comparison fold alike on every engine.
_FOLD = str.maketrans(_ACCENTED + _ACCENTED.upper(), _PLAIN + _PLAIN)


def fold(text: str) -> str:
    """Lower-case, accents removed ("Zoé Œuvray" -> "zoe oeuvray"): exactly what folded() does in SQL."""
    return text.lower().translate(_FOLD).replace("œ", "oe").replace("æ", "ae")


class folded(sa.sql.functions.FunctionElement):
    """fold() in SQL: a Python function registered on SQLite connections, translate() on PostgreSQL."""

    type = sa.String()
    inherit_cache = True
    name = "rl_fold"


@compiles(folded)
def _folded_sqlite(element, compiler, **kw):
    # Registered on every SQLite connection by repairlab._configure_sqlite.
    return f"rl_fold({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _folded_postgresql(element, compiler, **kw):
    # Capitals too: lower() leaves "É" alone in a database created with the C locale.
    text = f"lower({compiler.process(element.clauses, **kw)})"
    text = f"translate({text}, '{_ACCENTED}{_ACCENTED.upper()}', '{_PLAIN}{_PLAIN}')"
    return f"replace(replace(replace(replace({text}, 'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae')"


def like_escaped(text: str) -> str:
    """The text as a LIKE pattern with ESCAPE '\\' would read it: % and _ typed by a user are plain characters."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_folded(column, text: str):
    """Like contains(), also ignoring accents on both sides."""
    return folded(column).like(f"%{like_escaped(fold(text))}%", escape="\\")


def starts_folded(column, text: str):
    """The column starts with the text, accents and case ignored."""
    return folded(column).like(f"{like_escaped(fold(text))}%", escape="\\")


def query_args() -> dict[str, list[str]]:
    """The current query string as url_for() keyword arguments, every value kept; arguments that url_for() would
    read as its own options (endpoint, _external, _scheme...) are left out, so that no query string breaks a link."""
    return {k: v for k, v in request.args.to_dict(flat=False).items() if not k.startswith("_") and k != "endpoint"}


def page_url(endpoint: str, number: int) -> str:
    """The address of another page of the current list: the same filters, and the same path arguments (which win
    over a query argument of the same name)."""
    args = query_args()
    args.update(request.view_args or {})
    args["page"] = number
    return url_for(endpoint, **args)
