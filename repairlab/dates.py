"""The span of dates RepairLab accepts (years 1900 to 2100), shared by forms, services and query-string filters.

Browsers and WTForms accept any year from 1 to 9999; such a date is a typing slip, and at the edges it overflows
date arithmetic (a day after 31 December 9999, midnight of 1 January 1 in UTC). One bound, one message.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from repairlab.errors import ValidationError

FIRST_YEAR = 1900
LAST_YEAR = 2100
FIRST_DAY = date(FIRST_YEAR, 1, 1)
LAST_DAY = date(LAST_YEAR, 12, 31)


def out_of_range_message() -> str:
    """The message for a date outside the span, in the user's language."""
    return _("Enter a date between the years %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)


def in_range(day: date) -> bool:
    """Whether a day lies within the span."""
    return FIRST_DAY <= day <= LAST_DAY


def check_day(day: date | None, field: str) -> date | None:
    """A service's check: the day (None passes) if within the span, else a ValidationError on the field."""
    if day is not None and not in_range(day):
        raise ValidationError(out_of_range_message(), field=field)
    return day


def parse_day(text: str | None) -> date | None:
    """A day from a query string (YYYY-MM-DD); None when empty, malformed or outside the span."""
    try:
        day = date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None
    return day if in_range(day) else None
