"""The JSON API under /api/v1/ (OpenAPI 3.1 by flask-smorest), personal API tokens and their pages.

It calls the domains' services and queries and adds no rule of its own: a token acts as its user."""

from __future__ import annotations

import http

from flask import Blueprint, Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response

bp = Blueprint("api", __name__)

OPENAPI_INFO = {
    "description": (
        "RepairLab's JSON API. Authenticate every request with a personal API token, created on your account page: "
        "`Authorization: Bearer <token>`. A token acts as its user (role and territory) within its scopes (read, "
        "or read and write). Refusals are RFC 9457 problem documents in the language of `Accept-Language` (or "
        "the user's). Requests are limited per token; past the limit the answer is 429 with `Retry-After`."
    ),
}


class RepairLabApi(Api):
    """flask-smorest's Api whose errors are the site's problem documents (repairlab.api.problems), answered by the
    application's own error handlers rather than flask-smorest's."""

    DEFAULT_RESPONSE_CONTENT_TYPE = "application/json"

    def _register_error_handlers(self):
        """The application's handlers answer API errors (repairlab.errors.error_formats)."""

    def _register_responses(self):
        """Every error status documented as a problem document (application/problem+json)."""
        from repairlab.api.problems import PROBLEM_JSON
        from repairlab.api.schemas import Problem

        self.spec.components.schema("Problem", schema=Problem)
        for status in http.HTTPStatus:
            if status < 400:
                continue
            response = {"description": status.phrase, "schema": Problem}
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem document", "schema": Problem}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


api = RepairLabApi()


def init_app(app: Flask) -> None:
    """The token pages and account link, the API's blueprints, its authentication, errors and rate limits."""
    from flask_babel import lazy_gettext as _l

    from repairlab.api import web
    from repairlab.api.cli import api_token_command
    from repairlab.api.limits import DATABASE_STORAGE, limit_blueprint, limiter
    from repairlab.api.problems import http_problem
    from repairlab.api.views import docs, indicators, inventory, lending, projects, repairs, skills, tokens  # noqa: F401
    from repairlab.errors import error_formats
    from repairlab.extensions import csrf
    from repairlab.pages import NavItem, nav
    from repairlab.people.models import Role
    from repairlab.people.registry import AccountLink, account_links

    app.config.setdefault("API_TITLE", "RepairLab API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", web.API_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": OPENAPI_INFO,
            "security": [{"bearerAuth": []}],
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        },
    )
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = DATABASE_STORAGE
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)

    # Authentication runs before the rate limiter, which counts per token.
    app.before_request(web.authenticate)
    app.after_request(web.after_request)
    error_formats.register(web.API_PREFIX + "/", http_problem)
    limiter.init_app(app)

    api.init_app(app)
    for blueprint in (
        inventory.codes,
        inventory.items,
        inventory.places,
        lending.loans,
        lending.talents,
        lending.reservations,
        skills.skills,
        skills.passports,
        projects.projects,
        repairs.repair_tickets,
        indicators.indicators,
    ):
        limit_blueprint(blueprint)
        # Cookies never authenticate the API (repairlab.api.web.authenticate): nothing to protect from CSRF.
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)

    account_links.register("api.my_tokens", AccountLink(_l("API tokens"), lambda user: True), order=20)
    nav.register("api.all_tokens", NavItem(_l("API tokens"), frozenset({Role.ADMIN}), admin=True), order=95)
    app.cli.add_command(api_token_command)
    app.register_blueprint(bp)
