"""The yardstick: a bare Flask + sqlite3 page that reads one row, served by the same gunicorn as RepairLab."""

import os
import sqlite3

from flask import Flask, g

DB_PATH = os.environ.get("BASELINE_DB", "bench-data/baseline.sqlite3")

app = Flask(__name__)


def _db() -> sqlite3.Connection:
    if "db" not in g:
        g.db = sqlite3.connect(DB_PATH)
    return g.db


@app.teardown_appcontext
def _close(_exc):
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


@app.route("/row/<int:row_id>")
def row(row_id: int):
    """Read one row and render it."""
    found = _db().execute("SELECT id, code, name FROM things WHERE id = ?", (row_id,)).fetchone()
    if found is None:
        return "not found", 404
    return f"<!doctype html><title>{found[1]}</title><h1>{found[2]}</h1><p>{found[1]}</p>"


def build(path: str, rows: int) -> None:
    """Create the baseline database."""
    if os.path.exists(path):
        os.remove(path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT)")
    conn.executemany(
        "INSERT INTO things VALUES (?, ?, ?)", ((i, f"RBX-{i:04d}", f"Thing {i}") for i in range(1, rows + 1))
    )
    conn.commit()
    conn.close()
