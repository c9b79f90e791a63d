"""Dates with times as the reader's language writes them: French says "23 h 59" where English says "23:59"."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_datetime, get_locale

# Babel's own French patterns write times "23:59"; French typography writes "23 h 59" (non-breaking spaces).
_FRENCH_NAMED = {"short": "dd/MM/y HH'\u00a0h\u00a0'mm", "medium": "d MMM y, HH'\u00a0h\u00a0'mm"}


def pattern_for(fmt: str, language: str) -> str:
    """The CLDR pattern (or named format) to use for `fmt` in that language."""
    if language != "fr":
        return fmt
    if fmt in _FRENCH_NAMED:
        return _FRENCH_NAMED[fmt]
    return fmt.replace("HH:mm:ss", "HH'\u00a0h\u00a0'mm").replace("HH:mm", "HH'\u00a0h\u00a0'mm")


def local_datetime(value: datetime, fmt: str = "medium") -> str:
    """format_datetime() in the request's language and the labs' time zone, times written the French way in French."""
    locale = get_locale()
    return format_datetime(value, pattern_for(fmt, locale.language if locale else "fr"))
