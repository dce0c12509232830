"""Serve the question and answer pictures shipped in forms/pictures."""

from __future__ import annotations

from flask import abort, send_file

from forms import picture_path

from ..auth.decorators import public_route
from .views import bp


@bp.route("/pictures/<name>")
@public_route
def picture(name: str):  # type: ignore[no-untyped-def]
    """Return one shipped picture (SVG), or 404."""
    path = picture_path(name)
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/svg+xml", max_age=3600)
