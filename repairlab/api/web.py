"""What every API request goes through: the bearer token (never the session cookie), the language, the scope, and
one request, one transaction, as repairlab.web.submit() for the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user

from repairlab.api import tokens
from repairlab.api.access import may_write
from repairlab.api.problems import domain_problem, problem, refuse
from repairlab.auth import can_access_territory, has_role
from repairlab.errors import DomainError
from repairlab.extensions import db, login_manager

API_PREFIX = "/api/v1"
# Served to anyone, without a token: the description of the API and its browsable documentation.
PUBLIC_PATHS = frozenset({f"{API_PREFIX}/openapi.json", f"{API_PREFIX}/docs"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

T = TypeVar("T")


def is_api_request() -> bool:
    """Whether the request is for the JSON API."""
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def _choose_language(user_locale: str | None) -> None:
    """The request's language: Accept-Language when it names one we have, else the token user's, else French."""
    languages = current_app.config["LANGUAGES"]
    lang = request.accept_languages.best_match(list(languages)) if request.headers.get("Accept-Language") else None
    g.lang = lang or (user_locale if user_locale in languages else "fr")
    refresh()


def authenticate():
    """before_request: the request's user is the token's, whatever cookie the browser sent; refusals are problems.

    Session cookies never authenticate the API: a page of another site cannot ride a signed-in browser, so the
    API needs no CSRF token. A token that may only read cannot change anything.
    """
    if not is_api_request():
        return None
    g.api_token = None
    # Flask-Login reads g._login_user before the session: set it, so that a signed-in browser stays anonymous here.
    g._login_user = login_manager.anonymous_user()
    _choose_language(None)
    if request.path in PUBLIC_PATHS:
        return None
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    bearer = "WWW-Authenticate"
    if scheme.lower() != "bearer" or not secret.strip():
        return problem(401, headers={bearer: 'Bearer realm="RepairLab API"'})
    token = tokens.token_for_secret(secret.strip())
    if token is None:
        return problem(
            401,
            _("This API token is not valid: it is unknown, expired or revoked."),
            headers={bearer: 'Bearer realm="RepairLab API", error="invalid_token"'},
        )
    g.api_token = token
    g._login_user = token.user
    _choose_language(token.user.locale)
    if tokens.note_use(token):
        db.session.commit()  # nothing else is in this transaction yet
    if request.method not in READ_METHODS and not may_write(token):
        return problem(403, _("This token may only read: create a token with the write scope to change data."))
    return None


def after_request(response):
    """API answers are personal and vary with the token: never cached by a browser or a proxy."""
    if is_api_request() and request.path not in PUBLIC_PATHS:
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Authorization")
    return response


def change(action: Callable[[], T]) -> T:
    """Run one service call as the request's transaction: commit it, or roll everything back and answer the
    service's refusal as a problem document (its translated message and field)."""
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        raise domain_problem(error) from None
    db.session.commit()
    return result


def read(action: Callable[[], T]) -> T:
    """Run a read-side service call: a DomainError becomes its problem document."""
    try:
        return action()
    except DomainError as error:
        db.session.rollback()
        raise domain_problem(error) from None


def found(obj: T | None) -> T:
    """The object, or a 404 problem."""
    if obj is None:
        raise refuse(404)
    return obj


def allow(*roles) -> None:
    """Refuse (403) unless the token's user has one of the roles: the page's own roles_required."""
    if not has_role(current_user, *roles):
        raise refuse(403)


def visible(obj: T | None, territory_id_of: Callable[[T], int | None] = lambda o: o.territory_id) -> T:
    """The object if the token's user may see its territory; else 404, as ensure_territory for the pages."""
    if obj is None or not can_access_territory(current_user, territory_id_of(obj)):
        raise refuse(404)
    return obj
