"""The scale of skill levels, in words and checked: shared by the catalogue, validations, the "may use" rule and
matching."""

from __future__ import annotations

from flask_babel import gettext as _

from repairlab.errors import ValidationError
from repairlab.skills.models import MAX_LEVEL, MIN_LEVEL, SkillLevel


def level_label(level: int) -> str:
    """A level in words, e.g. "practised with help"."""
    return SkillLevel(level).label


def check_level(level: object, field: str = "level") -> int:
    """Return the level as an int, or refuse anything outside the scale."""
    if isinstance(level, bool) or not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValidationError(_("Choose a level from 1 (discovered) to 4 (can teach)."), field=field)
    return int(level)
