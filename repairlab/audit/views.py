"""Browsing the audit log (admins)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, render_template, request

from repairlab import dates
from repairlab.audit import bp
from repairlab.audit.display import present
from repairlab.audit.labels import object_label
from repairlab.audit.models import AuditEntry
from repairlab.auth import admin_required
from repairlab.extensions import db
from repairlab.pagination import paginate
from repairlab.web import db_id

# The territory filter's value for changes to settings shared by every territory (entries without a territory).
SHARED = "all"


@bp.route("")
@admin_required
def browse():
    """The audit log, newest first, in words; filtered by user, territory, object and dates."""
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    actor_id = request.args.get("actor", type=db_id)
    territory = (request.args.get("territory") or "").strip()
    territory_id = request.args.get("territory", type=db_id)  # None for SHARED, nothing chosen or a bad value
    object_type = (request.args.get("object_type") or "").strip()
    object_id = (request.args.get("object_id") or "").strip()
    raw_from, raw_to = request.args.get("from", ""), request.args.get("to", "")
    day_from, day_to = dates.parse_day(raw_from), dates.parse_day(raw_to)
    # An unusable day (a typing slip such as year 9999) filters nothing and says so, rather than overflowing.
    date_error = dates.out_of_range_message() if (raw_from and not day_from) or (raw_to and not day_to) else None

    stmt = sa.select(AuditEntry).options(sa.orm.joinedload(AuditEntry.actor), sa.orm.joinedload(AuditEntry.territory))
    if actor_id:
        stmt = stmt.where(AuditEntry.actor_id == actor_id)
    if territory == SHARED:
        stmt = stmt.where(AuditEntry.territory_id.is_(None))
    elif territory_id:
        stmt = stmt.where(AuditEntry.territory_id == territory_id)
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if object_id:
        stmt = stmt.where(AuditEntry.object_id == object_id)
    # Days are the user's days (Europe/Paris), converted to UTC bounds.
    if day_from:
        stmt = stmt.where(AuditEntry.created_at >= datetime.combine(day_from, time.min, tz))
    if day_to:
        stmt = stmt.where(AuditEntry.created_at < datetime.combine(day_to + timedelta(days=1), time.min, tz))
    stmt = stmt.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())

    object_types = db.session.scalars(
        sa.select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)
    ).all()
    # The audit log sits below the people domain: it reaches users and territories through its entries' relations.
    User, Territory = AuditEntry.actor.property.mapper.class_, AuditEntry.territory.property.mapper.class_
    actors = db.session.execute(
        sa.select(User.id, User.full_name)
        .where(User.id.in_(sa.select(AuditEntry.actor_id).where(AuditEntry.actor_id.is_not(None)).distinct()))
        .order_by(User.full_name)
    ).all()
    territories = db.session.execute(sa.select(Territory.id, Territory.name).order_by(Territory.name)).all()
    page = paginate(stmt, per_page=50)
    return render_template(
        "audit/browse.html",
        page=page,
        entries=present(page.items),
        actors=actors,
        date_error=date_error,
        first_day=dates.FIRST_DAY.isoformat(),
        last_day=dates.LAST_DAY.isoformat(),
        territories=territories,
        shared=SHARED,
        # Kinds of object in words, sorted as read.
        object_types=sorted(((t, object_label(t)) for t in object_types), key=lambda pair: pair[1].casefold()),
        filters={
            "actor": actor_id,
            "territory": territory if territory == SHARED else territory_id,
            "object_type": object_type,
            "object_id": object_id,
            "from": day_from.isoformat() if day_from else "",
            "to": day_to.isoformat() if day_to else "",
        },
    )
