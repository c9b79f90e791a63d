"""repair tickets' and people's search through a text index: FTS5 trigram on SQLite, pg_trgm on PostgreSQL

The same mechanism as the items' (repairlab/search.py): the folded text (case and accents ignored) of a ticket's
code, brand, model and lab category, and of a person's name and e-mail (each in a column of its own), joined by the
unit separator. SQLite: FTS5 tables with the trigram tokenizer, kept in step by triggers and filled here from the
existing rows. PostgreSQL: GIN pg_trgm indexes on the same folded expressions. The same statements as
repairlab/repairs/models.py and repairlab/people/models.py attach to their tables for create_all()
(tests/test_migrations.py checks they are the same).

Revision ID: 8f4b2c6d1e90
Revises: d35874bb43c8
Create Date: 2026-12-06 15:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '8f4b2c6d1e90'
down_revision = 'd35874bb43c8'
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE VIRTUAL TABLE repair_tickets_search USING fts5(text, tokenize = 'trigram case_sensitive 1')",
    "CREATE TRIGGER repair_tickets_search_insert AFTER INSERT ON repair_tickets BEGIN INSERT INTO repair_tickets_search (rowid, text) VALUES (new.id, rl_fold(coalesce(new.code, '') || char(31) || new.brand || char(31) || new.model || char(31) || new.lab_category)); END",
    "CREATE TRIGGER repair_tickets_search_update AFTER UPDATE OF code, brand, model, lab_category ON repair_tickets BEGIN UPDATE repair_tickets_search SET (text) = (rl_fold(coalesce(new.code, '') || char(31) || new.brand || char(31) || new.model || char(31) || new.lab_category)) WHERE rowid = new.id; END",
    'CREATE TRIGGER repair_tickets_search_delete AFTER DELETE ON repair_tickets BEGIN DELETE FROM repair_tickets_search WHERE rowid = old.id; END',
    "CREATE VIRTUAL TABLE users_search USING fts5(name, email, tokenize = 'trigram case_sensitive 1')",
    'CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN INSERT INTO users_search (rowid, name, email) VALUES (new.id, rl_fold(new.full_name), rl_fold(new.email)); END',
    'CREATE TRIGGER users_search_update AFTER UPDATE OF full_name, email ON users BEGIN UPDATE users_search SET (name, email) = (rl_fold(new.full_name), rl_fold(new.email)) WHERE rowid = new.id; END',
    'CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN DELETE FROM users_search WHERE rowid = old.id; END',
]
# The rows already there (the triggers fill the tables from now on). rl_fold is registered on every connection.
SQLITE_FILL = [
    "INSERT INTO repair_tickets_search (rowid, text) SELECT id, rl_fold(coalesce(code, '') || char(31) || brand || char(31) || model || char(31) || lab_category) FROM repair_tickets",
    'INSERT INTO users_search (rowid, name, email) SELECT id, rl_fold(full_name), rl_fold(email) FROM users',
]
POSTGRESQL = [
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    "CREATE INDEX ix_repair_tickets_search_trgm ON repair_tickets USING gin ((replace(replace(replace(replace(translate(lower(coalesce(code, '') || chr(31) || brand || chr(31) || model || chr(31) || lab_category), 'àáâãäåçèéêëìíîïñòóôõöøùúûüýÿšžčćďťňřěůłőűșțăğıśźżńąęÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŸŠŽČĆĎŤŇŘĚŮŁŐŰȘȚĂĞIŚŹŻŃĄĘ', 'aaaaaaceeeeiiiinoooooouuuuyyszccdtnreuloustagiszznaeaaaaaaceeeeiiiinoooooouuuuyyszccdtnreuloustagiszznae'), 'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae')) gin_trgm_ops)",
    "CREATE INDEX ix_users_search_trgm ON users USING gin ((replace(replace(replace(replace(translate(lower(full_name || chr(31) || email), 'àáâãäåçèéêëìíîïñòóôõöøùúûüýÿšžčćďťňřěůłőűșțăğıśźżńąęÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŸŠŽČĆĎŤŇŘĚŮŁŐŰȘȚĂĞIŚŹŻŃĄĘ', 'aaaaaaceeeeiiiinoooooouuuuyyszccdtnreuloustagiszznaeaaaaaaceeeeiiiinoooooouuuuyyszccdtnreuloustagiszznae'), 'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae')) gin_trgm_ops)",
]
INDEXES = {"repair_tickets_search": "ix_repair_tickets_search_trgm", "users_search": "ix_users_search_trgm"}


def upgrade():
    statements = SQLITE + SQLITE_FILL if op.get_bind().dialect.name == "sqlite" else POSTGRESQL
    for statement in statements:
        op.execute(statement)


def downgrade():
    for table, index in INDEXES.items():
        if op.get_bind().dialect.name == "sqlite":
            for trigger in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_{trigger}")
            op.execute(f"DROP TABLE {table}")
        else:
            op.execute(f"DROP INDEX {index}")  # pg_trgm stays: the items' index uses it
