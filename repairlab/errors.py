"""Domain errors raised by services, and the error pages."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from repairlab.extensions import db, login_manager
from repairlab.logs import request_id, route
from repairlab.registry import Registry


class DomainError(Exception):
    """A business rule said no; the message is translatable and shown to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class NotFound(DomainError):
    """The thing asked for does not exist or is not visible to the user."""


class PermissionDenied(DomainError):
    """The user may not do this."""


class ValidationError(DomainError):
    """The values given break a rule."""


class Conflict(DomainError):
    """The change conflicts with the current state (duplicate, already done, taken by someone else)."""


ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Access denied"), _l("You do not have permission to see this page.")),
    404: (_l("Page not found"), _l("This page does not exist, or it has moved.")),
    405: (_l("Not allowed"), _l("This action is not allowed here.")),
    413: (_l("File too large"), _l("The file you sent is too large. Try a smaller one.")),
    429: (_l("Too many requests"), _l("Please wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error happened. It has been logged; please try again.")),
    503: (
        _l("Temporarily unavailable"),
        _l("RepairLab cannot reach its database for the moment. Nothing was changed; please try again in a minute."),
    ),
}
# What a visitor is asked to wait before trying again when the database does not answer (seconds).
RETRY_AFTER_SECONDS = 30
# The database did not answer (down, refusing connections, its file gone) or gave up (a lock held too long).
DATABASE_UNAVAILABLE = (sa.exc.OperationalError, sa.exc.InterfaceError)


# Parts of the site that answer errors in a format of their own, by path prefix (the JSON API's problem documents):
# each is called with the error (an HTTPException; a 500 for an unexpected one) and returns the response.
ErrorFormat = Callable[[HTTPException], object]
error_formats: Registry[ErrorFormat] = Registry("error formats")


def _format_of_path() -> ErrorFormat | None:
    for prefix, fmt in error_formats.items():
        if request.path.startswith(prefix):
            return fmt
    return None


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def render_error(code: int, detail: str | None = None):
    """Render the error page for an HTTP status in the user's language; a server error shows the request's id, which
    finds its log lines. An error page that cannot load the visitor's account (the database does not answer) becomes
    the 503 page."""
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    reference = request_id() if code >= 500 else None
    if _wants_json():
        body = {"error": str(title), "detail": detail or str(text)}
        if reference:
            body["request_id"] = reference
        return jsonify(body), code
    try:
        page = render_template("errors/error.html", code=code, title=title, text=detail or text, reference=reference)
    except DATABASE_UNAVAILABLE as error:
        if code == 503:
            raise
        return database_unavailable(error)
    return page, code


def database_unavailable(error: Exception):
    """The 503 page (or the API's problem document), with Retry-After, when the database does not answer."""
    # One line, without the traceback: an outage would otherwise fill the logs with the same one.
    first_line = str(getattr(error, "orig", None) or error).strip().splitlines()[:1]
    current_app.logger.error(
        "Database unavailable on %s %s: %s",
        request.method,
        route() or "(no route)",
        first_line[0] if first_line else type(error).__name__,
    )
    try:
        db.session.rollback()
    except DATABASE_UNAVAILABLE:
        db.session.close()
    # The page must not need the database: it shows the visitor as signed out, without loading the account.
    g._login_user = login_manager.anonymous_user()
    fmt = _format_of_path()
    response = current_app.make_response(fmt(ServiceUnavailable()) if fmt is not None else render_error(503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def register_error_handlers(app: Flask) -> None:
    """Install the error pages."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        fmt = _format_of_path()
        if fmt is not None:
            return fmt(error)
        return render_error(400, _("Your form expired or was sent from elsewhere. Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        fmt = _format_of_path()
        if fmt is not None and error.code is not None:
            return fmt(error)
        if error.code in ERROR_TEXTS:
            return render_error(error.code)
        return error

    app.register_error_handler(sa.exc.OperationalError, database_unavailable)
    app.register_error_handler(sa.exc.InterfaceError, database_unavailable)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # The route, never the path: a path may hold a token (a verification link, a member card).
        app.logger.exception("Unhandled error on %s %s", request.method, route() or "(no route)")
        db.session.rollback()
        fmt = _format_of_path()
        if fmt is not None:
            return fmt(InternalServerError())
        return render_error(500)
