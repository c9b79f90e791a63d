"""Pagination of select() statements, shared by every list page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, request

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
