"""Roles and the permission checks that every domain calls (one place, checked on the server)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Protocol, TypeVar

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from repairlab.extensions import LabelledEnum, enum_labels

F = TypeVar("F", bound=Callable)


class Role(LabelledEnum):
    """The five roles of DESIGN.md."""

    PARTICIPANT = "participant"
    MENTOR = "mentor"
    LAB_MANAGER = "lab_manager"
    RESEARCHER = "researcher"
    ADMIN = "admin"

    @property
    def needs_territory(self) -> bool:
        """Whether users with this role belong to one territory."""
        return self not in (Role.ADMIN, Role.RESEARCHER)


ROLE_LABELS = enum_labels(
    Role,
    {
        Role.PARTICIPANT: _l("Talent"),
        Role.MENTOR: _l("Mentor"),
        Role.LAB_MANAGER: _l("Lab manager"),
        Role.RESEARCHER: _l("Researcher"),
        Role.ADMIN: _l("Administrator"),
    },
)


class Account(Protocol):
    """What the checks read of an account (people's User): its role, territory and whether it may log in."""

    role: Role
    territory_id: int | None
    active: bool


# Roles that see every territory.
GLOBAL_ROLES = frozenset({Role.ADMIN, Role.RESEARCHER})
# Roles that may see people's names and contact details.
STAFF_ROLES = frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})


def has_role(user: Account | None, *roles: Role) -> bool:
    """Whether the user is logged in, active, and has one of the roles."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.active and user.role in roles)


def sees_all_territories(user: Account) -> bool:
    """Whether the user's view is not limited to one territory."""
    return user.role in GLOBAL_ROLES


def territory_scope(user: Account) -> int | None:
    """The territory id the user is limited to, or None when they see all territories."""
    return None if sees_all_territories(user) else user.territory_id


def can_access_territory(user: Account, territory_id: int | None) -> bool:
    """Whether the user may see data of that territory."""
    return sees_all_territories(user) or (territory_id is not None and territory_id == user.territory_id)


def ensure_territory(user: Account, territory_id: int | None) -> None:
    """Abort with 404 when the object belongs to a territory the user may not see.

    404 rather than 403 so that other territories' objects are not even known to exist.
    """
    if not can_access_territory(user, territory_id):
        abort(404)


def roles_required(*roles: Role) -> Callable[[F], F]:
    """View decorator: log in first, then one of these roles, else 403."""
    allowed = frozenset(roles)

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def admin_required(view: F) -> F:
    """View decorator: administrators only."""
    return roles_required(Role.ADMIN)(view)
