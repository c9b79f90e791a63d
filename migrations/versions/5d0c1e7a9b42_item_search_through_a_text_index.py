"""item search through a text index: FTS5 trigram on SQLite, pg_trgm on PostgreSQL

The folded text (case and accents ignored, as repairlab.pagination.fold) of an item's name, code, brand, model and
serial number, joined by the unit separator. SQLite: an FTS5 table with the trigram tokenizer (the name in a column of
its own, for the ranking), kept in step by
triggers (every write, bulk inserts and imports included) and filled here from the existing items. PostgreSQL: a
GIN pg_trgm index on the same folded expression. The same statements as repairlab/inventory/models.py attaches to
the items table for create_all() (tests/test_migrations.py checks they are the same).

Revision ID: 5d0c1e7a9b42
Revises: 004dc3db04c2
Create Date: 2026-12-06 11:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d0c1e7a9b42'
down_revision = '004dc3db04c2'
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE VIRTUAL TABLE items_search USING fts5(name, other, tokenize = 'trigram case_sensitive 1')",
    'CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN INSERT INTO items_search (rowid, name, other) VALUES (new.id, rl_fold(new.name), rl_fold(new.code || char(31) || new.brand || char(31) || new.model || char(31) || new.serial_number)); END',
    'CREATE TRIGGER items_search_update AFTER UPDATE OF name, code, brand, model, serial_number ON items BEGIN UPDATE items_search SET (name, other) = (rl_fold(new.name), rl_fold(new.code || char(31) || new.brand || char(31) || new.model || char(31) || new.serial_number)) WHERE rowid = new.id; END',
    'CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN DELETE FROM items_search WHERE rowid = old.id; END',
]
# The rows already there (the triggers fill the table from now on). rl_fold is registered on every connection.
SQLITE_FILL = 'INSERT INTO items_search (rowid, name, other) SELECT id, rl_fold(name), rl_fold(code || char(31) || brand || char(31) || model || char(31) || serial_number) FROM items'
POSTGRESQL = [
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    "CREATE INDEX ix_items_search_trgm ON items USING gin ((replace(replace(replace(replace(translate(lower(name || chr(31) || code || chr(31) || brand || chr(31) || model || chr(31) || serial_number), 'àáâãäåçèéêëìíîïñòóôõöøùúûüýÿšžčćďťňřěůłőűșțăğıśźżńąęÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŸŠŽČĆĎŤŇŘĚŮŁŐŰȘȚĂĞIŚŹŻŃĄĘ', 'aaaaaaceeeeiiiinoooooouuuuyyszccdtnreuloustagiszznaeaaaaaaceeeeiiiinoooooouuuuyyszccdtnreuloustagiszznae'), 'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae')) gin_trgm_ops)",
]


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE:
            op.execute(statement)
        op.execute(SQLITE_FILL)
    else:
        for statement in POSTGRESQL:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER items_search_{trigger}")
        op.execute("DROP TABLE items_search")
    else:
        op.execute("DROP INDEX ix_items_search_trgm")
        # pg_trgm stays: other indexes may use it.
