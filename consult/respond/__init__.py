"""Respondents: start, form mode, chat mode, receipt code, privacy, help."""

from .views import bp

__all__ = ["bp"]
