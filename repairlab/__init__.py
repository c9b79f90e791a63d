"""RepairLab: inventory, lending, repairs, skills and incubation for community repair labs."""

from __future__ import annotations

import os
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, abort, current_app, g, request, session, url_for
from flask_babel import format_date, format_decimal, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

import repairlab.models  # noqa: F401  (the full schema, for Alembic)
from repairlab import (
    api,
    audit,
    core,
    guides,
    inventory,
    labels,
    lending,
    people,
    programme,
    projects,
    repairs,
    reporting,
    skills,
    stocktake,
)
from repairlab.cli import register_cli
from repairlab.clock import lab_day
from repairlab.config import load_config
from repairlab.errors import register_error_handlers
from repairlab.extensions import babel, csrf, db, login_manager, migrate
from repairlab.forms import error_summary, render_field
from repairlab.freshness import init_app as init_freshness
from repairlab.logs import init_app as init_request_logs
from repairlab.pages import nav, wide_menu
from repairlab.pagination import fold, page_url, query_args
from repairlab.people.models import User
from repairlab.timefmt import local_datetime
from repairlab.web import MAX_ID

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def create_app(test_config: dict | None = None, *, instance_path: str | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI and error pages.

    The instance folder (local settings, the development key, the SQLite file, photos) is `instance/` in the
    project, or `instance_path`, or $REPAIRLAB_INSTANCE_PATH: tests and tools keep out of the developer's own.
    """
    instance_path = instance_path or os.environ.get("REPAIRLAB_INSTANCE_PATH") or None
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path) if instance_path else None,
        instance_relative_config=True,
        template_folder=os.path.join(PROJECT_ROOT, "templates"),
        static_folder=os.path.join(PROJECT_ROOT, "static"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    load_config(app, test_config)
    init_request_logs(app)  # first: its timer starts before, and its log line is written after, every other hook

    if app.config["TRUST_PROXY_HEADERS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    _register_converters(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_security_headers(app)
    register_cli(app)
    register_error_handlers(app)
    return app


def _register_converters(app: Flask) -> None:
    """Ids in URLs fit the database's integer columns: a larger number is simply not found (404)."""

    class BoundedIntegerConverter(IntegerConverter):
        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", MAX_ID)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = BoundedIntegerConverter

    @app.before_request
    def _refuse_nul_characters():
        # A NUL byte is never meaningful input, and PostgreSQL refuses it in text: answer 400, change nothing.
        # Only form bodies are parsed into request.form: other requests need not build it to find it empty.
        forms = (request.form,) if request.mimetype in _FORM_TYPES else ()
        for values in (request.args, *forms):
            for _key, value in values.items(multi=True):  # noqa: PERF102  (a MultiDict: every value of a key)
                if "\x00" in value:
                    abort(400)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine)
    init_freshness(app)
    migrate.init_app(
        app, db, directory=os.path.join(PROJECT_ROOT, "migrations"), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=_select_locale,
        timezone_selector=lambda: app.config["BABEL_DEFAULT_TIMEZONE"],
        default_translation_directories=os.path.join(os.path.dirname(__file__), "translations"),
    )
    login_manager.init_app(app)
    login_manager.login_view = "people.login"
    login_manager.login_message_category = "info"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)


def _configure_sqlite(engine: sa.Engine) -> None:
    """Foreign keys on, WAL journal, and a Unicode lower() for every SQLite connection."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # SQLite's own lower() folds ASCII only ("É" stays "É"); searches must ignore case for accented letters
        # as they do on PostgreSQL. No index or constraint uses lower(), so overriding it is safe.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
        # Searches that ignore accents (repairlab.pagination.folded), as PostgreSQL's translate() does there.
        dbapi_connection.create_function("rl_fold", 1, _fold, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def _unicode_lower(value):
    """lower() for SQLite: Python's full Unicode case folding to lower case; NULL stays NULL."""
    return value.lower() if isinstance(value, str) else value


def _fold(value):
    """rl_fold() for SQLite: repairlab.pagination.fold; NULL stays NULL."""
    return fold(value) if isinstance(value, str) else value


def _load_user(identity: str):
    """Load the user of a session; a stale session token (password changed, deactivated) logs out."""
    user_id, _, token = (identity or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token or not user.active:
        return None
    return user


def _select_locale() -> str:
    """The user's language, else the session's choice, else French."""
    languages = current_app.config["LANGUAGES"]
    if "lang" in g:
        return g.lang
    lang = None
    if current_user and getattr(current_user, "is_authenticated", False):
        lang = current_user.locale
    if lang not in languages:
        lang = session.get("lang") if request else None
    if lang not in languages:
        lang = "fr"
    g.lang = lang
    return lang


# The domains in dependency order (docs/ARCHITECTURE.md): each one's init_app(app) registers its blueprint and all it
# adds to the pages and commands of the ones before it; core's pages, which show what every domain added, come last.
DOMAINS = (
    audit,
    people,
    skills,
    inventory,
    lending,
    stocktake,
    repairs,
    labels,
    projects,
    programme,
    guides,
    reporting,
    api,
    core,
)


def _register_blueprints(app: Flask) -> None:
    for domain in DOMAINS:
        domain.init_app(app)


def _register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def _globals():
        user = current_user._get_current_object()
        locale = str(get_locale() or "fr")
        items = nav.links(user, locale, request.script_root, url_for) if user.is_authenticated else ()
        # This render's own gettext, bound to the translations of its language once: a page calls it dozens of
        # times (macros imported without context use the global ones below, which look the language up each time).
        translate, translate_plural = _newstyle(_translations())
        return {
            "nav_items": items,
            "nav_wide": wide_menu(items),
            "languages": app.config["LANGUAGES"],
            "current_locale": locale,
            "_": translate,
            "gettext": translate,
            "ngettext": translate_plural,
        }

    # Templates call gettext dozens of times a page: look the translations up once per locale, not per call. Keyed
    # on Flask-Babel's own cached locale, so that force_locale() and refresh() switch language as they should.
    def _translations():
        locale = get_locale()
        cached = g.get("_translations")
        if cached is None or cached[0] is not locale:
            cached = g._translations = (locale, get_translations())
        return cached[1]

    # (Flask-Babel installed Jinja's i18n extension with newstyle gettext; these replace its callables.)
    # The same newstyle functions as Jinja's (jinja2.ext), calling the translations directly: `_` no longer goes
    # through the "gettext" alias, and neither through two rounds of Context.call, a noticeable share of a page.
    def _newstyle(translations=None):
        """gettext and ngettext for templates: with `translations` bound, or looking them up at each call."""
        lookup = (lambda: translations) if translations is not None else _translations

        @pass_context
        def gettext(__context, __string, **variables):
            rv = lookup().ugettext(__string)
            if __context.eval_ctx.autoescape:
                rv = Markup(rv)
            # Always a format string, even without variables, as Jinja's newstyle gettext.
            return rv % variables

        @pass_context
        def ngettext(__context, __singular, __plural, __num, **variables):
            variables.setdefault("num", __num)
            rv = lookup().ungettext(__singular, __plural, __num)
            if __context.eval_ctx.autoescape:
                rv = Markup(rv)
            return rv % variables

        return gettext, ngettext

    _gettext, _ngettext = _newstyle()

    app.jinja_env.globals.update(
        gettext=_gettext,
        ngettext=_ngettext,
        _=_gettext,
        _render_field=render_field,
        error_summary=error_summary,
        page_url=page_url,
        query_args=query_args,
        lab_day=lab_day,
    )

    @app.template_filter("datetime")
    def _datetime(value: datetime | None, fmt: str = "medium") -> str:
        return local_datetime(value, fmt) if value else "—"

    @app.template_filter("date")
    def _date(value, fmt: str = "medium") -> str:
        return format_date(value, fmt) if value else "—"

    @app.template_filter("number")
    def _number(value) -> str:
        return format_decimal(value) if value is not None else "—"


def _register_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; object-src 'none'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
        if "lang" in g:
            response.headers.setdefault("Content-Language", g.lang)
        if app.config["PUBLIC_BASE_URL"].startswith("https://"):
            # Browsers then refuse plain HTTP to this host for a year (not its subdomains: other services may live
            # there). Only when the public address is HTTPS, so that a lab trying RepairLab over HTTP is not locked out.
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static" and "_user_id" in session and not response.cache_control.public:
            # Every page of a signed-in session may show personal data (names, loans, passports, notes): a shared
            # workshop computer or a proxy must not keep it. The session is read, not the user: no database query.
            # Static files stay cacheable, and so does what a view marks public (item photos anyone may scan).
            response.headers["Cache-Control"] = "private, no-store"
        return response
