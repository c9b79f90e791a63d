"""The impact pages: the repair rate, the waste and CO2e prevented, of the programme, a territory and a lab (with a
chart month by month); the constants table the figures come from."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask, redirect, render_template, url_for
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from repairlab.auth import STAFF_ROLES, ensure_territory, roles_required, sees_all_territories
from repairlab.clock import today
from repairlab.extensions import db
from repairlab.freshness import remembered_page
from repairlab.people.models import Lab, Territory
from repairlab.repairs import bp, queries
from repairlab.repairs.access import FIGURE_ROLES, REPAIR_ROLES
from repairlab.repairs.categories import category_label
from repairlab.repairs.reference import DISPLACEMENT, MISC_POWERED_CO2E_PER_KG, MISC_UNPOWERED_CO2E_PER_KG

# The constants' names as people read them.
CONSTANT_LABELS = {
    DISPLACEMENT: _l("Displacement factor (share of a new purchase a repair replaces)"),
    MISC_POWERED_CO2E_PER_KG: _l("CO2e per kg of a powered object without an average weight (kg)"),
    MISC_UNPOWERED_CO2E_PER_KG: _l("CO2e per kg of an unpowered object (kg)"),
}


def init_app(app: Flask) -> None:
    """The impact page's link in the navigation (under Repairs), and the helpers of the figures' templates."""
    from repairlab.pages import NavItem, nav

    nav.register("repairs.impact_home", NavItem(_l("Impact"), frozenset(FIGURE_ROLES), group=_l("Repairs")), order=18)
    # The figures' templates (the event page's totals too) write rates and kilograms alike.
    app.add_template_filter(percent, "rate")
    app.add_template_filter(kg, "kg")


def percent(rate: Decimal | None) -> str:
    """A repair rate in whole percent, in the reader's language ("70 %"); a dash without a rate."""
    return "—" if rate is None else format_percent(rate)


def kg(value: Decimal | None) -> str:
    """Kilograms to one decimal, in the reader's language."""
    return "—" if value is None else format_decimal(value, format="#,##0.0")


def exact(value: Decimal) -> str:
    """A constant with every decimal it has (32.06679233), in the reader's language."""
    return format_decimal(value, format="#,##0.##########")


def _render(title: str, scope: queries.Scope, *, per_lab: bool, per_territory: bool = False, **extra):
    names = current_user.role in STAFF_ROLES
    page = queries.impact_page(scope, today(), per_lab=per_lab, names=names)
    return render_template(
        "repairs/impact.html",
        title=title,
        figures=page,
        territories=queries.impact_by_territory(scope) if per_territory else [],
        sees_tickets=current_user.role in REPAIR_ROLES,
        category_label=category_label,
        **extra,
    )


@bp.route("/impact")
@roles_required(*FIGURE_ROLES)
@remembered_page
def impact_home():
    """The programme's figures for those who see every territory; a territory's own page for the others."""
    if not sees_all_territories(current_user):
        return redirect(url_for("repairs.impact_territory", territory_id=current_user.territory_id))
    return _render(_("Impact of the repairs"), queries.Scope(), per_lab=False, per_territory=True)


@bp.route("/impact/territories/<int:territory_id>")
@roles_required(*FIGURE_ROLES)
@remembered_page
def impact_territory(territory_id: int):
    """A territory's figures, per lab too."""
    territory = db.get_or_404(Territory, territory_id)
    ensure_territory(current_user, territory.id)
    return _render(
        _("Impact of the repairs in %(name)s", name=territory.name),
        queries.Scope(territory_id=territory.id),
        per_lab=True,
        territory=territory,
    )


@bp.route("/impact/labs/<int:lab_id>")
@roles_required(*FIGURE_ROLES)
@remembered_page
def impact_lab(lab_id: int):
    """A lab's figures."""
    lab = db.get_or_404(Lab, lab_id)
    ensure_territory(current_user, lab.territory_id)
    return _render(
        _("Impact of the repairs at %(name)s", name=lab.name),
        queries.Scope(territory_id=lab.territory_id, lab_id=lab.id),
        per_lab=False,
        lab=lab,
        territory=lab.territory,
    )


@bp.route("/constants")
@login_required
def constants():
    """The table the impact is computed from: categories with weight and footprint, the Fixometer constants, each
    with its source."""
    return render_template(
        "repairs/constants.html",
        categories=queries.categories_table(),
        constants=queries.constants_table(),
        constant_labels=CONSTANT_LABELS,
        exact=exact,
        category_label=category_label,
    )
