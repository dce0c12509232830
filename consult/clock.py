"""The time Guth runs on: the real clock, or one a test sets.

Code that decides by the time of day (is a consultation open, is a reminder due, is it time to
publish) asks ``now()`` or ``today()`` here rather than ``datetime.now()``, so a test can move the
clock forward and watch a consultation open, close and publish on schedule. The override is
process-wide on purpose: a browser test's live server runs in a thread of the test's process.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

# Consultation dates are Scottish calendar days: a consultation "closing on 31 May" takes answers
# until midnight in Scotland, whatever timezone the server keeps.
LOCAL_ZONE = ZoneInfo("Europe/London")

_lock = threading.Lock()
_fixed: datetime | None = None


def now() -> datetime:
    """Return the current time in UTC, timezone-aware (the test clock's time when one is set)."""
    with _lock:
        fixed = _fixed
    return fixed if fixed is not None else datetime.now(UTC)


def today() -> date:
    """Return today's date in Scotland by this clock."""
    return now().astimezone(LOCAL_ZONE).date()


def set_now(moment: datetime | date) -> None:
    """Fix the clock at a moment (a date means noon that day in Scotland): for tests and demos only."""
    global _fixed
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, 12, tzinfo=LOCAL_ZONE)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    with _lock:
        _fixed = moment.astimezone(UTC)


def advance(**delta: float) -> datetime:
    """Move a fixed clock on (``advance(days=3)``); start from the real time if none is fixed."""
    moved = now() + timedelta(**delta)
    set_now(moved)
    return moved


def reset() -> None:
    """Go back to the real clock."""
    global _fixed
    with _lock:
        _fixed = None


def start_of_day(day: date) -> datetime:
    """Return midnight at the start of a Scottish calendar day, in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_ZONE).astimezone(UTC)


def as_local(moment: datetime) -> datetime:
    """Return a stored time in Scottish time (SQLite gives times back naive: they are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_ZONE)
