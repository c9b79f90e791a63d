"""Home-page panels of the inventory: problems to handle and parts running low."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from repairlab.auth import territory_scope
from repairlab.extensions import db
from repairlab.inventory.models import Item, ItemKind, ItemStatus, ProblemReport, ReportStatus
from repairlab.pages import HomePanel, home_panels
from repairlab.people.models import Role, User


def lab_today_context(user: User) -> dict:
    """Open problem reports and low stock for a lab manager's territory."""
    scope = territory_scope(user)
    reports = (
        sa.select(ProblemReport)
        .options(joinedload(ProblemReport.item))
        .where(ProblemReport.status == ReportStatus.OPEN)
        .order_by(ProblemReport.created_at.desc())
        .limit(5)
    )
    low = (
        sa.select(Item)
        .where(Item.kind == ItemKind.PART, Item.quantity <= Item.low_stock_threshold, Item.status != ItemStatus.RETIRED)
        .order_by(Item.name)
        .limit(5)
    )
    count_reports = (
        sa.select(sa.func.count()).select_from(ProblemReport).where(ProblemReport.status == ReportStatus.OPEN)
    )
    out_of_service = sa.select(sa.func.count()).select_from(Item).where(Item.status == ItemStatus.OUT_OF_SERVICE)
    if scope is not None:
        reports = reports.where(ProblemReport.territory_id == scope)
        low = low.where(Item.territory_id == scope)
        count_reports = count_reports.where(ProblemReport.territory_id == scope)
        out_of_service = out_of_service.where(Item.territory_id == scope)
    return {
        "reports": list(db.session.scalars(reports)),
        "report_count": db.session.scalar(count_reports),
        "low_stock": list(db.session.scalars(low)),
        "out_of_service": db.session.scalar(out_of_service),
    }


def register_panels() -> None:
    """Register the inventory's home panels: a talent's big scan button first, a lab manager's day."""
    home_panels.register(
        "inventory.scan",
        HomePanel(frozenset({Role.PARTICIPANT}), "inventory/panels/scan.html", lambda user: {}),
        order=1,
    )
    home_panels.register(
        "inventory.today",
        HomePanel(frozenset({Role.LAB_MANAGER, Role.ADMIN}), "inventory/panels/today.html", lab_today_context),
        order=20,
    )
