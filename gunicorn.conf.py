"""gunicorn settings, read from the working directory by ``gunicorn imr_site.wsgi``.

docker-compose's web service, the Dockerfile, CI's smoke test and benchmarks/load.py all
run that same command line; the environment tunes it:

  GUNICORN_BIND      address:port to listen on (default 0.0.0.0:8000)
  WEB_CONCURRENCY    worker processes (default 2 per CPU + 1)
  GUNICORN_THREADS   threads per worker (default 4): requests mostly wait on PostgreSQL
"""

import multiprocessing
import os

wsgi_app = "imr_site.wsgi"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
worker_class = "gthread"
# Exports of the whole corpus stream for minutes: the timeout is per silent interval.
timeout = 120
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory held by large result pages).
max_requests = 2000
max_requests_jitter = 200
# The app logs each request itself (audit.middleware.RequestLogMiddleware, JSON lines).
accesslog = None
errorlog = "-"
# Heartbeat files in memory, not on the container's overlay filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
control_socket_disable = True
