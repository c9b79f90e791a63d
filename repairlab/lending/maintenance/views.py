"""Views of maintenance: log and plan it from the item page; its item-page panel."""

from __future__ import annotations

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from repairlab import clock
from repairlab.auth import roles_required
from repairlab.inventory.models import Item
from repairlab.lending import bp
from repairlab.lending.access import is_desk
from repairlab.lending.maintenance import services as maintenance
from repairlab.lending.maintenance.forms import MaintenanceLogForm, MaintenancePlanForm
from repairlab.lending.maintenance.models import MaintenancePlan
from repairlab.lending.views import item_or_404, item_page
from repairlab.people.models import Role, User
from repairlab.web import submit_and_return

DESK = (Role.LAB_MANAGER, Role.ADMIN)


def _plan_choices(plans: list[MaintenancePlan]) -> list[tuple[str, str]]:
    return [("", _("None"))] + [(str(p.id), f"{p.what} ({p.due_on.isoformat()})") for p in plans]


def item_context(item: Item, viewer: User | None) -> dict | None:
    """The maintenance panel of the item page: the desk of the item's territory only (two queries)."""
    if viewer is None or not is_desk(viewer, item.territory_id):
        return None
    plans = maintenance.open_plans(item)
    log_form = MaintenanceLogForm(formdata=None, prefix="log")
    log_form.plan.choices = _plan_choices(plans)
    return {
        "item": item,
        "plans": plans,
        "next_plan": plans[0] if plans else None,
        "records": maintenance.recent_records(item),
        "today": clock.today(),
        "log_form": log_form,
        "plan_form": MaintenancePlanForm(formdata=None, prefix="plan"),
    }


def _back(item: Item):
    return redirect(url_for("inventory.item", item_id=item.id) + "#maintenance-title")


@bp.route("/lending/items/<int:item_id>/maintenance", methods=["POST"])
@roles_required(*DESK)
def log_maintenance(item_id: int):
    """The desk logs maintenance done on an item."""
    item = item_or_404(item_id)
    plans = maintenance.open_plans(item)
    form = MaintenanceLogForm(prefix="log")
    form.plan.choices = _plan_choices(plans)

    def log():
        plan = next((p for p in plans if str(p.id) == form.plan.data), None)
        return maintenance.log_maintenance(
            current_user,
            item,
            description=form.description.data,
            done_on=form.done_on.data,
            cost=form.cost.data,
            parts=form.parts.data or "",
            plan=plan,
        )

    return submit_and_return(form, log, _("Maintenance recorded."), _back(item), refused=item_page(item))


@bp.route("/lending/items/<int:item_id>/maintenance-plan", methods=["POST"])
@roles_required(*DESK)
def plan_maintenance(item_id: int):
    """The desk plans maintenance of an item."""
    item = item_or_404(item_id)
    form = MaintenancePlanForm(prefix="plan")
    return submit_and_return(
        form,
        lambda: maintenance.plan_maintenance(
            current_user, item, form.what.data, form.due_on.data, every_days=form.every_days.data
        ),
        _("Maintenance planned."),
        _back(item),
        refused=item_page(item),
    )
