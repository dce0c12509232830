"""Celery wiring: workers run the same registered jobs inside the Flask app."""

from __future__ import annotations

from celery import Celery

celery = Celery("guth")
_app = None


def init_celery(app) -> Celery:  # type: ignore[no-untyped-def]
    """Configure Celery from the Flask app's settings."""
    global _app
    _app = app
    celery.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        result_backend=app.config.get("CELERY_RESULT_BACKEND") or None,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
    )
    return celery


@celery.task(name="guth.run_job")
def run_job_task(job_id: str) -> None:
    """Run a recorded Guth job on a worker."""
    from . import create_app
    from .jobs import run_job

    app = _app or create_app()
    with app.app_context():
        run_job(job_id)
