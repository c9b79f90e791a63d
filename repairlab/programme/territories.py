"""Opening a new territory in one go (period 3's transfer): the territory, its labs and cohorts, and the settings
copied from an existing territory (its labs' lending rules); skill requirements and project stages are shared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from repairlab.audit.services import record
from repairlab.errors import PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.lending.models import LendingPolicy
from repairlab.people import services as people
from repairlab.people.models import Lab, Territory, User
from repairlab.programme.access import can_manage_programme
from repairlab.programme.models import ProgrammePeriod
from repairlab.programme.periods import set_cohort_period, set_territory_target

MAX_LABS = 10
MAX_COHORTS = 10


@dataclass(frozen=True)
class NewCohort:
    """A cohort of the new territory."""

    name: str
    start_date: date | None
    end_date: date | None
    target_talents: int | None


@dataclass(frozen=True)
class OpenedTerritory:
    """What opening a territory made."""

    territory: Territory
    labs: list[Lab]
    cohorts: list
    policies_copied: int


def _copy_lending_policies(actor: User, source: Territory, labs: list[Lab]) -> int:
    """Give every new lab the source territory's lending rules: for each category, the rule of the source's first
    lab (by name) that has one."""
    rows = db.session.scalars(
        sa.select(LendingPolicy)
        .join(Lab, Lab.id == LendingPolicy.lab_id)
        .where(Lab.territory_id == source.id)
        .order_by(Lab.name, Lab.id)
    )
    chosen: dict[int, LendingPolicy] = {}
    for policy in rows:
        chosen.setdefault(policy.category_id, policy)
    for lab in labs:
        for policy in chosen.values():
            db.session.add(
                LendingPolicy(
                    lab_id=lab.id,
                    category_id=policy.category_id,
                    self_service=policy.self_service,
                    default_days=policy.default_days,
                    max_days=policy.max_days,
                    updated_by_id=actor.id,
                )
            )
    db.session.flush()
    return len(chosen) * len(labs)


def open_territory(
    actor: User,
    *,
    code: str,
    name: str,
    lab_names: list[str],
    cohorts: list[NewCohort],
    period: ProgrammePeriod | None,
    copy_from: Territory | None,
) -> OpenedTerritory:
    """Open a territory with its labs and cohorts (in the period, whose dates and target there follow the cohorts),
    and the lending rules copied from an existing territory."""
    if not can_manage_programme(actor):
        raise PermissionDenied(_("Only an administrator may open a territory."))
    lab_names = [n.strip() for n in lab_names if n and n.strip()]
    if not lab_names:
        raise ValidationError(_("Name at least one lab."), field="labs")
    if len(lab_names) > MAX_LABS or len(cohorts) > MAX_COHORTS:
        raise ValidationError(_("Open at most 10 labs and 10 cohorts at once."), field="labs")
    if len({n.lower() for n in lab_names}) != len(lab_names):
        raise ValidationError(_("Two labs have the same name."), field="labs")
    territory = people.create_territory(actor, code=code, name=name)
    labs = [people.create_lab(actor, territory=territory, name=lab_name) for lab_name in lab_names]
    made = []
    for index, cohort in enumerate(cohorts):
        try:
            made.append(
                people.create_cohort(
                    actor,
                    territory=territory,
                    name=cohort.name,
                    start_date=cohort.start_date,
                    end_date=cohort.end_date,
                    target_talents=cohort.target_talents,
                )
            )
        except ValidationError as error:
            raise ValidationError(
                _("Cohort %(num)d: %(message)s", num=index + 1, message=error.message), field="cohorts"
            ) from None
    if period is not None:
        for cohort in made:
            set_cohort_period(actor, cohort, period)
        if made:
            set_territory_target(
                actor,
                period,
                territory,
                start_date=min(c.start_date for c in made),
                end_date=max(c.end_date for c in made),
                target_talents=sum(c.target_talents for c in made),
            )
    copied = _copy_lending_policies(actor, copy_from, labs) if copy_from is not None else 0
    record(
        actor,
        "programme.open_territory",
        territory,
        after={
            "labs": [lab.name for lab in labs],
            "cohorts": [c.name for c in made],
            "period_id": period.id if period is not None else None,
            "copied_from": copy_from.code if copy_from is not None else None,
            "lending_rules_copied": copied,
        },
        territory_id=territory.id,
    )
    return OpenedTerritory(territory, labs, made, copied)
