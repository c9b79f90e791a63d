"""The sections guides adds to earlier pages, through their registries (none of those domains imports guides):

- the tool's page (the scan page): its category's guides and safety briefings, one tap under its name;
- a repair ticket's page: the guides for its kind of object, brand and model, and the guide followed;
- a programme session's page: the workshop plan it runs;
- the skills passport: the published guides the talent wrote, as evidence of their skills;
- the reviewers' home page: the talents' proposals waiting for them; the navigation.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from repairlab.auth import territory_scope
from repairlab.extensions import db
from repairlab.guides import access, queries
from repairlab.guides.forms import PlanForm, UseForm
from repairlab.guides.models import Guide, GuideCredit, GuideSessionPlan, GuideStatus
from repairlab.inventory.models import Item
from repairlab.inventory.registry import ItemPanel, item_panels
from repairlab.pages import HomePanel, NavItem, home_panels, nav
from repairlab.people.models import Role, User
from repairlab.people.registry import erasure_hooks
from repairlab.programme.models import ActivitySession
from repairlab.programme.registry import SessionPanel, session_panels
from repairlab.repairs.access import can_repair, can_view
from repairlab.repairs.models import RepairTicket
from repairlab.repairs.registry import TicketPanel, ticket_panels
from repairlab.skills.registry import EvidenceSource, passport_evidence


def item_context(item: Item, viewer: User | None) -> dict | None:
    """The published guides that need tools of the item's category (safety briefings first); one query."""
    if item.category_id is None:
        return None
    guides = queries.for_tool_category(item.category_id)
    return {"guides": guides} if guides else None


def ticket_context(ticket: RepairTicket, viewer: User) -> dict | None:
    """Guides for the ticket's object and those followed on it (the ticket's team)."""
    if not can_view(viewer, ticket.territory_id):
        return None
    suggested = queries.suggested_for_ticket(ticket)
    uses = queries.ticket_uses(ticket.id)
    working = can_repair(viewer, ticket.territory_id)
    form = None
    if working:
        form = UseForm()
        offered = {g.id: v.title for g, v in suggested}
        offered.update({u.guide_id: u.version.title for u in uses})
        form.guide_id.choices = [("", "—"), *offered.items()]
        if suggested and not uses:
            form.guide_id.data = suggested[0][0].id  # the likeliest, ready on a phone
    return {
        "ticket": ticket,
        "suggested": suggested,
        "uses": uses,
        "working": working,
        "use_form": form,
        "can_write": access.can_write(viewer, ticket.territory_id),
    }


def session_context(session: ActivitySession, viewer: User) -> dict | None:
    """The session's workshop plan, and the form to choose it (whoever runs the session)."""
    plan = db.session.get(GuideSessionPlan, session.id)
    can_attach = access.can_attach_plan(viewer, session.territory_id)
    if plan is None and not can_attach:
        return None
    form = None
    if can_attach:
        plans = queries.public_workshop_plans(session.territory_id)
        form = PlanForm(guide_id=plan.guide_id if plan else None)
        form.guide_id.choices = [("", "—"), *((g.id, v.title) for g, v in plans)]
    return {"session": session, "plan": plan, "plan_form": form}


def passport_context(talent: User, viewer: User) -> dict | None:
    """The published guides the talent wrote (the passport's own rule says who sees it)."""
    written = queries.written_by(talent)
    return {"guides": written} if written else None


def reviews_context(user: User) -> dict | None:
    """The talents' proposals waiting for a review in the user's territory (every territory for admins)."""
    stmt = sa.select(Guide).where(Guide.status == GuideStatus.PROPOSED).order_by(Guide.updated_at).limit(10)
    scope = territory_scope(user)
    if scope is not None:
        stmt = stmt.where(Guide.territory_id == scope)
    waiting = list(db.session.scalars(stmt))
    return {"waiting": waiting} if waiting else None


def erase_credits(person: User) -> None:
    """An erased person is credited nowhere any more (their versions stay, anonymous)."""
    db.session.execute(sa.delete(GuideCredit).where(GuideCredit.user_id == person.id))


def register() -> None:
    """Add guides to the tool, ticket, session, passport and home pages, the navigation and erasure."""
    item_panels.register(
        "guides.tool",
        ItemPanel(
            "guides/panels/item.html", item_context, action_template="guides/panels/item_action.html", public=True
        ),
        order=40,
    )
    ticket_panels.register("guides.suggested", TicketPanel("guides/panels/ticket.html", ticket_context), order=10)
    session_panels.register("guides.plan", SessionPanel("guides/panels/session.html", session_context), order=10)
    passport_evidence.register(
        "guides.written", EvidenceSource("guides/panels/passport.html", passport_context), order=60
    )
    home_panels.register(
        "guides.reviews",
        HomePanel(
            frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN}), "guides/panels/reviews.html", reviews_context
        ),
        order=30,
    )
    nav.register("guides.index", NavItem(_l("Guides"), frozenset(Role), group=_l("Repairs")), order=19)
    erasure_hooks.register("guides.credits", erase_credits)
