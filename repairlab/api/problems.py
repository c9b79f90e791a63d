"""RFC 9457 problem documents: every refusal of the API, in the request's language, never an HTML page."""

from __future__ import annotations

from http import HTTPStatus

from flask import Response, current_app, json
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from repairlab.errors import ERROR_TEXTS, Conflict, DomainError, NotFound, PermissionDenied

PROBLEM_JSON = "application/problem+json"

# Status -> (title, the detail when nothing more precise is known); the web's own words where it has them.
TEXTS = {
    **ERROR_TEXTS,
    400: (_l("Bad request"), _l("The request could not be understood.")),
    401: (
        _l("Authentication required"),
        _l("Send a valid API token in the Authorization header, after the word “Bearer”."),
    ),
    403: (_l("Access denied"), _l("You may not do this.")),
    404: (_l("Not found"), _l("This resource does not exist, or you may not see it.")),
    405: (_l("Not allowed"), _l("This method is not allowed on this resource.")),
    409: (_l("Conflict"), _l("This change conflicts with the current state.")),
    415: (_l("Unsupported media type"), _l("Send the request's body as JSON.")),
    422: (_l("Invalid data"), _l("Some values are not valid.")),
}

# The HTTP status of each kind of refusal of a service.
DOMAIN_STATUS = ((NotFound, 404), (PermissionDenied, 403), (Conflict, 409), (DomainError, 422))


class ApiProblem(HTTPException):
    """An HTTPException that carries its problem document (raise it from a view or a helper)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response=response)
        self.code = response.status_code


def problem(
    status: int,
    detail: str | None = None,
    *,
    field: str | None = None,
    errors: dict | None = None,
    headers: dict | None = None,
) -> Response:
    """A problem document response: type, title, status, detail, and the field or the errors when known."""
    title, default_detail = TEXTS.get(status, (HTTPStatus(status).phrase, HTTPStatus(status).description))
    body: dict = {"type": "about:blank", "title": str(title), "status": status, "detail": str(detail or default_detail)}
    if field:
        body["field"] = field
    if errors:
        body["errors"] = errors
    # UTF-8 as is (RFC 8259): the words read in a terminal as on the page.
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def refuse(status: int, detail: str | None = None, **kwargs) -> ApiProblem:
    """The exception to raise for a refusal: `raise refuse(404)`."""
    return ApiProblem(problem(status, detail, **kwargs))


def domain_problem(error: DomainError) -> ApiProblem:
    """A service's refusal as a problem: its translated message, its field, the status of its kind."""
    status = next(code for kind, code in DOMAIN_STATUS if isinstance(error, kind))
    return refuse(status, str(error), field=error.field)


def _validation_errors(error: HTTPException) -> dict | None:
    """The field errors that webargs put on a 422 (by location, then field), as they came."""
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    return messages if isinstance(messages, dict) else None


def http_problem(error: HTTPException) -> Response:
    """Any HTTP error under the API's prefix as a problem document (registered in repairlab.errors)."""
    if isinstance(error, ApiProblem):
        return error.response
    status = error.code or 500
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="RepairLab API"'
    if status == 429:
        # Flask-Limiter adds Retry-After and the X-RateLimit-* headers to this response.
        return problem(429, _("Too many requests with this token: wait a moment and try again."))
    errors = _validation_errors(error) if status in (400, 422) else None
    if errors:
        # webargs refuses values that break the schema: always 422, with each field's errors.
        return problem(422, errors=errors)
    return problem(status, headers=headers)


def refusals(blueprint, *statuses: int):
    """Decorator documenting the problem documents an operation may answer with, besides the token's own (401: no
    valid token; 429: past the token's rate limit)."""

    def decorate(func):
        for status in sorted({401, 429, *statuses}, reverse=True):
            func = blueprint.alt_response(status, response=HTTPStatus(status).name)(func)
        return func

    return decorate
