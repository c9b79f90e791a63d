"""Fixtures of the skills tests: a catalogue, staff of two territories, and helpers to validate and count."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from PIL import Image

from repairlab.people.models import Role
from repairlab.skills import catalogue, validations
from repairlab.skills.models import Skill, SkillDomain, SkillValidation


@pytest.fixture
def admin_actor(make_user):
    """An administrator who edits the catalogue in fixtures."""
    return make_user(Role.ADMIN, name="Claire Admin", email="claire.admin@example.org")


@pytest.fixture
def make_domain(db, admin_actor):
    """Create a skill domain."""

    def make(name: str = "Électronique", position: int = 0) -> SkillDomain:
        domain = catalogue.create_domain(admin_actor, name=name, position=position)
        db.session.commit()
        return domain

    return make


@pytest.fixture
def make_skill(db, admin_actor, make_domain):
    """Create a skill (in a new "Électronique" domain unless one is given)."""
    domains: dict[str, SkillDomain] = {}

    def make(
        name: str = "Soudure à l'étain",
        *,
        domain: SkillDomain | None = None,
        is_safety: bool = False,
        validity_months: int | None = None,
        esco_uri: str = "",
        **extra,
    ) -> Skill:
        if domain is None:
            domain = domains.get("default") or make_domain()
            domains["default"] = domain
        skill = catalogue.create_skill(
            admin_actor,
            domain=domain,
            name=name,
            is_safety=is_safety,
            validity_months=validity_months,
            esco_uri=esco_uri,
            **extra,
        )
        db.session.commit()
        return skill

    return make


@pytest.fixture
def mentor(make_user):
    """A mentor of the home territory."""
    return make_user(Role.MENTOR, name="Moussa Mentor", email="moussa.mentor@example.org")


@pytest.fixture
def manager(make_user):
    """A lab manager of the home territory."""
    return make_user(Role.LAB_MANAGER, name="Léa Atelier", email="lea.atelier@example.org")


@pytest.fixture
def other_territory(make_territory):
    """A second territory."""
    return make_territory("PAR", "Paris-Montreuil")


@pytest.fixture
def validate(db):
    """Validate a skill and commit: validate(actor, talent, skill, level, on=date)."""

    def do(actor, talent, skill, level: int = 2, on: date | None = None, **extra) -> SkillValidation:
        validation = validations.validate_skill(actor, talent, skill, level=level, validated_on=on, **extra)
        db.session.commit()
        return validation

    return do


@pytest.fixture
def count_rows(db):
    """Count the rows of a model (to assert that a refused action changed nothing)."""

    def count(model) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))

    return count


def png_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    """A real PNG image made by Pillow."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, "PNG")
    return out.getvalue()
