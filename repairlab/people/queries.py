"""Read-side queries of the people domain: the filtered account lists of the directory and the admin pages."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from repairlab.extensions import db
from repairlab.pagination import starts_folded
from repairlab.people.models import SEARCH_INDEX, Role, User

STATUSES = ("active", "inactive", "all")


def user_query(*, territory_id: int | None = None, q: str = "", role: str = "", status: str = "active") -> sa.Select:
    """Accounts filtered by territory, text (name or e-mail, accents and case ignored, through the text index), role
    and status; unknown values filter nothing."""
    stmt = sa.select(User).options(joinedload(User.territory), joinedload(User.cohort))
    if territory_id:
        stmt = stmt.where(User.territory_id == territory_id)
    if q:
        stmt = stmt.where(SEARCH_INDEX.match(q, User.id, db.session.get_bind().dialect.name).found)
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    if status == "active":
        stmt = stmt.where(User.active.is_(True))
    elif status == "inactive":
        stmt = stmt.where(User.active.is_(False))
    return stmt.order_by(User.full_name, User.id)


def search_talents(territory_id: int | None, text: str, limit: int = 8) -> list[User]:
    """Active talents whose name or e-mail contains the text, accents and case ignored, best matches first (a name
    that starts with it, then alphabetical); only the territory's when one is given. Empty text finds nobody."""
    text = " ".join(text.split())
    if not text:
        return []
    stmt = sa.select(User).where(
        User.role == Role.PARTICIPANT,
        User.active.is_(True),
        SEARCH_INDEX.match(text, User.id, db.session.get_bind().dialect.name).found,
    )
    if territory_id is not None:
        stmt = stmt.where(User.territory_id == territory_id)
    starts = sa.case((starts_folded(User.full_name, text), 0), else_=1)
    return list(db.session.scalars(stmt.order_by(starts, User.full_name, User.id).limit(limit)))
