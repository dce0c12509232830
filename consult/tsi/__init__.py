"""Third Sector Interface: members, nudges, the sector response."""

from .views import bp

__all__ = ["bp"]
