"""Planners: dashboards, themes, traceability, safeguarding queue, "You said, we did"."""

from .views import bp

__all__ = ["bp"]
