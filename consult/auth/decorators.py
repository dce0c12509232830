"""Role checks for staff views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from ..extensions import login_manager


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

        return wrapped

    return decorate


def safeguarding_required(view: Callable) -> Callable:
    """Let through only the safeguarding lead; everyone else gets 404, as if the page did not exist."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated or "safeguarding" not in current_user.roles:
            abort(404)
        return view(*args, **kwargs)

    return wrapped
