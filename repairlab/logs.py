"""Structured logs: a request id for every request, one JSON line per request, errors as JSON with their traceback.

Every request gets an id: the caller's `X-Request-ID` when it is a sane one (a reverse proxy's, so that its logs and
ours name the same request), else a new one. It is returned in the `X-Request-ID` header, shown on the error pages
of a server error, and carried by every log line written during the request.

One line per request goes to the `repairlab.requests` logger: the request id, the user's id (never a name or an
e-mail), the method, the route as declared (`/inventory/items/<int:item_id>`, never the path with its codes and
tokens, nor the query string), the status and the time taken. `JsonFormatter` writes any record as one line of JSON;
the gunicorn configuration (`deploy/gunicorn.conf.py`) installs it for every logger, so that production logs are JSON
from end to end. Elsewhere (`flask run`, tests) nothing is configured here: the app only emits records.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
# A request id from outside is kept only if it looks like one: letters, digits and a few separators, 128 at most.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
request_log = logging.getLogger("repairlab.requests")


def request_id() -> str | None:
    """The id of the current request (None outside a request)."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    return g.request_id


def _user_id() -> int | None:
    # Only a user this request has already loaded (Flask-Login keeps it in g): logging never queries the database.
    user = g.get("_login_user")
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def route() -> str | None:
    """The URL rule the request matched (None when none did: a 404)."""
    rule = request.url_rule if has_request_context() else None
    return rule.rule if rule is not None else None


class _StampRequestId(logging.Filter):
    """Write the request's id on the record when it is made (a handler may format it later, elsewhere)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id()
        return True


_STAMP = _StampRequestId()


def init_app(app: Flask) -> None:
    """Time every request, give it an id, and log it once answered (register before anything else)."""
    for logger in (app.logger, request_log):
        if _STAMP not in logger.filters:
            logger.addFilter(_STAMP)

    @app.before_request
    def _start():
        g.request_started = time.perf_counter()
        request_id()

    @app.after_request
    def _log(response):
        # Registered first, so run last: the status and the headers are final.
        response.headers[REQUEST_ID_HEADER] = request_id()
        started = g.get("request_started")
        request_log.info(
            "%s %s %s",
            request.method,
            route() or "(no route)",
            response.status_code,
            extra={
                "fields": {
                    "event": "request",
                    "method": request.method,
                    "route": route(),
                    "endpoint": request.endpoint,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
                    "user_id": _user_id(),
                }
            },
        )
        return response


class JsonFormatter(logging.Formatter):
    """One line of JSON per record: time, level, logger, message, the record's `fields`, the request id, and the
    traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", None) or {})
        rid = getattr(record, "request_id", None) or request_id()
        if rid is not None:
            entry.setdefault("request_id", rid)
        if record.exc_info and record.exc_info[0] is not None:
            kind, error, tb = record.exc_info
            entry["error"] = kind.__name__
            entry["traceback"] = "".join(traceback.format_exception(kind, error, tb))
        elif record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)
