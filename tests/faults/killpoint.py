"""Run RepairLab (a `flask --app app` command, or the app served over HTTP) so that it stops dead in the middle of a
piece of work, for the fault tests: at the COUNT-th SQL statement starting with PREFIX, once the database has run it,
the process prints "KILL POINT" and waits for the test to kill it (SIGKILL), its transaction still open.

    python -m tests.faults.killpoint PREFIX COUNT cli ords-import FILE --lab 1
    python -m tests.faults.killpoint PREFIX COUNT serve          # prints "PORT <n>" once it listens

The configuration comes from the environment (DATABASE_URL, SECRET_KEY, STORAGE_PATH...), as in production.
"""

from __future__ import annotations

import os
import sys

import sqlalchemy as sa
from sqlalchemy.engine import Engine

KILL_POINT = "KILL POINT"


def _stop_at(prefix: str, count: int) -> None:
    seen = 0

    @sa.event.listens_for(Engine, "after_cursor_execute")
    def stop_here(conn, cursor, statement, parameters, context, executemany):
        nonlocal seen
        if statement.lstrip().upper().startswith(prefix.upper()):
            seen += 1
            if seen == count:
                print(KILL_POINT, flush=True)
                sys.stdin.read()  # until the test kills this process
                os._exit(3)  # stdin closed without a kill: die all the same, committing nothing


def main(argv: list[str]) -> None:
    prefix, count, mode, *rest = argv
    _stop_at(prefix, int(count))
    if mode == "cli":
        from flask.cli import main as flask_main

        sys.argv = ["flask", "--app", "app", *rest]
        flask_main()
    elif mode == "serve":
        from werkzeug.serving import make_server

        from app import app

        server = make_server("127.0.0.1", 0, app)
        print(f"PORT {server.server_port}", flush=True)
        server.serve_forever()
    else:
        raise SystemExit(f"unknown mode {mode!r}: cli or serve")


if __name__ == "__main__":
    main(sys.argv[1:])
