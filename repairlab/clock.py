"""The programme's clock: the current instant (UTC, how it is stored) and today's date where the labs are.

Every rule that depends on the date asks this module, so that all of them agree on what "today" is (late evening
in Paris is already tomorrow in UTC) and so that tests can move the clock (time-machine) for all of them at once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

# The programme's territories are all in metropolitan France.
LAB_TZ = ZoneInfo("Europe/Paris")


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC (the storage timezone)."""
    return datetime.now(UTC)


def local_now() -> datetime:
    """Return the current time in the labs' time zone."""
    return utcnow().astimezone(LAB_TZ)


def this_minute(now: datetime | None = None) -> datetime:
    """The current instant (or `now`) cut to its minute: what a result kept "as of this minute" is keyed by."""
    return (now or utcnow()).replace(second=0, microsecond=0)


def today(now: datetime | None = None) -> date:
    """Today's date in the labs' time zone (or the date of `now` there)."""
    return (now or utcnow()).astimezone(LAB_TZ).date()


def lab_day(value: date | datetime) -> date:
    """The day of an instant where the labs are (a date is its own day)."""
    return value.astimezone(LAB_TZ).date() if isinstance(value, datetime) else value


def end_of_day(day: date) -> datetime:
    """The last second of a day in the labs' time zone, in UTC."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=LAB_TZ).astimezone(UTC)


def start_of_day(day: date) -> datetime:
    """The first instant of a day in the labs' time zone, in UTC."""
    return datetime.combine(day, time(0, 0), tzinfo=LAB_TZ).astimezone(UTC)
