"""What the guides views share: loading a guide the viewer may see, the version shown, the forms' choices."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from repairlab.extensions import db
from repairlab.guides import access, queries
from repairlab.guides.models import Guide, GuideVersion
from repairlab.inventory.models import Category
from repairlab.people.models import User
from repairlab.repairs.categories import active_categories, category_label
from repairlab.skills.models import Skill


def viewer() -> User | None:
    """The logged-in user, or None for a visitor."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def guide_or_404(slug: str) -> Guide:
    """A guide the viewer may read: public, or one they may work on (else 404: drafts are not known)."""
    guide = db.session.scalar(sa.select(Guide).where(Guide.slug == slug))
    if guide is None or not (guide.is_public or access.can_see_work(viewer(), guide)):
        abort(404)
    return guide


def editable_or_404(slug: str) -> Guide:
    """A guide the viewer may change (else 404 for another territory's, as elsewhere)."""
    guide = db.session.scalar(sa.select(Guide).where(Guide.slug == slug))
    if guide is None or not access.can_edit(viewer(), guide):
        abort(404)
    return guide


def shown_version(guide: Guide, number: int | None = None) -> GuideVersion:
    """The version a page shows: the one asked for (published once, or any for the guide's team), else the public
    one (the team's latest when they may work on it)."""
    team = access.can_see_work(viewer(), guide)
    if number is None:
        number = guide.latest_number if team else guide.published_number
    elif not team and not queries.is_published_version(guide, number):
        abort(404)
    version = db.session.scalar(
        sa.select(GuideVersion).where(GuideVersion.guide_id == guide.id, GuideVersion.number == number)
    )
    if version is None:
        abort(404)
    return version


def repair_category_choices(blank: str = "—") -> list[tuple[int | str, str]]:
    """The ORDS kinds of object, by their name in the reader's language."""
    return [("", blank), *sorted(((c.id, category_label(c)) for c in active_categories()), key=lambda c: c[1])]


def tool_category_choices() -> list[tuple[int, str]]:
    """The inventory's categories, by path."""
    return [(c.id, c.path) for c in db.session.scalars(sa.select(Category).order_by(Category.path))]


def skill_choices(blank: str = "—") -> list[tuple[int | str, str]]:
    """The catalogue's active skills, by name."""
    skills = db.session.scalars(sa.select(Skill).where(Skill.active.is_(True)).order_by(Skill.name))
    return [("", blank)] + [(s.id, s.name) for s in skills]
