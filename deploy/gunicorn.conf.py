"""Gunicorn settings for Guth in production: `gunicorn -c deploy/gunicorn.conf.py 'consult:create_app()'`.

Web processes share nothing but PostgreSQL and Redis, so add workers (or machines) freely. Every
setting can be changed from the environment; docs/production.md lists them.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers per core plus one; each worker runs a few threads (pages wait on the database).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# Load the app once in the master, then fork: a worker killed mid-request is replaced in moments.
# Nothing connects to the database or Redis before the fork (connections open on first use).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak can never build up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "500"))
# No access log: its lines carry paths (an invitation link holds a token), query strings and client
# addresses. Guth logs each request itself as JSON: method, endpoint, status and duration only.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
# The reverse proxy in front (nginx, a load balancer) sets X-Forwarded-*; trust only it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Do not tell the world which server software this is.
proc_name = "guth"
limit_request_line = 8190


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    """Give each worker its own database connections (never share a pool across a fork)."""
    app = getattr(server.app, "callable", None)
    if app is None:
        return
    try:
        from consult.extensions import db

        with app.app_context():
            db.engine.dispose(close=False)
    except Exception:  # a worker must start even if this tidy-up fails
        pass


def when_ready(server):  # type: ignore[no-untyped-def]
    """Before the workers fork: build the analysis pipeline once, so they share it and no answer waits for it.

    Without this each new worker (and each one recycled by max_requests) spent seconds building spaCy
    on its first free-text answer: that respondent waited, and so did everyone queued behind them.
    """
    if not preload_app:
        return
    try:
        import analysis

        analysis.warm_up()
    except Exception:  # a worker builds it on first use instead
        server.log.warning("analysis warm-up failed; workers will build the pipeline on first use")


def on_starting(server):  # type: ignore[no-untyped-def]
    """Name no server software in responses: the app's own "Server: Guth" is the only Server header.

    gunicorn writes its own Server line before the app's headers, so a response carried two (one
    saying "gunicorn"). Its own now says "Guth" too, and is left out when the app sent one.
    """
    import gunicorn.http.wsgi as wsgi

    wsgi.SERVER = "Guth"
    if getattr(wsgi.Response.default_headers, "guth", False):
        return
    own = wsgi.Response.default_headers

    def default_headers(self):  # type: ignore[no-untyped-def]
        lines = own(self)
        if any(name.lower() == "server" for name, _value in self.headers):
            lines = [line for line in lines if not line.lower().startswith("server:")]
        return lines

    default_headers.guth = True  # type: ignore[attr-defined]
    wsgi.Response.default_headers = default_headers
