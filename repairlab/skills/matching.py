"""Matching: the talents of a territory ranked against required skills, and a team's gaps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from repairlab import clock
from repairlab.extensions import LabelledEnum, db, enum_labels
from repairlab.people.models import Role, User
from repairlab.skills.levels import check_level
from repairlab.skills.models import SkillValidation
from repairlab.skills.queries import HeldSkill, current_levels, current_rows_stmt, held_from_rows, skills_by_id
from repairlab.skills.usage import Requirement


class MatchStatus(LabelledEnum):
    """How one person stands against one required skill."""

    MET = "met"  # validated at the level or above
    MET_DECLARED = "met_declared"  # only declared at the level
    LOWER = "lower"  # held (validated or declared) below the level
    MISSING = "missing"  # not held (or the validation expired)


MATCH_STATUS_LABELS = enum_labels(
    MatchStatus,
    {
        MatchStatus.MET: _l("Validated at this level"),
        MatchStatus.MET_DECLARED: _l("Declared at this level, not validated"),
        MatchStatus.LOWER: _l("Lower level"),
        MatchStatus.MISSING: _l("Missing"),
    },
)


class MatchTier(IntEnum):
    """How a person stands against the whole set: every skill at level, some lower, some missing."""

    COMPLETE = 0
    LOWER = 1
    MISSING = 2

    @property
    def label(self) -> str:
        """The tier in words."""
        return str(MATCH_TIER_LABELS[self])


MATCH_TIER_LABELS = {
    MatchTier.COMPLETE: _l("Has every skill at the level"),
    MatchTier.LOWER: _l("Has every skill, some at a lower level"),
    MatchTier.MISSING: _l("Misses some skills"),
}


@dataclass(frozen=True)
class SkillMatch:
    """One required skill for one person."""

    requirement: Requirement
    skill_name: str
    status: MatchStatus
    level: int | None  # the level that supports the status (validated or declared)
    validated: bool  # whether that level is a validated one
    expired_on: date | None = None

    @property
    def shortfall(self) -> int:
        """How many levels are missing."""
        return max(0, self.requirement.min_level - (self.level or 0))


@dataclass(frozen=True)
class PersonMatch:
    """One person of the territory against the required skills."""

    user: User
    tier: MatchTier
    items: list[SkillMatch]

    @property
    def declared_count(self) -> int:
        """Requirements met only by the person's own declaration."""
        return sum(1 for i in self.items if i.status == MatchStatus.MET_DECLARED)

    @property
    def sort_key(self) -> tuple:
        """Complete before lower before missing; validated before declared; then smallest gap, strongest, name."""
        return (
            self.tier,
            self.declared_count,
            sum(1 for i in self.items if i.status == MatchStatus.MISSING),
            sum(i.shortfall for i in self.items),
            -sum(i.level or 0 for i in self.items if i.validated),
            self.user.full_name.casefold(),
            self.user.id,
        )


@dataclass(frozen=True)
class TeamCoverage:
    """For one required skill: the team members who hold it validated at the level, and the best level held."""

    requirement: Requirement
    skill_name: str
    holders: list[int]  # user ids, validated at the level
    declared_holders: list[int]  # user ids, declared at the level only
    best_level: int | None  # best validated level in force in the team

    @property
    def covered(self) -> bool:
        """Whether someone in the team holds it, validated, at the level."""
        return bool(self.holders)


@dataclass(frozen=True)
class MatchResult:
    """The people of a territory ranked against required skills, and a team's coverage."""

    requirements: list[Requirement]
    skill_names: dict[int, str]
    people: list[PersonMatch]
    team: list[TeamCoverage]

    @property
    def team_gaps(self) -> list[TeamCoverage]:
        """Required skills that nobody in the team holds, validated, at the level."""
        return [t for t in self.team if not t.covered]


def _merge(requirements: Sequence[Requirement]) -> list[Requirement]:
    """One requirement per skill, at the highest level asked, in the order given."""
    merged: dict[int, Requirement] = {}
    for req in requirements:
        check_level(req.min_level, field="min_level")
        if req.skill_id not in merged or req.min_level > merged[req.skill_id].min_level:
            merged[req.skill_id] = req
    return list(merged.values())


def _skill_match(req: Requirement, name: str, held: HeldSkill | None) -> SkillMatch:
    if held is None:
        return SkillMatch(req, name, MatchStatus.MISSING, None, False)
    validated, declared = held.level, held.declared_level
    if validated is not None and validated >= req.min_level:
        return SkillMatch(req, name, MatchStatus.MET, validated, True)
    if declared is not None and declared >= req.min_level:
        return SkillMatch(req, name, MatchStatus.MET_DECLARED, declared, False)
    if validated is not None or declared is not None:
        best_is_validated = (validated or 0) >= (declared or 0)
        return SkillMatch(req, name, MatchStatus.LOWER, validated if best_is_validated else declared, best_is_validated)
    return SkillMatch(req, name, MatchStatus.MISSING, None, False, expired_on=held.expires_on if held.expired else None)


def team_talent_ids(territory_id: int, ids: Iterable[int], *, limit: int = 50) -> list[int]:
    """Keep only active talents of the territory: the team form must not reveal anyone else's skills."""
    ids = sorted(set(ids))[:limit]
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(User.id).where(
                User.id.in_(ids),
                User.territory_id == territory_id,
                User.role == Role.PARTICIPANT,
                User.active.is_(True),
            )
        )
    )


def matching(
    territory_id: int,
    requirements: Sequence[Requirement],
    *,
    team_user_ids: Sequence[int] = (),
    on: date | None = None,
) -> MatchResult:
    """The active talents of a territory who hold any of the required skills, best first, and the team's gaps.

    A bounded number of queries (four), whatever the size of the territory.
    """
    on = on or clock.today()
    reqs = _merge(requirements)
    skills = skills_by_id(r.skill_id for r in reqs)
    reqs = [r for r in reqs if r.skill_id in skills]
    names = {sid: s.name for sid, s in skills.items()}
    if not reqs:
        return MatchResult(reqs, names, [], [])
    rows = db.session.execute(
        current_rows_stmt()
        .join(User, User.id == SkillValidation.talent_id)
        .where(
            User.territory_id == territory_id,
            User.role == Role.PARTICIPANT,
            User.active.is_(True),
            SkillValidation.skill_id.in_([r.skill_id for r in reqs]),
        )
    ).all()
    held = held_from_rows(rows, on)
    user_ids = sorted({uid for uid, _sid in held})
    users = db.session.scalars(sa.select(User).where(User.id.in_(user_ids))).all() if user_ids else []
    people = []
    for user in users:
        items = [_skill_match(r, names[r.skill_id], held.get((user.id, r.skill_id))) for r in reqs]
        if all(i.status == MatchStatus.MISSING for i in items):
            continue  # only an expired validation: listed nowhere, as if missing
        if all(i.status in (MatchStatus.MET, MatchStatus.MET_DECLARED) for i in items):
            tier = MatchTier.COMPLETE
        elif any(i.status == MatchStatus.MISSING for i in items):
            tier = MatchTier.MISSING
        else:
            tier = MatchTier.LOWER
        people.append(PersonMatch(user, tier, items))
    people.sort(key=lambda p: p.sort_key)
    return MatchResult(reqs, names, people, _team_coverage(reqs, names, team_user_ids, on))


def _team_coverage(
    reqs: list[Requirement], names: dict[int, str], team_user_ids: Sequence[int], on: date
) -> list[TeamCoverage]:
    team = sorted(set(team_user_ids))
    held = current_levels(team, [r.skill_id for r in reqs], on=on) if team else {}
    out = []
    for req in reqs:
        holders, declared, best = [], [], None
        for uid in team:
            h = held.get((uid, req.skill_id))
            if h is None:
                continue
            if h.level is not None:
                best = max(best or 0, h.level)
                if h.level >= req.min_level:
                    holders.append(uid)
                    continue
            if h.declared_level is not None and h.declared_level >= req.min_level:
                declared.append(uid)
        out.append(TeamCoverage(req, names[req.skill_id], holders, declared, best))
    return out
