"""The role x route matrix helpers: every route is declared with who may use it, and checked for each role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from repairlab.people.models import Role

ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
ADMIN = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Route:
    """One route: its URL (built from the world of test objects), method, and who may use it.

    allowed: roles that get through; anonymous: whether visitors get through;
    scoped: the URL names an object of the *other* territory in `other_url`, which territory-bound
    roles must not reach (404) even when their role is allowed.
    """

    endpoint: str
    url: Callable[[dict], str]
    allowed: frozenset[Role]
    method: str = "GET"
    anonymous: bool = False
    data: Callable[[dict], dict] = field(default=lambda w: {})
    other_url: Callable[[dict], str] | None = None
    # The status of every refusal when the route has its own (the JSON API answers 401 to a session cookie).
    refused: frozenset[int] | None = None


DENIED = {401, 403, 404, 405}
