"""Admin: staff users, roles and sessions."""

from .views import bp

__all__ = ["bp"]
