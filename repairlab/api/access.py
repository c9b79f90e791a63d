"""Who may do what with API tokens. What a token may do in the domains is its user's own permissions: the API
checks nothing else but the token's scope."""

from __future__ import annotations

from repairlab.api.models import ApiToken
from repairlab.auth import Role, has_role
from repairlab.people.models import User

# Every account may make tokens for itself: a token acts as its user, nothing more.
TOKEN_ROLES = frozenset(Role)


def can_revoke(user: User | None, token: ApiToken) -> bool:
    """The token's owner, or an administrator."""
    return has_role(user, *TOKEN_ROLES) and (user.id == token.user_id or user.role == Role.ADMIN)


def may_write(token: ApiToken | None) -> bool:
    """Whether the request's token has the write scope."""
    return token is not None and token.can_write
