"""The skills a tool or a category requires: added and removed from the item and category pages."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from repairlab.auth import ensure_territory, roles_required
from repairlab.extensions import db
from repairlab.inventory import bp
from repairlab.inventory import requirements as reqs
from repairlab.inventory.forms import RequirementForm
from repairlab.inventory.models import Category, SkillRequirement
from repairlab.inventory.views.common import MANAGERS, item_action, requirement_form, submit_or_back
from repairlab.people.models import Role
from repairlab.skills.models import Skill, SkillLevel


def _add_requirement(form: RequirementForm, **target) -> SkillRequirement:
    skill = db.session.get(Skill, form.skill_id.data) if form.skill_id.data else None
    return reqs.add_requirement(current_user, skill=skill, min_level=form.min_level.data, **target)


def _requirement_added(requirement: SkillRequirement) -> str:
    return _(
        "“%(skill)s” is now required, at level %(num)d (%(label)s).",
        skill=requirement.skill.name,
        num=requirement.min_level,
        label=SkillLevel(requirement.min_level).label,
    )


@bp.route("/items/<int:item_id>/requirements", methods=["POST"])
@roles_required(*MANAGERS)
def item_requirement_add(item_id: int):
    """Require a skill at a minimum level to use this item."""
    form = requirement_form()
    return item_action(item_id, form, lambda item: _add_requirement(form, item=item), _requirement_added)


@bp.route("/categories/<int:category_id>/requirements", methods=["POST"])
@roles_required(Role.ADMIN)
def category_requirement_add(category_id: int):
    """Require a skill at a minimum level for every item of a category and of its sub-categories (categories are
    shared by every territory: administrators only)."""
    category = db.get_or_404(Category, category_id)
    form = requirement_form()
    back = url_for("inventory.category_edit", category_id=category.id)
    return submit_or_back(form, lambda: _add_requirement(form, category=category), _requirement_added, back)


@bp.route("/requirements/<int:requirement_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def requirement_delete(requirement_id: int):
    """Stop requiring a skill (of a tool, or of a category)."""
    requirement = db.get_or_404(SkillRequirement, requirement_id)
    if requirement.item_id is not None:
        ensure_territory(current_user, requirement.item.territory_id)
        back = url_for("inventory.item", item_id=requirement.item_id)
    else:
        back = url_for("inventory.category_edit", category_id=requirement.category_id)
    form = FlaskForm()
    message = _("“%(skill)s” is no longer required.", skill=requirement.skill.name)
    return submit_or_back(form, lambda: reqs.remove_requirement(current_user, requirement), message, back)
