"""Home-page panels of the people domain: the programme at a glance, by role."""

from __future__ import annotations

import sqlalchemy as sa

from repairlab.extensions import db
from repairlab.pages import HomePanel, home_panels
from repairlab.people.models import Cohort, Lab, Role, Territory, User


def _talent_counts(territory_id: int | None = None) -> list[tuple[Territory, int, int, int]]:
    """Per territory: (territory, labs, active talents, cohorts), in two queries."""
    talents = (
        sa.select(User.territory_id, sa.func.count(User.id).label("n"))
        .where(User.role == Role.PARTICIPANT, User.active.is_(True))
        .group_by(User.territory_id)
        .subquery()
    )
    labs = sa.select(Lab.territory_id, sa.func.count(Lab.id).label("n")).group_by(Lab.territory_id).subquery()
    cohorts = (
        sa.select(Cohort.territory_id, sa.func.count(Cohort.id).label("n")).group_by(Cohort.territory_id).subquery()
    )
    stmt = (
        sa.select(
            Territory, sa.func.coalesce(labs.c.n, 0), sa.func.coalesce(talents.c.n, 0), sa.func.coalesce(cohorts.c.n, 0)
        )
        .outerjoin(labs, labs.c.territory_id == Territory.id)
        .outerjoin(talents, talents.c.territory_id == Territory.id)
        .outerjoin(cohorts, cohorts.c.territory_id == Territory.id)
        .order_by(Territory.code)
    )
    if territory_id is not None:
        stmt = stmt.where(Territory.id == territory_id)
    return [tuple(row) for row in db.session.execute(stmt)]


def programme_context(user: User) -> dict:
    """Admins and researchers: every territory's labs, talents and cohorts."""
    rows = _talent_counts()
    return {"rows": rows, "total_talents": sum(r[2] for r in rows)}


def territory_context(user: User) -> dict:
    """Staff of a territory: its labs and its cohorts with their talents."""
    counts = (
        sa.select(User.cohort_id, sa.func.count(User.id).label("n"))
        .where(User.role == Role.PARTICIPANT, User.active.is_(True))
        .group_by(User.cohort_id)
        .subquery()
    )
    cohorts = db.session.execute(
        sa.select(Cohort, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.cohort_id == Cohort.id)
        .where(Cohort.territory_id == user.territory_id)
        .order_by(Cohort.start_date)
    ).all()
    labs = db.session.scalars(
        sa.select(Lab).where(Lab.territory_id == user.territory_id, Lab.active.is_(True)).order_by(Lab.name)
    ).all()
    return {"cohorts": cohorts, "labs": labs}


def my_path_context(user: User) -> dict:
    """A talent: their cohort, track and the labs of their territory."""
    labs = db.session.scalars(
        sa.select(Lab).where(Lab.territory_id == user.territory_id, Lab.active.is_(True)).order_by(Lab.name)
    ).all()
    return {"labs": labs}


def register_panels() -> None:
    """Register the people domain's home panels."""
    home_panels.register(
        "people.programme",
        HomePanel(frozenset({Role.ADMIN, Role.RESEARCHER}), "people/panels/programme.html", programme_context),
        order=900,
    )
    home_panels.register(
        "people.territory",
        HomePanel(frozenset({Role.LAB_MANAGER, Role.MENTOR}), "people/panels/territory.html", territory_context),
        order=900,
    )
    home_panels.register(
        "people.my_path",
        HomePanel(frozenset({Role.PARTICIPANT}), "people/panels/my_path.html", my_path_context),
        order=900,
    )
