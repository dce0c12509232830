"""Short-lived signed links for exports: only the signed-in member of staff who asked can use one.

In a page or view, make the link::

    from consult.services.signed_links import signed_url
    href = signed_url("planner.pack_csv", consultation_id=c.id)

and guard the export view (below its @roles_required)::

    @bp.route("/c/<int:consultation_id>/pack.csv")
    @roles_required("planner")
    @signed_link_required
    def pack_csv(consultation_id): ...

A link works for EXPORT_LINK_MAX_AGE seconds (default 300), only for the user it was made for,
only for that endpoint and those arguments. A tampered or someone else's link → 404; an expired
one → 410 with a page that says to go back and ask again. Templates can call
``{{ signed_url("planner.pack_csv", consultation_id=c.id) }}``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "guth-signed-export-link"
PARAM = "sig"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _claims(endpoint: str, values: dict[str, Any], user_id: int) -> dict[str, Any]:
    return {"e": endpoint, "v": {k: str(v) for k, v in sorted(values.items())}, "u": int(user_id)}


def sign(endpoint: str, user_id: int, **values: Any) -> str:
    """Return the signature for a link to endpoint with values, for one user."""
    return _serializer().dumps(_claims(endpoint, values, user_id))


def signed_url(endpoint: str, **values: Any) -> str:
    """Return a URL for endpoint that only the signed-in user can open, for a few minutes."""
    if not current_user.is_authenticated:
        raise PermissionError("signed links are only for signed-in staff")
    route_values = {k: v for k, v in values.items() if not k.startswith("_")}
    return url_for(endpoint, **values, **{PARAM: sign(endpoint, current_user.id, **route_values)})


def check(signature: str | None, endpoint: str, values: dict[str, Any], user_id: int,
          max_age: int | None = None) -> str:
    """Return "ok", "expired" or "bad" for a signature presented with a request."""
    if not signature:
        return "bad"
    age = max_age if max_age is not None else int(current_app.config.get("EXPORT_LINK_MAX_AGE", 300))
    try:
        claims = _serializer().loads(signature, max_age=age)
    except SignatureExpired:
        return "expired"
    except BadSignature:
        return "bad"
    return "ok" if claims == _claims(endpoint, values, user_id) else "bad"


def signed_link_required(view: Callable) -> Callable:
    """Let the request through only with a valid, unexpired link made for this signed-in user."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            abort(404)
        verdict = check(request.args.get(PARAM), request.endpoint or "", dict(request.view_args or {}),
                        current_user.id)
        if verdict == "expired":
            from ..errors import render_error

            return render_error(410, EXPIRED_TITLE, EXPIRED_BODY)
        if verdict != "ok":
            abort(404)
        return view(*args, **kwargs)

    wrapped.guth_signed = True  # type: ignore[attr-defined]
    return wrapped


EXPIRED_TITLE = _l("This download link has expired")
EXPIRED_BODY = _l("Download links work for a few minutes only. Go back to the page and choose the download again.")


def init_app(app: Flask) -> None:
    """Let templates call signed_url()."""
    app.jinja_env.globals["signed_url"] = signed_url
