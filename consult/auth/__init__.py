"""Staff sign-in: hashed passwords, server-side sessions, roles."""

from __future__ import annotations

from .decorators import (
    invitation_route,
    operator_required,
    public_route,
    respondent_route,
    roles_required,
    safeguarding_required,
    staff_route,
)
from .views import bp, init_login

__all__ = ["bp", "init_login", "invitation_route", "operator_required", "public_route", "respondent_route", "roles_required",
           "safeguarding_required", "staff_route"]
