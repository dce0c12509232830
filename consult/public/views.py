"""Public pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..data import consultations

bp = Blueprint("public", __name__, url_prefix="/results")


@bp.route("/")
def index():  # type: ignore[no-untyped-def]
    """List published "You said, we did" pages."""
    return render_template("public/index.html", consultations=consultations.published_consultations())
