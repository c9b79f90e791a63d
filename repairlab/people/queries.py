"""Read-side queries of the people domain: the filtered account lists of the directory and the admin pages."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from repairlab.pagination import contains
from repairlab.people.models import Role, User

STATUSES = ("active", "inactive", "all")


def user_query(*, territory_id: int | None = None, q: str = "", role: str = "", status: str = "active") -> sa.Select:
    """Accounts filtered by territory, text (name or e-mail), role and status; unknown values filter nothing."""
    stmt = sa.select(User).options(joinedload(User.territory), joinedload(User.cohort))
    if territory_id:
        stmt = stmt.where(User.territory_id == territory_id)
    if q:
        stmt = stmt.where(sa.or_(contains(User.full_name, q), contains(User.email, q)))
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    if status == "active":
        stmt = stmt.where(User.active.is_(True))
    elif status == "inactive":
        stmt = stmt.where(User.active.is_(False))
    return stmt.order_by(User.full_name, User.id)
