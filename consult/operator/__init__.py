"""Deployment operators: set up partnerships, their settings and their first planner (issue 17)."""

from .views import bp

__all__ = ["bp"]
