"""Pagination of select() statements, shared by every list page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, request, url_for

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
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sa.func.lower(column).like(f"%{escaped}%", escape="\\")


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
