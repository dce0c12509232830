"""Staff sign-in: hashed passwords, server-side sessions, roles."""

from __future__ import annotations

from .decorators import roles_required, safeguarding_required
from .views import bp, init_login

__all__ = ["bp", "init_login", "roles_required", "safeguarding_required"]
