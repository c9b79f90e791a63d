"""Who may do what with skills (one place; services and views call these)."""

from __future__ import annotations

from repairlab.auth import STAFF_ROLES, can_access_territory
from repairlab.people.models import Role, User
from repairlab.skills.models import SkillValidation, ValidationKind

# Who validates and withdraws skills (of their own territory; admins everywhere).
VALIDATOR_ROLES = frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
# Who edits the programme-wide catalogue: a skill (its safety flag and validity above all) and its domain are
# shared by every territory, so only admins change them.
CATALOGUE_ROLES = frozenset({Role.ADMIN})


def can_edit_catalogue(user: User) -> bool:
    """Whether the user may change the catalogue (shared by every territory: admins only)."""
    return user.role in CATALOGUE_ROLES


def can_see_passport(viewer: User, talent: User) -> bool:
    """The talent themself, and mentors, lab managers and admins who may see the talent's territory."""
    if viewer.id == talent.id:
        return True
    return viewer.role in STAFF_ROLES and can_access_territory(viewer, talent.territory_id)


def can_validate(actor: User, talent: User) -> bool:
    """Whether the actor may validate (and withdraw) this talent's skills."""
    return (
        actor.role in VALIDATOR_ROLES
        and actor.id != talent.id
        and talent.role == Role.PARTICIPANT
        and (actor.role == Role.ADMIN or (actor.territory_id is not None and actor.territory_id == talent.territory_id))
    )


def can_withdraw(actor: User, validation: SkillValidation) -> bool:
    """Staff who may validate the talent's skills withdraw anything; a talent withdraws only their declarations."""
    if validation.kind == ValidationKind.DECLARED and actor.id == validation.talent_id:
        return True
    return can_validate(actor, validation.talent)


def can_download_badge(actor: User, validation: SkillValidation) -> bool:
    """A talent downloads the signed badges of their own validated skills; staff, those of the passports they see."""
    return validation.kind == ValidationKind.VALIDATED and can_see_passport(actor, validation.talent)
