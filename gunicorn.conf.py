"""gunicorn's settings for Strategy Tracker: `gunicorn -c gunicorn.conf.py strategy_tracker.wsgi`.

Everything can be changed from the environment, as on a platform such as Heroku or Cloud Run:
WEB_CONCURRENCY (worker processes; default 2 per core + 1), GUNICORN_THREADS (default 4),
PORT or BIND,
GUNICORN_TIMEOUT, TRUSTED_PROXIES (the load balancer's addresses or network; the one proxy
setting, shared with the app's settings).
"""

import multiprocessing
import os
from pathlib import Path

from dotenv import load_dotenv

# The same .env as the app's settings (the environment wins), so that TRUSTED_PROXIES means the
# same to gunicorn as to the app wherever it is set.
load_dotenv(Path(__file__).resolve().parent / ".env", override=False)

wsgi_app = "strategy_tracker.wsgi:application"
bind = os.environ.get("BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"

# Worker processes, each with a few threads (gunicorn's gthread worker): a slow request (an
# officer's save, an upload) then does not hold up the cached public pages queued behind it, and
# connections are kept alive. Measured with scripts/load_test.py: with 4 sync workers, public
# pages fell to ~80 req/s (p99 3.5 s) while officers saved; with 4 threads each, ~1,000 req/s
# (p99 90 ms). Each thread keeps its own database connection (CONN_MAX_AGE with
# CONN_HEALTH_CHECKS), so connections = workers x threads per server.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 5
# Recycle a worker now and then, so a slow leak can never grow without bound; but rarely: a new
# worker starts with an empty page cache, and at 1,000 req/s a limit of 2,000 recycled each worker
# every ~10 s (the load script saw requests time out then). The app is loaded once in the master
# (preload) so a new worker starts in milliseconds; nothing opens a database connection at import.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 100_000)
max_requests_jitter = max_requests // 10
preload_app = True
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn's runtime control socket (one fixed path per user) is not needed: signals do the job,
# and two servers on one machine would fight over it.
control_socket_disable = True

# Only the load balancers in TRUSTED_PROXIES may tell us the original scheme (X-Forwarded-Proto);
# the app reads the client's address from X-Forwarded-For under the same rule. Empty (the
# default): nobody, not even a local proxy, so gunicorn may bind every interface safely.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "")

# Logs: the app writes one JSON access line per request (with its request id), so gunicorn's
# own access log is off; its error log (starts, stops, worker timeouts) is JSON too.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}
