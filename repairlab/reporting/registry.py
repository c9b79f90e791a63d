"""The indicators page as a list of sections, and the research export as a list of tables: each one registered
by key (a later feature adds its own the same way, e.g. the programme's paths or the repairs)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from repairlab.registry import Registry


@dataclass(frozen=True)
class Figure:
    """One headline number with its one-line definition."""

    label: Any
    value: Any  # int, Decimal, a rate (0..1 float) or None (no data)
    definition: Any
    kind: str = "int"  # "int", "number", "percent", "days", "euros", "score", "change"


@dataclass(frozen=True)
class Column:
    """A column of an indicator table: its key (for CSV), its label and how its values are written."""

    key: str
    label: Any
    kind: str = "text"  # "text", "int", "number", "percent", "days", "euros", "score", "change"


@dataclass(frozen=True)
class ChartSpec:
    """How to draw a table as horizontal bars: the columns naming each bar group, and the columns drawn."""

    label_columns: tuple[int, ...]
    series_columns: tuple[int, ...]


@dataclass
class Table:
    """An indicator table: shown under its chart, downloadable as CSV."""

    key: str
    title: Any
    definition: Any
    columns: list[Column]
    rows: list[tuple]
    chart: ChartSpec | None = None


@dataclass
class SectionData:
    """What a section shows for a selection: headline numbers and tables."""

    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    note: Any = ""

    def table(self, key: str) -> Table | None:
        """The table under this key, or None."""
        return next((t for t in self.tables if t.key == key), None)


@dataclass(frozen=True)
class Section:
    """A section of the indicators page: computes its data for a selection in a bounded number of queries."""

    title: Any
    intro: Any
    compute: Callable[[Any], SectionData]  # Selection -> SectionData
    # What besides the data its figures change with: "minute" (the time of day: late loans, days spent in a stage so
    # far), or "day" (only today's date). The indicators page keeps a section's figures until that changes too.
    clock: str = "minute"


# The indicators page's sections, by key ("enrolment", "skills", …), in order.
sections: Registry[Section] = Registry("indicator sections")


@dataclass(frozen=True)
class ExportField:
    """A column of a research table: name, Frictionless type, meaning.

    kind says how the value is written: "pid" (a person's id becomes their pseudonymous id), "date" (a date or a
    timestamp becomes the date, or the month when asked), "count" (an aggregate: suppressed under the threshold),
    "value" (as is).
    """

    name: str
    type: str
    description: Any
    kind: str = "value"


@dataclass(frozen=True)
class ExportTable:
    """A tidy table of the research export: its rows come from one streamed query."""

    name: str
    title: Any
    description: Any
    fields: tuple[ExportField, ...]
    rows: Callable[[Any], Iterable[tuple]]  # Selection -> rows in the fields' order
    primary_key: tuple[str, ...] = ()
    aggregate: bool = False  # counts of people: cells under the threshold are suppressed

    def field_names(self) -> Iterator[str]:
        """The columns' names, in order."""
        return (f.name for f in self.fields)


# The research export's tables, by file name, in order.
export_tables: Registry[ExportTable] = Registry("research export tables")
