"""The category tree shared by every territory, and its forms."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from repairlab.auth import roles_required
from repairlab.extensions import db
from repairlab.inventory import bp, services
from repairlab.inventory import requirements as reqs
from repairlab.inventory.forms import CategoryForm
from repairlab.inventory.models import Category
from repairlab.inventory.views.common import MANAGERS, all_categories, requirement_form
from repairlab.web import form_status, submit


@bp.route("/categories")
@roles_required(*MANAGERS)
def categories():
    """The category tree (shared by all territories)."""
    return render_template("inventory/categories.html", categories=all_categories())


def _fill_category_choices(form: CategoryForm, exclude: Category | None = None) -> None:
    form.parent_id.choices = [("", "—")] + [
        (c.id, c.path)
        for c in all_categories()
        if exclude is None or not (c.path + " >").startswith(exclude.path + " >")
    ]


@bp.route("/categories/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def category_new():
    """Add a category."""
    form = CategoryForm()
    _fill_category_choices(form)
    done = submit(
        form,
        lambda: services.create_category(
            current_user, form.name.data, db.session.get(Category, form.parent_id.data) if form.parent_id.data else None
        ),
        lambda c: _("Category %(name)s added.", name=c.path),
        url_for("inventory.categories"),
    )
    return done or (render_template("inventory/category_form.html", form=form, category=None), form_status())


@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def category_edit(category_id: int):
    """A category and the skills it requires; administrators rename or move it."""
    category = db.get_or_404(Category, category_id)
    can_change = services.can_change_categories(current_user)
    if request.method == "POST" and not can_change:
        abort(403)  # a lab manager sees the category and its requirements; the service refuses the change too
    form = CategoryForm(obj=category)
    _fill_category_choices(form, exclude=category)
    done = submit(
        form,
        lambda: services.update_category(
            current_user,
            category,
            form.name.data,
            db.session.get(Category, form.parent_id.data) if form.parent_id.data else None,
        ),
        _("Changes saved."),
        url_for("inventory.categories"),
    )
    if done:
        return done
    own, inherited = reqs.category_requirements(category)
    return render_template(
        "inventory/category_form.html",
        form=form,
        category=category,
        own_requirements=own,
        inherited_requirements=inherited,
        can_change=can_change,
        requirement_form=requirement_form(with_choices=can_change),
    ), form_status()
