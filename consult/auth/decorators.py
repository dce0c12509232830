"""Who may see each view: role checks for staff views, and markers for everyone else's.

Every view must say who may see it, with exactly one of these (tests/security/test_access_matrix.py
walks the URL map and fails for a view that declares nothing):

- ``@roles_required("planner", ...)``: signed-in staff holding one of the roles (admins pass all but
  safeguarding). Anonymous → the sign-in page; a wrong role → 403.
- ``@safeguarding_required``: the safeguarding lead only; everyone else → 404.
- ``@operator_required``: the deployment operator only (sets up partnerships; sees no answers).
  Anonymous → the sign-in page; any other member of staff → 403. Admins are not let in.
- ``@staff_route``: any signed-in member of staff, whatever their roles (sign out, own account).
  Anonymous → the sign-in page.
- ``@public_route``: anyone, signed in or not (start page, help, language, published results, sign-in).
- ``@respondent_route``: a respondent's own response, reached through their browser session or
  their receipt code. Without one → 404 or a redirect to the start page; never someone else's answers.
- ``@invitation_route``: an organisation contact's personal invitation link (a token in the URL).
  A wrong, expired or revoked token → 404.

The markers change nothing about how a view runs: they only record the declaration on the view
function (``view.guth_access`` and, for role checks, ``view.guth_roles``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from ..extensions import login_manager

ACCESS_KINDS = ("roles", "safeguarding", "operator", "staff", "public", "respondent", "invitation")


def _mark(view: Callable, kind: str, roles: tuple[str, ...] = ()) -> Callable:
    view.guth_access = kind  # type: ignore[attr-defined]
    view.guth_roles = roles  # type: ignore[attr-defined]
    return view


def roles_required(*roles: str) -> Callable:
    """Let through signed-in staff holding one of the roles; others sign in or get 403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapped, "roles", tuple(roles))

    return decorate


def safeguarding_required(view: Callable) -> Callable:
    """Let through only the safeguarding lead; everyone else gets 404, as if the page did not exist."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated or "safeguarding" not in current_user.roles:
            abort(404)
        return view(*args, **kwargs)

    return _mark(wrapped, "safeguarding", ("safeguarding",))


def operator_required(view: Callable) -> Callable:
    """Let through only deployment operators; other staff get 403, anonymous people sign in."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if "operator" not in current_user.roles:
            abort(403)
        return view(*args, **kwargs)

    return _mark(wrapped, "operator", ("operator",))


def staff_route(view: Callable) -> Callable:
    """Declare a view for any signed-in member of staff (use with flask_login's login_required)."""
    return _mark(view, "staff")


def public_route(view: Callable) -> Callable:
    """Declare a view anyone may see, signed in or not."""
    return _mark(view, "public")


def respondent_route(view: Callable) -> Callable:
    """Declare a view reached only through the respondent's own session or receipt code."""
    return _mark(view, "respondent")


def invitation_route(view: Callable) -> Callable:
    """Declare a view reached only through an organisation contact's invitation token."""
    return _mark(view, "invitation")


def access_of(view: Callable) -> tuple[str | None, tuple[str, ...]]:
    """Return (kind, roles) a view declared, or (None, ()) if it declared nothing."""
    return getattr(view, "guth_access", None), tuple(getattr(view, "guth_roles", ()))
