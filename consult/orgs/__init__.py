"""Organisations: invitation links, co-drafting, submission."""

from .views import bp

__all__ = ["bp"]
