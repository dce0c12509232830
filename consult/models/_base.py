"""Shared column helpers for the models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """Return the current time in UTC, timezone-aware."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Return a stored time as timezone-aware UTC (SQLite gives it back naive)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def UTCDateTime() -> DateTime:  # noqa: N802  (reads as a column type)
    """Return a timezone-aware DateTime column type."""
    return DateTime(timezone=True)


def created_at_column() -> Mapped[datetime]:
    """Return a created_at column defaulting to now in UTC."""
    return mapped_column(UTCDateTime(), default=utcnow, nullable=False)
