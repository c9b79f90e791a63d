"""The repair categories and the skills each exercises (administrators)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from repairlab.auth import admin_required
from repairlab.extensions import db
from repairlab.repairs import bp
from repairlab.repairs.categories import category_label
from repairlab.repairs.evidence import set_category_skills
from repairlab.repairs.forms import CategorySkillsForm
from repairlab.repairs.models import RepairCategory
from repairlab.skills.queries import catalogue_choices
from repairlab.web import form_status, submit


def init_app(app) -> None:
    """The administration link to the categories."""
    from repairlab.pages import NavItem, nav
    from repairlab.people.models import Role

    nav.register("repairs.categories", NavItem(_l("Repair categories"), frozenset({Role.ADMIN}), admin=True), order=89)


@bp.route("/categories")
@admin_required
def categories():
    """The ORDS and unpowered categories, their reference weight and footprint, and the skills each exercises."""
    found = db.session.scalars(sa.select(RepairCategory).options(selectinload(RepairCategory.skills))).all()
    rows = sorted(found, key=lambda c: (not c.powered, category_label(c).casefold()))
    return render_template("repairs/categories.html", categories=rows)


@bp.route("/categories/<int:category_id>/skills", methods=["GET", "POST"])
@admin_required
def category_skills(category_id: int):
    """Choose the skills that repairing objects of a category exercises."""
    category = db.session.get(RepairCategory, category_id)
    if category is None:
        abort(404)
    form = CategorySkillsForm()
    groups = catalogue_choices()
    form.skills.choices = [choice for choices in groups.values() for choice in choices]
    if not form.is_submitted():
        form.skills.data = [s.id for s in category.skills]
    done = submit(
        form,
        lambda: set_category_skills(current_user, category, [i for i in form.skills.data or [] if i]),
        _("The skills of “%(name)s” are saved.", name=category_label(category)),
        url_for("repairs.categories"),
    )
    return done or (
        render_template(
            "repairs/category_skills.html",
            form=form,
            category=category,
            name=category_label(category),
            groups=groups,
            chosen=set(form.skills.data or []),
        ),
        form_status(),
    )
