"""Celery worker entry point: `celery -A consult.worker:celery worker`."""

from . import create_app
from .celery_app import celery, init_celery

init_celery(create_app())

__all__ = ["celery"]
