"""Background jobs the app runs (registered with the job interface)."""

from __future__ import annotations

from . import jobs  # noqa: F401  (the noop job lives there)
