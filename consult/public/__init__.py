"""Published "You said, we did" pages, adult and child-friendly."""

from .views import bp

__all__ = ["bp"]
