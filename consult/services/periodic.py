"""A sweep run every few seconds on a daemon thread, one per process (a forked worker starts its own).

The safeguarding escalation and the consultation lifecycle both run this way when jobs run in-process;
on Celery, beat runs the same sweeps instead.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

from flask import Flask

log = logging.getLogger(__name__)


class PeriodicSweep:
    """Run ``sweep`` inside the app's context every ``app.config[seconds_key]`` seconds until stopped."""

    def __init__(self, name: str, seconds_key: str, default_seconds: float, sweep: Callable[[], object]) -> None:
        self.name, self.seconds_key, self.default_seconds, self.sweep = name, seconds_key, default_seconds, sweep
        self.lock = threading.Lock()
        self.pid: int | None = None
        self.stop = threading.Event()

    def start(self, app: Flask) -> None:
        """Start this process's thread (once per process; a no-op when it already runs here)."""
        with self.lock:
            if self.pid == os.getpid():
                return
            self.pid = os.getpid()
            self.stop = threading.Event()
            seconds = float(app.config.get(self.seconds_key, self.default_seconds))
            threading.Thread(target=self._run, args=(app, seconds, self.stop), daemon=True, name=self.name).start()

    def _run(self, app: Flask, seconds: float, stop: threading.Event) -> None:
        while not stop.wait(seconds):
            try:
                with app.app_context():
                    self.sweep()
            except Exception as exc:  # noqa: BLE001  (keep sweeping: the next round may reach the database)
                log.error("%s failed (%s)", self.name, type(exc).__name__)
