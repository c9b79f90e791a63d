"""Realistic French demo data: each domain registers its part (a seeder) in demo_seeders, run in order."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from repairlab.extensions import db
from repairlab.registry import Registry

# Words for a readable demo password (no ambiguous letters).
_WORDS = ("tournevis", "soudure", "atelier", "velo", "rabot", "fil", "vis", "ecrou", "pince", "boulon", "etabli")


@dataclass
class DemoContext:
    """What the people seeder created, handed to the later domains' seeders (people's models)."""

    password: str
    rng: random.Random
    admin: Any = None  # the administrator (a User)
    territories: dict[str, Any] = field(default_factory=dict)  # Territory by code
    users: dict[str, Any] = field(default_factory=dict)  # User by e-mail
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (role label, e-mail, territory)


# The domains' demo-data functions, by key, run in order (people first).
demo_seeders: Registry[Callable[[DemoContext], None]] = Registry("demo seeders")


def demo_password() -> str:
    """A fresh, readable password shared by the demo accounts (never stored in the repository)."""
    return f"{secrets.choice(_WORDS)}-{secrets.choice(_WORDS)}-{secrets.randbelow(9000) + 1000}"


def seed(password: str | None = None, seed_value: int = 2026) -> DemoContext:
    """Load the demo data into an empty database; return what was created (committed by the caller)."""
    ctx = DemoContext(password=password or demo_password(), rng=random.Random(seed_value))
    for func in demo_seeders:
        func(ctx)
        db.session.flush()
    return ctx
