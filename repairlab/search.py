"""Text search through an index on both engines, for the lists that grow past a few thousand rows.

A `TextIndex` declares which fields of a table are searched. Search looks for the folded text of those fields
(`pagination.fold`: case and accents ignored), joined by a character no query holds (`plain_text()` strips it), so
that a match never spans two fields: a row matches when the folded query is a substring of one of them.

- SQLite: an FTS5 table with the trigram tokenizer (its rowid is the row's id; one column per group of fields, so
  that a ranking can ask which group matched), kept in step by triggers on every write (bulk inserts and imports
  included) that call `rl_fold()`, registered by the app on each of its connections.
- PostgreSQL: a stored generated column (`search_folded`) holding the same folded text, which PostgreSQL keeps up to
  date, with a `pg_trgm` GIN index on it. A common word is then found by reading the newest rows and comparing their
  stored text (no folding per row), a rare one through the index.

Queries of three characters or more use the index; shorter ones (no trigram) compare the folded text directly.
A domain declares its index next to its model and calls `attach()`, which adds the DDL to `create_all()` and lists
the index's names in `metadata.info["unmanaged_names"]` (Alembic's comparisons leave them out; the index is not a
model). Its migration writes the same statements out as text (`ddl()`, `fill_sql()`, `drop_ddl()` print them);
tests/test_migrations.py checks that a migrated database and a created one hold the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from repairlab import database  # noqa: F401  (SQLite's table hints, which newest_matches() gives)
from repairlab.pagination import Listing, fold, folded, like_escaped

# Shorter queries have no trigram: they are looked for in the folded text without the index.
TRIGRAM = 3
SEPARATOR = "\x1f"  # between two fields: a control character, which plain_text() strips from every query
_FTS5_PARTS = ("data", "idx", "content", "docsize", "config")  # the tables FTS5 makes for its own use
_TRIGGERS = ("insert", "update", "delete")
_GRAMS_READ = 3  # SQLite: the trigrams of a query the index is asked for (its last ones); the rows found are checked
FOLDED_COLUMN = "search_folded"  # PostgreSQL: the stored folded text of a searched table (no model declares it)


def _quoted(text: str) -> str:
    """A text as an FTS5 phrase (its query syntax quoted away)."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class Match:
    """A search's conditions: `found` on the row's id (the index used where the query allows), and one condition
    per group of fields (for a ranking; meant for the rows already found)."""

    found: sa.ColumnElement[bool]
    groups: dict[str, sa.ColumnElement[bool]]


@dataclass(frozen=True)
class SearchListing:
    """A list's search, to be sorted: `listed`, the condition on a row's id that it is one of the newest `cap`
    matches; `found`, how many matches there are (at most `cap` + 1)."""

    listed: sa.ColumnElement[bool]
    found: sa.ScalarSelect
    cap: int

    def page(self, ordered: sa.Select, also: int = 0) -> Listing:
        """The listing of `ordered` (a select() of ids, restricted to `listed` and sorted), with `also` more rows."""
        return Listing(ordered.add_columns(self.found), self.found, self.cap, also)


@dataclass(frozen=True)
class TextIndex:
    """The folded-text index of a table's fields, in groups (one FTS5 column each)."""

    table: str
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (group, fields), in order
    nullable: frozenset[str] = frozenset()  # fields that may be NULL (read as empty text)

    @property
    def name(self) -> str:
        """The FTS5 table's name (SQLite)."""
        return f"{self.table}_search"

    @property
    def trgm_index(self) -> str:
        """The GIN index's name (PostgreSQL)."""
        return f"ix_{self.table}_search_trgm"

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field searched, in order."""
        return tuple(field for _group, fields in self.groups for field in fields)

    @property
    def schema_names(self) -> frozenset[str]:
        """The names the index adds to a schema on either engine (tables, triggers, index)."""
        return frozenset(
            {
                self.trgm_index,
                FOLDED_COLUMN,
                self.name,
                *(f"{self.name}_{part}" for part in _FTS5_PARTS),
                *(f"{self.name}_{event}" for event in _TRIGGERS),
            }
        )

    def text_sql(self, dialect: str, prefix: str = "", fields: tuple[str, ...] | None = None) -> str:
        """The folded text of a row's `fields` (all by default) in SQL, each column prefixed with `prefix`."""
        separator = " || char(31) || " if dialect == "sqlite" else " || chr(31) || "
        joined = separator.join(
            f"coalesce({prefix}{field}, '')" if field in self.nullable else f"{prefix}{field}"
            for field in fields or self.fields
        )
        if dialect == "sqlite":
            return f"rl_fold({joined})"  # the Python function registered on every connection (repairlab/__init__.py)
        from sqlalchemy.dialects import postgresql

        return str(folded(sa.literal_column(joined)).compile(dialect=postgresql.dialect()))

    def _fts_values(self, prefix: str) -> str:
        return ", ".join(self.text_sql("sqlite", prefix, fields) for _group, fields in self.groups)

    def ddl(self, dialect: str) -> list[str]:
        """The statements that create the index on an engine (on SQLite, for a table still empty: see fill_sql)."""
        columns = ", ".join(group for group, _fields in self.groups)
        if dialect == "sqlite":
            return [
                # case_sensitive 1: the text and the queries are folded already, by the one fold() of both engines.
                f"CREATE VIRTUAL TABLE {self.name} USING fts5({columns}, tokenize = 'trigram case_sensitive 1')",
                f"CREATE TRIGGER {self.name}_insert AFTER INSERT ON {self.table} BEGIN "
                f"INSERT INTO {self.name} (rowid, {columns}) VALUES (new.id, {self._fts_values('new.')}); END",
                f"CREATE TRIGGER {self.name}_update AFTER UPDATE OF {', '.join(self.fields)} ON {self.table} BEGIN "
                f"UPDATE {self.name} SET ({columns}) = ({self._fts_values('new.')}) WHERE rowid = new.id; END",
                f"CREATE TRIGGER {self.name}_delete AFTER DELETE ON {self.table} BEGIN "
                f"DELETE FROM {self.name} WHERE rowid = old.id; END",
            ]
        return [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            f"ALTER TABLE {self.table} ADD COLUMN {FOLDED_COLUMN} text "
            f"GENERATED ALWAYS AS ({self.text_sql(dialect)}) STORED",
            f"CREATE INDEX {self.trgm_index} ON {self.table} USING gin ({FOLDED_COLUMN} gin_trgm_ops)",
        ]

    def fill_sql(self) -> str:
        """SQLite: fill the FTS5 table from the rows already there (a migration; the triggers do it afterwards)."""
        columns = ", ".join(group for group, _fields in self.groups)
        return f"INSERT INTO {self.name} (rowid, {columns}) SELECT id, {self._fts_values('')} FROM {self.table}"

    def drop_ddl(self, dialect: str) -> list[str]:
        """The statements that remove the index (pg_trgm stays: other indexes use it)."""
        if dialect == "sqlite":
            return [*(f"DROP TRIGGER {self.name}_{event}" for event in _TRIGGERS), f"DROP TABLE {self.name}"]
        return [f"DROP INDEX {self.trgm_index}", f"ALTER TABLE {self.table} DROP COLUMN {FOLDED_COLUMN}"]

    def attach(self, table: sa.Table) -> None:
        """Create the index with the table in create_all(), and keep its names out of Alembic's comparisons."""
        table.metadata.info.setdefault("unmanaged_names", set()).update(self.schema_names)
        for dialect in ("sqlite", "postgresql"):
            for statement in self.ddl(dialect):
                sa.event.listen(table, "after_create", sa.DDL(statement).execute_if(dialect=dialect))

    def _fts(self) -> sa.TableClause:
        return sa.table(self.name, sa.column("rowid"), *(sa.column(group) for group, _fields in self.groups))

    def _fts_condition(self, needle: str, columns: list[sa.ColumnClause]) -> sa.ColumnElement[bool]:
        """SQLite: the FTS5 condition for the folded text in any of `columns` (the whole table: all of them)."""
        if len(needle) >= TRIGRAM:
            grams = [needle[i : i + TRIGRAM] for i in range(len(needle) - TRIGRAM + 1)]
            whole = len(columns) == len(self.groups)
            if len(grams) <= _GRAMS_READ or not any(c.isdigit() for c in needle):
                # A phrase of trigrams: exactly the substring (FTS5's query syntax quoted away).
                phrase = _quoted(needle)
                if whole:
                    return sa.literal_column(self.name).op("MATCH")(phrase)
                return sa.or_(*(column.op("MATCH")(phrase) for column in columns))
            # A longer code or number: the index is asked for the rows holding its last trigrams (a serial number's
            # distinctive end, not the "sn000" every serial starts with, whose lists of rows are as long as the
            # table), then each of those rows' own text for the whole text: the same rows as the whole phrase, read
            # twice as fast at 500,000 items. (A word's trigrams are rarer: its whole phrase is quicker.)
            some = " AND ".join(_quoted(gram) for gram in grams[-_GRAMS_READ:])
            exact = sa.or_(*(sa.func.instr(column, needle) > 0 for column in columns))
            if whole:
                return sa.and_(sa.literal_column(self.name).op("MATCH")(some), exact)
            return sa.and_(sa.or_(*(column.op("MATCH")(some) for column in columns)), exact)
        pattern = f"%{like_escaped(needle)}%"
        return sa.or_(*(column.like(pattern, escape="\\") for column in columns))

    def match(self, q: str, id_column: sa.ColumnElement, dialect: str) -> Match:
        """The rows whose fields hold the text `q` (case and accents ignored), through the index where it can: every
        one of them (an export; a list page reads newest_matches())."""
        needle = fold(q)
        if dialect == "sqlite":
            fts = self._fts()
            rows = lambda condition: id_column.in_(sa.select(fts.c.rowid).where(condition))  # noqa: E731
            return Match(
                found=rows(self._fts_condition(needle, list(fts.c)[1:])),
                groups={group: rows(self._fts_condition(needle, [fts.c[group]])) for group, _fields in self.groups},
            )
        # The stored folded text, whose pg_trgm index PostgreSQL uses for LIKE when the needle has a trigram.
        return Match(
            found=self._folded_like(needle),
            groups={group: self.holds(q, group, id_column, dialect) for group, _fields in self.groups},
        )

    def newest_matches(self, stmt: sa.Select, q: str, id_column: sa.ColumnElement, dialect: str, limit: int):
        """`stmt` (a select() of the table's ids with a list's own filters) cut to the rows that hold `q`, the
        newest (highest id) first, at most `limit` of them. The index drives: a common word stops after `limit`
        rows that pass the filters, instead of reading, then sorting, every row that holds it."""
        needle = fold(q)
        if dialect == "sqlite":
            fts = self._fts()
            # NOT INDEXED: the table is read by rowid from the index's rows, in the index's order, never walked by one
            # of its own indexes (which would read the whole territory to sort its matches).
            return (
                stmt.join(fts, fts.c.rowid == id_column)
                .with_hint(id_column.expression.table, "NOT INDEXED", "sqlite")
                .where(self._fts_condition(needle, list(fts.c)[1:]))
                .order_by(fts.c.rowid.desc())
                .limit(limit)
            )
        return stmt.where(self._folded_like(needle)).order_by(id_column.desc()).limit(limit)

    def _folded_like(self, needle: str) -> sa.ColumnElement[bool]:
        """PostgreSQL: the stored folded text holds the (folded) needle."""
        column = sa.literal_column(f"{self.table}.{FOLDED_COLUMN}")
        return column.like(f"%{like_escaped(needle)}%", escape="\\")

    def holds(self, q: str, group: str, id_column: sa.ColumnElement, dialect: str) -> sa.ColumnElement[bool]:
        """Whether a row's fields of `group` hold the text: for ranking rows already found (no index; on SQLite, the
        folded text is read from the index's own copy of the row, by rowid, so nothing is folded again)."""
        needle = fold(q)
        if dialect == "sqlite":
            fts = self._fts()
            text = sa.select(fts.c[group]).where(fts.c.rowid == id_column).scalar_subquery()
            return sa.func.instr(text, needle) > 0
        fields = dict(self.groups)[group]
        return sa.func.strpos(sa.literal_column(self.text_sql(dialect, f"{self.table}.", fields)), needle) > 0

    def listing(self, stmt: sa.Select, q: str, id_column: sa.ColumnElement, dialect: str, cap: int) -> SearchListing:
        """A list's search: the newest `cap` rows of `stmt` (a select() of ids with the list's own filters) that
        hold `q`, to be sorted in the list's order, and their number (at most `cap` + 1). The matches are found once
        per query (a materialized CTE read twice), whatever the page."""
        matches = self.newest_matches(stmt, q, id_column, dialect, cap + 1).cte("found").prefix_with("MATERIALIZED")
        match_id = next(iter(matches.c))
        newest = sa.select(match_id).order_by(match_id.desc()).limit(cap)
        return SearchListing(
            listed=id_column.in_(newest),
            found=sa.select(sa.func.count()).select_from(matches).scalar_subquery(),
            cap=cap,
        )
