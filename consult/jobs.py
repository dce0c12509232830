"""One interface for background work: in a thread, at once, or on Celery workers.

Job functions are registered with @job("kind") and receive (params, progress), where
progress(fraction, message) records how far they have got so a page can show it. Every job
must be safe to run again on the same data.

Jobs started for a consultation record its id (``consultation_id``) or a ``partnership_id`` in
their params: /planner/jobs/<id> shows a job only to staff of that partnership
(consult.data.scope), and a job recording neither is shown to no one.

In Celery mode the job is handed to the broker (Redis). When the broker does not answer, the job
is recorded as failed (``message`` says it never started), the person who started it sees a
flash message saying so and that trying again is safe, and the page they go to shows the failed
job: never a server error, never a job left "queued" that no worker will ever run. It is not run
in the web process instead: a long analysis there would slow respondents' pages and die with the
worker when gunicorn recycles it.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from .extensions import db
from .models import Job
from .models._base import utcnow

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
JobFunction = Callable[[dict[str, Any], Progress], dict[str, Any] | None]
REGISTRY: dict[str, JobFunction] = {}

# A job the broker would not take: its Job.message starts with NOT_STARTED; the person sees MSG_NOT_STARTED.
NOT_STARTED = "not started: job queue unreachable"
MSG_NOT_STARTED = _l("This could not start because the background job service is not answering. Nothing has "
                     "changed. Please try again in a few minutes.")


def job(kind: str) -> Callable[[JobFunction], JobFunction]:
    """Register a function as the runner for a kind of job."""

    def register(fn: JobFunction) -> JobFunction:
        REGISTRY[kind] = fn
        return fn

    return register


def enqueue(kind: str, **params: Any) -> Job:
    """Record a job, commit it, and start it the configured way; return the Job row."""
    if kind not in REGISTRY:
        raise KeyError(f"No job registered for {kind!r}")
    params = {**_scope_of_request(), **params}
    row = Job(id=str(uuid.uuid4()), kind=kind, params=params, state="queued")
    db.session.add(row)
    db.session.commit()  # the job row must be stored before a thread or worker looks for it (commits the request's work so far, as uow.commit_now)
    mode = current_app.config["JOBS_MODE"]
    if mode == "sync":
        run_job(row.id)
    elif mode == "celery":
        _hand_to_workers(row)
    else:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        threading.Thread(target=_run_in_app, args=(app, row.id), daemon=True, name=f"job-{kind}").start()
    return row


def _broker_errors() -> tuple[type[BaseException], ...]:
    """Return the exceptions that mean the broker (Redis) could not take the message."""
    from kombu.exceptions import OperationalError

    errors: tuple[type[BaseException], ...] = (OperationalError, OSError)
    try:
        from redis.exceptions import RedisError

        errors += (RedisError,)
    except ImportError:  # pragma: no cover  (a broker other than Redis)
        pass
    return errors


def _hand_to_workers(row: Job) -> None:
    """Send a recorded job to the Celery workers; if the broker is unreachable, record it as failed."""
    from .celery_app import run_job_task

    try:
        run_job_task.delay(row.id)
    except _broker_errors() as exc:
        log.warning("job %s (%s) not started: job queue unreachable (%s)", row.id, row.kind, type(exc).__name__)
        db.session.rollback()
        row.state, row.finished_at = "failed", utcnow()
        row.message = f"{NOT_STARTED} ({type(exc).__name__})"
        db.session.commit()  # the failed job is recorded at once, whatever the request does next
        _tell_the_person()


def _tell_the_person() -> None:
    """Flash the "could not start" message to whoever started the job from a page."""
    from flask import flash, has_request_context

    if has_request_context():
        flash(str(MSG_NOT_STARTED))


def _scope_of_request() -> dict[str, Any]:
    """Return {"partnership_id": ...} for a job a signed-in member of staff starts (so only their
    partnership can follow it), or {} outside a request."""
    from flask import has_request_context
    from flask_login import current_user

    if not has_request_context() or not current_user.is_authenticated:
        return {}
    from .data.scope import partnership_of_user

    pid = partnership_of_user(current_user)
    return {} if pid is None else {"partnership_id": pid}


def _run_in_app(app: Flask, job_id: str) -> None:
    with app.app_context():
        run_job(job_id)


def get_job(job_id: str) -> Job | None:
    """Return a job by id, or None."""
    return db.session.get(Job, job_id)


def run_job(job_id: str) -> None:
    """Run a recorded job to the end, recording progress, result and failure."""
    row = db.session.get(Job, job_id)
    if row is None:
        log.warning("job %s not found", job_id)
        return
    if row.state == "done":
        return
    row.state, row.started_at, row.progress, row.message = "running", utcnow(), 0.0, ""
    db.session.commit()  # jobs run outside a request: each state change is stored for the progress page

    def progress(fraction: float, message: str = "") -> None:
        row.progress = max(0.0, min(1.0, float(fraction)))
        row.message = message
        db.session.commit()  # progress is stored so the page following the job can show it

    try:
        result = REGISTRY[row.kind](dict(row.params), progress) or {}
    except Exception as exc:  # a failed job must be recorded, never lost
        db.session.rollback()
        row = db.session.get(Job, job_id)
        assert row is not None
        row.state, row.finished_at = "failed", utcnow()
        row.message = type(exc).__name__
        db.session.commit()  # a failed job must be recorded, never lost
        log.exception("job %s (%s) failed", job_id, row.kind)
        if current_app.config.get("TESTING") and current_app.config["JOBS_MODE"] == "sync":
            raise
        return
    row.state, row.progress, row.finished_at, row.result = "done", 1.0, utcnow(), result
    db.session.commit()  # the job's result is stored


@job("noop")
def _noop(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Count to a number, reporting progress: used to check the job system end to end."""
    steps = int(params.get("steps", 3))
    for i in range(steps):
        progress((i + 1) / steps, f"step {i + 1} of {steps}")
    return {"steps": steps}
