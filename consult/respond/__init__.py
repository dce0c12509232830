"""Respondents: start, form mode, chat mode, receipt code, privacy, help."""

from . import audience, chat, check, form_mode, kiosk, pictures, privacy, receipt  # noqa: E402,F401  (add routes)
from .views import bp

__all__ = ["bp"]
