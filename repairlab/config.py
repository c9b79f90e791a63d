"""Configuration: defaults, environment variables and an optional instance/config.py."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENVIRONMENTS = ("development", "testing", "production")


class ConfigError(RuntimeError):
    """The configuration is unusable; the message says what to fix."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def default_config(instance_path: str) -> dict:
    """Return the built-in defaults, overridable by environment and instance/config.py."""
    return {
        "REPAIRLAB_ENV": "production",
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path, "repairlab.sqlite3"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        "STORAGE_PATH": os.path.join(instance_path, "storage"),
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "LANGUAGES": {"fr": "Français", "en": "English"},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": None,  # None: decided from PUBLIC_BASE_URL below
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        "WTF_CSRF_TIME_LIMIT": None,
        # Login throttling, per e-mail and client address together (never per address alone, which would lock a
        # whole lab out, nor per account alone, which would let anyone lock its owner out): the free attempts,
        # then a wait that doubles with every further wrong password, up to the longest; forgotten after a
        # quiet period.
        "LOGIN_FREE_FAILURES": 5,
        "LOGIN_FIRST_DELAY_SECONDS": 30,
        "LOGIN_MAX_DELAY_SECONDS": 15 * 60,
        "LOGIN_FORGET_AFTER_SECONDS": 24 * 60 * 60,
        "PASSWORD_HASH_METHOD": "scrypt",
        "PER_PAGE": 25,
        # A long list counts its rows up to LIST_COUNT_CAP ("more than 1,000 results" past it). A search of one
        # (items, repair tickets, people) lists at most SEARCH_CAP matches, the newest; past it, the page says there
        # are more and asks for a narrower search (repairlab/search.py): ten pages of the newest matches, found in
        # a few milliseconds even when a common word matches thousands of rows of a 500,000-item inventory.
        "LIST_COUNT_CAP": 1000,
        "SEARCH_CAP": 250,
        "TRUST_PROXY_HEADERS": False,
        # Backups of a PostgreSQL database (repairlab/backup.py): the folder of pg_dump and pg_restore, of the
        # server's major version (None: found on the PATH).
        "PG_BIN_DIR": None,
        # ORDS exports: the programme's name as `data_provider`, and the prefix and key of the pseudonymous ids
        # (`<prefix>-<digits>`). Set ORDS_ID_SECRET once and keep it: the ids stay the same from one export to the
        # next only as long as it does (unset, it is derived from SECRET_KEY, and changes with it).
        "ORDS_DATA_PROVIDER": "RepairLab",
        "ORDS_ID_PREFIX": "repairlab",
        "ORDS_ID_SECRET": None,
        # Lending: default and longest take-home loan, and open loans a talent may hold at once.
        "LOAN_DEFAULT_DAYS": 7,
        "LOAN_MAX_DAYS": 30,
        "LOAN_LIMIT_PER_TALENT": 3,
        # Reservations: the longest one, and how far ahead an item may be reserved (days).
        "RESERVATION_MAX_DAYS": 60,
        "RESERVATION_MAX_AHEAD_DAYS": 365,
        # Projects: flagged when no mentor session was recorded for this many days.
        "PROJECT_SESSION_STALE_DAYS": 30,
        # Repairs: owners' contact details are erased this many days after their object went back (or was abandoned).
        "REPAIR_OWNER_RETENTION_DAYS": 90,
        # Repairs: a ticket in repair for more than this many days shows on the lab manager's home.
        "REPAIR_STALE_DAYS": 14,
        # Pages and figures served again while no table they read has changed (repairlab/freshness.py).
        "RESULTS_KEPT": True,
        # Research exports: the key of the pseudonymous ids (None: derived from SECRET_KEY; set it to keep the ids
        # stable across a change of SECRET_KEY), and counts of people under this are suppressed in aggregate tables.
        "RESEARCH_PSEUDONYM_KEY": None,
        "RESEARCH_SUPPRESSION_THRESHOLD": 5,
        # Signed Open Badges (repairlab/skills/badge_keys.py): the folder of RSA keys, one PEM file per key named
        # <name>.pem (None: instance/badge-keys), and the name of the one that signs (None: the last private key by
        # name). Development and testing generate a key into an empty folder; production never does.
        "BADGE_KEYS_DIR": None,
        "BADGE_CURRENT_KEY": None,
        # The JSON API: requests one token may make (Flask-Limiter's notation), counted in RATELIMIT_STORAGE_URI
        # (e.g. redis://host:6379/0) when set, else in this database (repairlab/api/limits.py), never per process.
        "API_RATE_LIMIT": "300 per minute",
        "RATELIMIT_STORAGE_URI": None,
        # Reminder e-mails: sent only when MAIL_SERVER is set.
        "MAIL_SERVER": None,
        "MAIL_PORT": 25,
        "MAIL_FROM": "repairlab@localhost",
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
    }


# Environment variables read into the config, with their parser.
_ENV_VARS = {
    "REPAIRLAB_ENV": str,
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "PUBLIC_BASE_URL": str,
    "STORAGE_PATH": str,
    "SESSION_COOKIE_SECURE": _bool,
    "TRUST_PROXY_HEADERS": _bool,
    "PG_BIN_DIR": str,
    "RESEARCH_PSEUDONYM_KEY": str,
    "RESEARCH_SUPPRESSION_THRESHOLD": int,
    "ORDS_DATA_PROVIDER": str,
    "ORDS_ID_PREFIX": str,
    "ORDS_ID_SECRET": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_FROM": str,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "REPAIR_OWNER_RETENTION_DAYS": int,
    "BADGE_KEYS_DIR": str,
    "BADGE_CURRENT_KEY": str,
    "API_RATE_LIMIT": str,
    "RATELIMIT_STORAGE_URI": str,
}


def load_config(app, test_config: dict | None) -> None:
    """Fill app.config from defaults, instance/config.py, the environment, then test_config."""
    app.config.from_mapping(default_config(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    for name, parse in _ENV_VARS.items():
        value = os.environ.get(name)
        if value:
            app.config[name] = parse(value)
    if test_config:
        app.config.update(test_config)
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(app.config["DATABASE_URL"])

    env = app.config["REPAIRLAB_ENV"]
    if env not in ENVIRONMENTS:
        raise ConfigError(f"REPAIRLAB_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}.")
    if not app.config.get("SECRET_KEY"):
        if env == "production":
            raise ConfigError(
                "SECRET_KEY is not set. RepairLab refuses to start in production without it: "
                "set the SECRET_KEY environment variable to a long random value, e.g. "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`, "
                "or set REPAIRLAB_ENV=development for a local trial."
            )
        app.config["SECRET_KEY"] = _development_secret(app.instance_path)

    app.config["PUBLIC_BASE_URL"] = app.config["PUBLIC_BASE_URL"].rstrip("/")
    if app.config["SESSION_COOKIE_SECURE"] is None:
        # Secure cookies whenever the public address is HTTPS.
        app.config["SESSION_COOKIE_SECURE"] = app.config["PUBLIC_BASE_URL"].startswith("https://")
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]

    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        # SQLite: wait for a writer rather than fail at once under concurrent requests.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    if env == "production":
        # An error's message (logged with its traceback) then names the statement, never its values: no personal
        # data in the logs.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "hide_parameters": True}


def _normalise_db_url(url: str) -> str:
    """Use psycopg 3 for plain postgres:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _development_secret(instance_path: str) -> str:
    """Return a per-checkout random key, kept in instance/ so sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
