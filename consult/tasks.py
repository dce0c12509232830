"""Background jobs the app runs (registered with the job interface on import)."""

from __future__ import annotations

from . import jobs  # noqa: F401  (the noop job)
from .services import (
    analysis_run,  # noqa: F401  (analyse_consultation)
    invitations,  # noqa: F401,E402  (send_org_reminders)
    lifecycle,  # noqa: F401  (lifecycle_sweep: open, close, remind, publish; every minute under Celery beat)
    retention,  # noqa: F401,E402  (retention, daily under Celery beat)
    safeguarding_alerts,  # noqa: F401  (safeguarding_alert, safeguarding_sweep: every half minute)
)
