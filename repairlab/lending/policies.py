"""Lending policies per lab and category: self-service or desk only, default and longest take-home loan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from repairlab import clock
from repairlab.audit.services import record
from repairlab.database import flush_or_conflict
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.inventory.models import Category, Item
from repairlab.inventory.requirements import category_and_ancestors
from repairlab.inventory.services import PATH_SEPARATOR
from repairlab.lending.access import is_desk
from repairlab.lending.models import LendingPolicy
from repairlab.people.models import Lab, User

LONGEST = 365


@dataclass(frozen=True)
class Rule:
    """The lending rule an item (or a category) follows, and where it comes from."""

    self_service: bool
    default_days: int
    max_days: int
    source_path: str | None = None  # the category whose policy it is; None: the programme's defaults
    own: bool = False  # set on this very category

    @property
    def inherited(self) -> bool:
        """Whether the rule comes from a category above, or from the defaults."""
        return not self.own


def default_rule() -> Rule:
    """The programme's defaults: talents borrow by themselves, for the configured durations."""
    return Rule(True, current_app.config["LOAN_DEFAULT_DAYS"], current_app.config["LOAN_MAX_DAYS"])


def default_due_date(today: date | None = None, rule: Rule | None = None) -> date:
    """Today plus the default take-home duration (of the item's rule, else of the programme)."""
    days = rule.default_days if rule is not None else current_app.config["LOAN_DEFAULT_DAYS"]
    return (today or clock.today()) + timedelta(days=days)


def desk_only_message(rule: Rule) -> str:
    """Why a talent cannot borrow (or reserve) a desk-only tool by themselves, in plain words."""
    return _(
        "Ask at the desk: tools of the category %(category)s are lent by a lab manager only.",
        category=rule.source_path or "",
    )


def _rule(policy: LendingPolicy, path: str, own: bool) -> Rule:
    return Rule(policy.self_service, policy.default_days, policy.max_days, path, own)


def ancestor_paths(path: str) -> list[str]:
    """A category's path and those of every category above it, nearest first."""
    parts = path.split(PATH_SEPARATOR)
    return [PATH_SEPARATOR.join(parts[:n]) for n in range(len(parts), 0, -1)]


_POLICY, _CATEGORY = LendingPolicy.__table__, Category.__table__


# Built once with bound parameters: the item page runs it on every scan, and building (and hashing) a statement
# cost as much as running it. Plain Core on the tables; the category's ancestors found by a subquery rather than a
# list of paths, which would be expanded into the SQL text again on every run.
_RULE = (
    sa.select(_POLICY.c.self_service, _POLICY.c.default_days, _POLICY.c.max_days, _CATEGORY.c.path)
    .join(_CATEGORY, _CATEGORY.c.id == _POLICY.c.category_id)
    .where(
        _POLICY.c.lab_id == sa.bindparam("lab_id", type_=sa.Integer),
        _POLICY.c.category_id.in_(category_and_ancestors(sa.bindparam("category_id", type_=sa.Integer))),
    )
    .order_by(sa.func.length(_CATEGORY.c.path).desc())
    .limit(1)
)


def rule_for_item(item: Item) -> Rule:
    """The nearest policy of the item's lab up its category tree, else the defaults (one query, none without a
    category)."""
    if item.category_id is None:
        return default_rule()
    row = db.session.execute(_RULE, {"lab_id": item.lab_id, "category_id": item.category_id}).first()
    if row is None:
        return default_rule()
    return Rule(row.self_service, row.default_days, row.max_days, row.path, row.path == item.category.path)


@dataclass(frozen=True)
class CategoryRule:
    """A row of the policy page: a category, its depth in the tree, its effective rule and its own policy."""

    category: Category
    depth: int
    rule: Rule
    policy: LendingPolicy | None


def rules_of_lab(lab: Lab) -> list[CategoryRule]:
    """Every category with the rule it follows in this lab (two queries)."""
    categories = db.session.scalars(sa.select(Category).order_by(Category.path)).all()
    policies = {
        p.category_id: p for p in db.session.scalars(sa.select(LendingPolicy).where(LendingPolicy.lab_id == lab.id))
    }
    by_path = {c.path: policies.get(c.id) for c in categories}
    rows = []
    for category in categories:
        rule = default_rule()
        for path in ancestor_paths(category.path):
            policy = by_path.get(path)
            if policy is not None:
                rule = _rule(policy, path, path == category.path)
                break
        rows.append(CategoryRule(category, category.path.count(PATH_SEPARATOR), rule, policies.get(category.id)))
    return rows


def can_set_policies(user: User | None, lab: Lab) -> bool:
    """Lab managers of the lab's territory, and administrators."""
    return is_desk(user, lab.territory_id)


def _days(value, field: str) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("Write a number of days."), field=field) from None
    if not 1 <= days <= LONGEST:
        raise ValidationError(_("Choose between 1 and %(num)d days.", num=LONGEST), field=field)
    return days


def _fields(policy: LendingPolicy) -> dict:
    return {"self_service": policy.self_service, "default_days": policy.default_days, "max_days": policy.max_days}


def set_policy(
    actor: User, lab: Lab, category: Category, *, self_service: bool, default_days: int, max_days: int
) -> LendingPolicy:
    """Set (or change) the lab's own rule for a category and the categories under it."""
    if not can_set_policies(actor, lab):
        raise PermissionDenied(_("Only a lab manager of this territory sets the lending rules."))
    default_days = _days(default_days, "default_days")
    max_days = _days(max_days, "max_days")
    if default_days > max_days:
        raise ValidationError(_("The usual duration cannot be longer than the longest one."), field="default_days")
    policy = db.session.scalar(
        sa.select(LendingPolicy).where(LendingPolicy.lab_id == lab.id, LendingPolicy.category_id == category.id)
    )
    before = _fields(policy) if policy is not None else None
    if policy is None:
        policy = LendingPolicy(lab_id=lab.id, category_id=category.id, lab=lab, category=category)
        db.session.add(policy)
    policy.self_service = bool(self_service)
    policy.default_days, policy.max_days, policy.updated_by_id = default_days, max_days, actor.id
    flush_or_conflict(_("Someone changed this rule at the same time. Look at it again."))
    record(actor, "lending_policy.set", policy, before=before, after=_fields(policy))
    return policy


def clear_policy(actor: User, lab: Lab, category: Category) -> None:
    """Remove the lab's own rule for a category: it follows the category above (or the defaults) again."""
    if not can_set_policies(actor, lab):
        raise PermissionDenied(_("Only a lab manager of this territory sets the lending rules."))
    policy = db.session.scalar(
        sa.select(LendingPolicy)
        .options(joinedload(LendingPolicy.lab), joinedload(LendingPolicy.category))
        .where(LendingPolicy.lab_id == lab.id, LendingPolicy.category_id == category.id)
    )
    if policy is None:
        raise Conflict(_("This category has no rule of its own in this lab."))
    record(actor, "lending_policy.clear", policy, before=_fields(policy))
    db.session.delete(policy)
    db.session.flush()
