"""gunicorn's settings for RepairLab in production: `make serve`, or `gunicorn -c deploy/gunicorn.conf.py app:app`.

Read from the environment:

- REPAIRLAB_BIND: where to listen (default 127.0.0.1:8000, for a reverse proxy on the same host); a comma-separated
  list for several addresses.
- WEB_CONCURRENCY: worker processes (default: 2 per CPU plus 1, at most 12).
- GUNICORN_TIMEOUT: seconds a request may take before its worker is restarted (default 60: the longest exports).
- TRUST_PROXY_HEADERS: the app then reads the client's address and scheme from one proxy's X-Forwarded-* headers
  (werkzeug's ProxyFix, in repairlab/__init__.py). gunicorn itself never does, so that there is one rule, the app's.
- LOG_LEVEL: info (default), warning, error.

The app itself reads SECRET_KEY, DATABASE_URL and the rest (README, "Configuration"); REPAIRLAB_ENV defaults to
production, which refuses to start without SECRET_KEY.

Logs go to the standard error as JSON, one line per record (repairlab/logs.py): gunicorn's own, and the app's, among
them one line per request with its id, user id, route, status and duration. gunicorn's access log is off: the app's
request line replaces it, without the query strings and addresses an access log would keep.
"""

import multiprocessing
import os

wsgi_app = "app:app"
bind = [address.strip() for address in os.environ.get("REPAIRLAB_BIND", "127.0.0.1:8000").split(",")]
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 12))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with some jitter, not all at once): memory stays bounded.
max_requests = 2000
max_requests_jitter = 200
# gunicorn trusts no X-Forwarded-* header: the app decides, through TRUST_PROXY_HEADERS.
forwarded_allow_ips = ""
# No control socket (gunicornc is not used): two servers on one host would otherwise share its path.
control_socket_disable = True
# Where the app's own log lines and gunicorn's go; no access log (the app logs each request itself).
accesslog = None
loglevel = os.environ.get("LOG_LEVEL", "info")
_level = loglevel.upper()

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "repairlab.logs.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"level": _level, "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": _level, "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}
