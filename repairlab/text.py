"""Text typed or imported by people: one cleaner for every domain.

One behaviour everywhere: control characters go (PostgreSQL refuses NUL, none belongs in a field; tab and line
breaks stay in long texts), surrounding spaces go, and text over its limit is refused with a message that says the
limit, never cut silently.
"""

from __future__ import annotations

from flask_babel import gettext as _

from repairlab.errors import ValidationError

# NUL and the other control characters (but tab and line breaks), and DEL.
_CONTROL_CHARS = dict.fromkeys([*(c for c in range(32) if c not in (9, 10, 13)), 127])


def plain_text(value: str | None) -> str:
    """Typed or imported text without control characters (None gives "")."""
    return (value or "").translate(_CONTROL_CHARS)


def clean_text(value: str | None, *, field: str, limit: int, required: str | None = None) -> str:
    """A long text (a note, a description): plain, stripped, at most `limit` characters.

    `required`: the message when it is empty (else empty is fine)."""
    text = plain_text(value).strip()
    if required and not text:
        raise ValidationError(required, field=field)
    if len(text) > limit:
        raise ValidationError(_("This text is too long (%(max)d characters at most).", max=limit), field=field)
    return text


def clean_name(value: str | None, *, limit: int, required: str, field: str = "name") -> str:
    """A one-line name: plain, runs of spaces (and line breaks) made one space, not empty, at most `limit`."""
    name = " ".join(plain_text(value).split())
    if not name:
        raise ValidationError(required, field=field)
    if len(name) > limit:
        raise ValidationError(_("The name is too long (%(max)d characters at most).", max=limit), field=field)
    return name


# A CSV cell starting with one of these is run as a formula by spreadsheet software (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(value):
    """A text cell made inert in spreadsheets by a leading apostrophe (unguard_cell removes it on import); other
    values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unguard_cell(value: str) -> str:
    """Undo guard_cell for a cell read back from an exported file."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
