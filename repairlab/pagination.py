"""Pagination of select() statements, shared by every list page."""

from __future__ import annotations

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
