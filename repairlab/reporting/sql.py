"""Small SQL helpers of the indicators: portable day differences and rates."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles


class days_between(sa.sql.functions.FunctionElement):
    """days_between(start, end): the days (a real number) from one timestamp to a later one, in SQL."""

    type = sa.Float()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_sqlite(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(julianday({end}) - julianday({start}))"


@compiles(days_between, "postgresql")
def _days_postgresql(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"


def count_if(condition, column=None):
    """COUNT of the rows (or of the column's non-null values) where the condition holds, on every engine."""
    return sa.func.count(sa.case((condition, column if column is not None else sa.literal(1))))


def count_distinct_if(condition, column):
    """COUNT(DISTINCT column) over the rows where the condition holds."""
    return sa.func.count(sa.distinct(sa.case((condition, column))))


class days_after(sa.sql.functions.FunctionElement):
    """days_after(day, n): the date n days after a date column (n a Python int, written into the SQL), in SQL."""

    type = sa.Date()
    inherit_cache = True
    name = "days_after"

    def __init__(self, day, days: int):
        # A literal column, so that the number is part of the statement's cache key.
        super().__init__(day, sa.literal_column(str(int(days))))


@compiles(days_after)
def _days_after_sqlite(element, compiler, **kw):
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({day}, '{int(days):+d} days')"


@compiles(days_after, "postgresql")
def _days_after_postgresql(element, compiler, **kw):
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"({day} + {int(days):d})"
